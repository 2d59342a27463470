"""The dispute pages (/disputes/...): the register with its 底数 counts, screening rounds, one
dispute with its timeline and every step, the agreement as PDF, the register as Excel.

Reads come from :mod:`.selectors` (scoped): users without a staff role, and records outside the
user's area, are 404. Writes go through :mod:`.services`: a user who may see but not write at the
dispute's level gets 403 before anything is validated; input the service refuses re-renders the
page with HTTP 400 and the messages next to the fields, in the user's language.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope
from jiayuan.accounts.scope import require_staff_role as _staff_only
from jiayuan.residents.forms import apply_service_errors

from . import exporter, forms, permissions, selectors, services
from .choices import DisputeStatus, SevenDuty
from .models import MediationAgreement
from .pdf import agreement_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 200
REGISTER_ROLES = {Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.GRID_WORKER, Role.STREET_STAFF,
                  Role.DISTRICT_STAFF, Role.ADMIN}

# action → (form class, service, the statuses in which the page offers it)
ACTIONS = {
    "assign": (forms.AssignForm, services.dispute_assign, [DisputeStatus.REGISTERED, DisputeStatus.ASSIGNED]),
    "checklist": (forms.ChecklistForm, services.checklist_update, None),
    "start": (forms.EmptyForm, services.mediation_start, [DisputeStatus.ASSIGNED]),
    "session": (forms.SessionForm, services.session_record, [DisputeStatus.MEDIATING]),
    "agreement": (forms.AgreementForm, services.agreement_save, [DisputeStatus.MEDIATING]),
    "sign": (forms.SignForm, services.agreement_sign, [DisputeStatus.MEDIATING]),
    "fail": (forms.ReasonForm, services.mediation_fail, [DisputeStatus.MEDIATING]),
    "escalate": (forms.ReasonForm, services.dispute_escalate, [DisputeStatus.FAILED]),
    "follow_up": (forms.FollowUpForm, services.follow_up_record,
                  [DisputeStatus.AGREED, DisputeStatus.FAILED, DisputeStatus.FOLLOWED_UP]),
    "close": (forms.CloseForm, services.dispute_close, [DisputeStatus.FOLLOWED_UP]),
    "case": (forms.CaseForm, services.dispute_link_case, None),
}


TITLES = {
    "assign": gettext_lazy("Five ones (五个一)"), "checklist": gettext_lazy("Seven duties (七包)"),
    "start": gettext_lazy("Start mediation"), "session": gettext_lazy("Record a mediation session"),
    "agreement": gettext_lazy("Mediation agreement (draft)"), "sign": gettext_lazy("Record the signatures"),
    "fail": gettext_lazy("Mediation failed"), "escalate": gettext_lazy("Escalate to the level above"),
    "follow_up": gettext_lazy("Follow-up visit (回访)"), "close": gettext_lazy("Close the dispute"),
    "case": gettext_lazy("Link to a case"),
}




def _may_register(user) -> bool:
    return any(g.role in REGISTER_ROLES for g in get_scope(user).grants)


def _filters(request, user):
    form = forms.FilterForm(request.GET or None, user=user)
    return form, (form.cleaned_data if form.is_valid() else {})


def _groups(counts: dict) -> list:
    return [(_("By status"), counts["status"]), (_("By level"), counts["level"]), (_("By kind"), counts["kind"])]


@login_required
def dispute_list(request):
    """The register: filters, the 底数 of the current screening round (counts by status, level and
    kind) and of the filtered list, the register form for those who may register."""
    user = request.user
    _staff_only(user)
    return _list_page(request, register_form=None, status=200)


def _list_page(request, *, register_form, status: int):
    user = request.user
    filter_form, filters = _filters(request, user)
    qs = selectors.dispute_list(user=user, filters=filters)
    current = selectors.current_round(user=user)
    round_counts = selectors.counts(selectors.dispute_list(user=user, filters={"screening_round": current})) if current else None
    can_register = _may_register(user)
    return render(request, "disputes/list.html", {
        "nav": "disputes", "filter_form": filter_form, "disputes": list(qs[:PER_PAGE]), "total": qs.count(),
        "all_groups": _groups(selectors.counts(qs)), "current_round": current,
        "round_groups": _groups(round_counts) if round_counts else None,
        "can_register": can_register,
        "register_form": register_form or (forms.RegisterForm(user=user) if can_register else None),
        "query": request.GET.urlencode(),
    }, status=status)


@login_required
@require_POST
def dispute_new(request):
    user = request.user
    _staff_only(user)
    if not _may_register(user):
        raise PermissionDenied(_("You may not change the dispute register here."))
    form = forms.RegisterForm(request.POST, user=user)
    if form.is_valid():
        try:
            d = services.dispute_register(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Dispute {number} registered.").format(number=d.number))
            return redirect("dispute_detail", pk=d.pk)
    return _list_page(request, register_form=form, status=400)


@login_required
def dispute_export(request):
    user = request.user
    _staff_only(user)
    _form, filters = _filters(request, user)
    data = exporter.register_xlsx(actor=user, disputes=selectors.dispute_list(user=user, filters=filters), filters=filters)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, exporter.filename())
    response["Cache-Control"] = "no-store"
    return response


@login_required
def round_list(request):
    """Screening rounds (定期排查) with the number of disputes each found; a new round for the
    community's staff."""
    user = request.user
    _staff_only(user)
    can_write = any(permissions.may_keep_rounds(user, p.code) for p in forms.scoped_places(user, ("community",)))
    form, status = None, 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("You may not change the dispute register here."))
        form = forms.RoundForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.round_create(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Screening round saved."))
                return redirect("dispute_rounds")
        status = 400
    return render(request, "disputes/rounds.html", {
        "nav": "disputes", "rounds": list(selectors.round_list(user=user)), "can_write": can_write,
        "form": form or (forms.RoundForm(user=user) if can_write else None),
    }, status=status)


@login_required
def dispute_detail(request, pk: int):
    user = request.user
    _staff_only(user)
    return _detail_page(request, selectors.dispute_get(user=user, pk=pk))


def _detail_page(request, d, *, failed: str = "", failed_form=None, status: int = 200):
    user = request.user
    can_write = permissions.may_write_at(user, d.territory_code, d.level)
    agreement = MediationAgreement.objects.filter(dispute=d).first()
    action_forms = {}
    if can_write:
        for name, (form_class, _service, statuses) in ACTIONS.items():
            if statuses is None or d.status in statuses:
                action_forms[name] = form_class()
        if "assign" in action_forms:
            action_forms["assign"] = forms.AssignForm(initial={
                "leader_name": d.leader_name, "team": "\n".join(d.team or []), "plan": d.plan,
                "mediation_kind": d.mediation_kind})
        if agreement and "agreement" in action_forms:
            if agreement.signed_at:
                action_forms.pop("agreement")
                action_forms.pop("sign", None)
            else:
                action_forms["agreement"] = forms.AgreementForm(initial={
                    "parties": agreement.parties, "mediators": agreement.mediators, "agreed_on": agreement.agreed_on,
                    "content": agreement.content})
        elif "sign" in action_forms:
            action_forms.pop("sign")
        if d.status == DisputeStatus.CLOSED:
            action_forms.pop("checklist", None)
        if failed:
            action_forms[failed] = failed_form
    checklist = [(code, label, (d.checklist or {}).get(code)) for code, label in SevenDuty.choices]
    return render(request, "disputes/detail.html", {
        "nav": "disputes", "d": d, "parties": list(d.parties.all()), "events": list(selectors.dispute_events(d)),
        "sessions": list(d.sessions.all()), "follow_ups": list(d.follow_ups.all()), "agreement": agreement,
        "checklist": checklist, "can_write": can_write, "failed": failed,
        "actions": [(name, TITLES[name], form) for name, form in action_forms.items()],
    }, status=status)


@login_required
@require_POST
def dispute_action(request, pk: int, action: str):
    user = request.user
    _staff_only(user)
    if action not in ACTIONS:
        raise Http404
    d = selectors.dispute_get(user=user, pk=pk)
    permissions.require(permissions.may_write_at(user, d.territory_code, d.level))
    form_class, service, _statuses = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=user, dispute=d, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("dispute_detail", pk=d.pk)
    return _detail_page(request, d, failed=action, failed_form=form, status=400)


@login_required
def agreement_download(request, pk: int):
    user = request.user
    _staff_only(user)
    d = selectors.dispute_get(user=user, pk=pk)
    agreement = MediationAgreement.objects.filter(dispute=d).first()
    if agreement is None:
        raise Http404
    response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"调解协议书-{d.number}.pdf")
    return response
