"""The emergency pages (/emergencies/...): reports awaiting the user's acknowledgement at the
top, incidents, plans, the on-call roster for the next 30 days with its gaps (holidays marked),
and one incident with every step. Made for a phone: one column, forms folded.

Reads through :mod:`.selectors` (404 outside the user's area or without a staff role); writes
through :mod:`.services` (403 before validation when the user may not write; refused input
re-renders with HTTP 400 and the messages in the user's language).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiayuan.accounts.scope import get_scope
from jiayuan.accounts.scope import require_staff_role as _staff_only
from jiayuan.residents.forms import apply_service_errors

from . import forms, permissions, selectors, services
from .choices import IncidentStatus
from .models import IncidentReport

WRITER_ROLES = permissions.WRITER_ROLES

# action → (form class, service, statuses offered, who: "write" or "respond", needs user in form)
ACTIONS = {
    "plan": (forms.PlanActivateForm, services.plan_activate, [IncidentStatus.REPORTED, IncidentStatus.RESPONDING], "write", True),
    "report": (forms.ReportForm, services.incident_report_up,
               [IncidentStatus.REPORTED, IncidentStatus.RESPONDING, IncidentStatus.STABILISED], "write", False),
    "respond": (forms.EmptyForm, services.incident_respond, [IncidentStatus.REPORTED], "write", False),
    "response": (forms.ResponseForm, services.response_record, [IncidentStatus.RESPONDING, IncidentStatus.STABILISED],
                 "respond", False),
    "stabilise": (forms.NoteForm, services.incident_stabilise, [IncidentStatus.RESPONDING], "write", False),
    "aftercare": (forms.AftercareForm, services.aftercare_record,
                  [IncidentStatus.RESPONDING, IncidentStatus.STABILISED, IncidentStatus.CLOSED], "write", False),
    "close": (forms.CloseForm, services.incident_close, [IncidentStatus.STABILISED], "write", False),
}
TITLES = {
    "plan": gettext_lazy("Activate a plan"), "report": gettext_lazy("Report to the level above (第一时间报告)"),
    "respond": gettext_lazy("Start the response"), "response": gettext_lazy("Add to the response log"),
    "stabilise": gettext_lazy("Mark stabilised (稳控)"), "aftercare": gettext_lazy("Aftercare visit (走访慰问)"),
    "close": gettext_lazy("Close the incident"),
}




def _writer(user) -> bool:
    return any(g.role in WRITER_ROLES for g in get_scope(user).grants)


@login_required
def home(request):
    user = request.user
    _staff_only(user)
    return _home_page(request)


def _home_page(request, *, failed: str = "", failed_form=None, status: int = 200):
    user = request.user
    today = timezone.localdate()
    end = today + dt.timedelta(days=services.ROSTER_DAYS - 1)
    shifts = list(selectors.shift_list(user=user, start=today, end=end))
    covered: dict[int, set] = {}
    for s in shifts:
        covered.setdefault(s.place_id, set()).add(s.date)
    rosters = [(c, services.roster_gaps(c, today, end, covered.get(c.pk, set())))
               for c in selectors.roster_communities(user=user)]
    writer = _writer(user)
    page_forms = {}
    if writer:
        page_forms = {"incident": forms.IncidentForm(user=user), "plan": forms.PlanForm(user=user),
                      "shift": forms.ShiftForm(user=user)}
        if failed:
            page_forms[failed] = failed_form
    return render(request, "emergencies/home.html", {
        "nav": "emergencies", "awaiting": list(selectors.reports_awaiting(user=user)),
        "incidents": list(selectors.incident_list(user=user)[:100]), "plans": list(selectors.plan_list(user=user)),
        "shifts": shifts, "rosters": rosters, "today": today, "end": end, "writer": writer, "forms": page_forms,
        "failed": failed,
    }, status=status)


def _page_post(request, key: str, form, call):
    if form.is_valid():
        try:
            result = call(form)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return result
    return _home_page(request, failed=key, failed_form=form, status=400)


@login_required
@require_POST
def incident_new(request):
    user = request.user
    _staff_only(user)
    if not _writer(user):
        raise PermissionDenied(_("You may not change the emergency records here."))
    form = forms.IncidentForm(request.POST, user=user)
    return _page_post(request, "incident", form, lambda f: redirect(
        "emergency_incident", pk=services.incident_activate(actor=user, **f.service_kwargs()).pk))


@login_required
@require_POST
def plan_new(request):
    user = request.user
    _staff_only(user)
    if not _writer(user):
        raise PermissionDenied(_("You may not change the emergency records here."))
    form = forms.PlanForm(request.POST, request.FILES, user=user)

    def call(f):
        services.plan_add(actor=user, **f.service_kwargs())
        return redirect("emergency_home")
    return _page_post(request, "plan", form, call)


@login_required
@require_POST
def shift_new(request):
    user = request.user
    _staff_only(user)
    if not _writer(user):
        raise PermissionDenied(_("You may not change the emergency records here."))
    form = forms.ShiftForm(request.POST, user=user)

    def call(f):
        services.shift_add(actor=user, **f.service_kwargs())
        return redirect("emergency_home")
    return _page_post(request, "shift", form, call)


@login_required
@require_POST
def shift_remove(request, pk: int):
    user = request.user
    _staff_only(user)
    services.shift_remove(actor=user, shift=selectors.shift_get(user=user, pk=pk))
    return redirect("emergency_home")


@login_required
def plan_document(request, pk: int):
    user = request.user
    _staff_only(user)
    plan = selectors.plan_get(user=user, pk=pk)
    return FileResponse(plan.document.open("rb"), as_attachment=False, filename=f"{plan.title}-{plan.version}.pdf",
                        content_type="application/pdf")


@login_required
def incident_detail(request, pk: int):
    user = request.user
    _staff_only(user)
    return _detail_page(request, selectors.incident_get(user=user, pk=pk))


def _allowed(user, incident, who: str) -> bool:
    if who == "respond":
        return permissions.may_respond(user, incident.territory_code)
    return permissions.may_write(user, incident.territory_code)


def _detail_page(request, incident, *, failed: str = "", failed_form=None, status: int = 200):
    user = request.user
    actions = []
    for name, (form_class, _service, statuses, who, needs_user) in ACTIONS.items():
        if incident.status in statuses and _allowed(user, incident, who):
            form = failed_form if name == failed else (form_class(user=user) if needs_user else form_class())
            actions.append((name, TITLES[name], form))
    reports = list(incident.reports.select_related("reported_by", "acknowledged_by").order_by("reported_at"))
    for r in reports:
        r.may_ack = not r.acknowledged_at and permissions.may_acknowledge(user, r)
    return render(request, "emergencies/incident.html", {
        "nav": "emergencies", "i": incident, "reports": reports, "actions": actions, "failed": failed,
        "responses": list(incident.responses.select_related("created_by")),
        "aftercare": list(incident.aftercare.all()),
        "events": list(incident.events.select_related("actor")),
    }, status=status)


@login_required
@require_POST
def incident_action(request, pk: int, action: str):
    user = request.user
    _staff_only(user)
    if action not in ACTIONS:
        raise Http404
    incident = selectors.incident_get(user=user, pk=pk)
    form_class, service, _statuses, who, needs_user = ACTIONS[action]
    permissions.require(_allowed(user, incident, who))
    form = form_class(request.POST, user=user) if needs_user else form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=user, incident=incident, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("emergency_incident", pk=incident.pk)
    return _detail_page(request, incident, failed=action, failed_form=form, status=400)


@login_required
@require_POST
def report_acknowledge(request, pk: int):
    """Acknowledge a report (a user of the level it was sent to). The report is found among the
    incidents the user may see; anyone else gets 404."""
    user = request.user
    _staff_only(user)
    report = get_object_or_404(IncidentReport.objects.select_related("incident"), pk=pk)
    selectors.incident_get(user=user, pk=report.incident_id)
    if not permissions.may_acknowledge(user, report):
        raise PermissionDenied(_("Only the level the report was sent to may acknowledge it."))
    try:
        services.report_acknowledge(actor=user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Report acknowledged."))
    return redirect(request.POST.get("next") == "home" and "emergency_home" or "emergency_incident",
                    **({} if request.POST.get("next") == "home" else {"pk": report.incident_id}))

