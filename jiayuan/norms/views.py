"""The rulebook pages: every rule with its source, the traffic-light view of a place, one rule
with its overrides, the obligations calendar, the overdue list of the level above.

Views only read through ``selectors`` and write through ``services``; bad input re-renders the
form with HTTP 400 and the message next to the field.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, OrderedDict

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiayuan.accounts.scope import get_scope
from jiayuan.territory.models import Place

from . import checks, periods, selectors, services
from .choices import Status
from .forms import OverrideForm
from .models import RuleOverride

SECTION_LABELS = OrderedDict(
    [
        ("STD", gettext_lazy("Community Party organization building standard")),
        ("MEET", gettext_lazy("Organizational life and meetings")),
        ("ORG", gettext_lazy("Organization setup, terms and cadres")),
        ("MEM", gettext_lazy("Members")),
        ("DEMO", gettext_lazy("Democratic decisions (4+2)")),
        ("DISC", gettext_lazy("Public disclosure")),
        ("EVAL", gettext_lazy("Commitments, appraisals and assessment")),
        ("APPEAL", gettext_lazy("Appeals")),
        ("DISP", gettext_lazy("Disputes")),
        ("EMER", gettext_lazy("Emergencies")),
        ("CARE", gettext_lazy("Care and services")),
        ("COOP", gettext_lazy("Co-building with units")),
        ("FUND", gettext_lazy("Funding and premises")),
        ("ROT", gettext_lazy("Training rotations")),
    ]
)
STATUS_ORDER = [Status.UNMET, Status.NOT_DUE, Status.MET, Status.NOT_APPLICABLE, Status.NOT_EVALUABLE]
STATUS_CLASS = {
    Status.MET: "success",
    Status.UNMET: "danger",
    Status.NOT_DUE: "warning",
    Status.NOT_APPLICABLE: "secondary",
    Status.NOT_EVALUABLE: "light",
}


def _require_staff(user):
    if not selectors.may_read_rulebook(user):
        raise Http404(_("Not found"))


def _period_from(request, default_kind: str = "quarter") -> tuple[periods.Period, str]:
    """The period in ``?period=`` or the current one; a bad value gives a message, not a 500."""
    raw = (request.GET.get("period") or "").strip()
    if raw:
        try:
            return periods.parse_period(raw), ""
        except periods.PeriodError as exc:
            return periods.current_period(default_kind, timezone.localdate()), str(exc)
    return periods.current_period(default_kind, timezone.localdate()), ""


def _subject_from(request):
    code = (request.GET.get("subject") or "").strip()
    if code:
        return selectors.subject_get(user=request.user, code=code)
    return selectors.subject_default(user=request.user)


def _page_context(request, period, period_error):
    return {
        "nav": "norms",
        "period": period,
        "period_error": period_error,
        "subjects": selectors.subject_choices(user=request.user),
        "status_labels": dict(Status.choices),
        "status_class": STATUS_CLASS,
    }


@login_required
def rulebook_page(request):
    """Every rule with its source quote; for the user's place, this period's colour of each."""
    _require_staff(request.user)
    period, period_error = _period_from(request)
    subject = _subject_from(request)
    section = request.GET.get("section", "")
    status_filter = request.GET.get("status", "")
    q = (request.GET.get("q") or "").strip()[:100]
    rules = selectors.rule_list(user=request.user, section=section if section in SECTION_LABELS else "", q=q)
    results = {}
    if subject is not None:
        results = {r.rule.id: r for r in selectors.evaluation(user=request.user, subject=subject, period=period)}
    counts = Counter(r.status for r in results.values())
    groups: OrderedDict[str, list] = OrderedDict()
    for rule in rules:
        result = results.get(rule.id)
        if status_filter and (result is None or result.status != status_filter):
            continue
        groups.setdefault(rule.section, []).append({"rule": rule, "result": result})
    total = sum(counts.values())
    bar = [
        {"status": s, "label": Status(s).label, "n": counts.get(s, 0), "pct": (100 * counts.get(s, 0) / total) if total else 0}
        for s in STATUS_ORDER
    ]
    context = _page_context(request, period, period_error)
    context.update(
        subject=subject,
        groups=[(code, SECTION_LABELS.get(code, code), items) for code, items in groups.items()],
        sections=list(SECTION_LABELS.items()),
        section=section,
        status_filter=status_filter,
        q=q,
        bar=bar,
        counts=counts,
        total=total,
        rule_count=len(rules),
    )
    return render(request, "norms/rulebook.html", context, status=400 if period_error else 200)


def _override_places(user) -> list[Place]:
    """Places where the user may adapt rules (their granted districts, streets, communities)."""
    scope = get_scope(user)
    ids = [g.place_id for g in scope.grants if g.role in services.OVERRIDE_ROLES and g.place_id]
    qs = Place.objects.filter(pk__in=ids, kind__in=services.OVERRIDE_PLACE_KINDS).order_by("code")
    return list(qs)


def _history(rule_id: str) -> list[LogEntry]:
    ct = ContentType.objects.get_for_model(RuleOverride)
    return list(
        LogEntry.objects.filter(content_type=ct, object_repr__startswith=f"{rule_id}.")
        .select_related("actor")
        .order_by("-timestamp")[:50]
    )


@login_required
def rule_detail(request, rule_id: str):
    """One rule: its source, parameters, the overrides that bind the user's area, a form to
    adapt it (for those who may) and the history of its overrides."""
    rule = selectors.rule_get(user=request.user, rule_id=rule_id)
    period, period_error = _period_from(request)
    subject = _subject_from(request)
    places = _override_places(request.user)
    if get_scope(request.user).is_admin:
        places = [None, *places]
    form = OverrideForm(rule=rule, places=places)
    status_code = 200
    if request.method == "POST" and not places:
        raise PermissionDenied(_("You may not change the rules for any place."))
    if request.method == "POST":
        form = OverrideForm(request.POST, rule=rule, places=places)
        if form.is_valid():
            try:
                services.rule_override_set(
                    actor=request.user,
                    rule_id=rule.id,
                    parameter=form.cleaned_data["parameter"],
                    place=form.cleaned_data["place"],
                    value=form.cleaned_data["value"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except PermissionDenied as exc:
                raise PermissionDenied(str(exc)) from None
            else:
                messages.success(request, _("The rule was adapted. Evaluations use the new value from now on."))
                return redirect(request.get_full_path())
        status_code = 400
    result = None
    if subject is not None:
        result = selectors.evaluation(user=request.user, subject=subject, period=period)
        result = next(r for r in result if r.rule.id == rule.id)
    context = _page_context(request, period, period_error)
    context.update(
        rule=rule,
        subject=subject,
        result=result,
        overrides=list(selectors.override_list(user=request.user, rule_id=rule.id)),
        may_override={o.pk for o in selectors.override_list(user=request.user, rule_id=rule.id)
                      if services.may_override(request.user, o.place)},
        form=form if places else None,
        history=_history(rule.id),
        section_label=SECTION_LABELS.get(rule.section, rule.section),
    )
    return render(request, "norms/rule_detail.html", context, status=status_code)


@login_required
@require_POST
def override_remove(request, pk: int):
    override = get_object_or_404(selectors.override_list(user=request.user), pk=pk)
    services.rule_override_clear(actor=request.user, override=override)
    messages.success(request, _("The override was removed; the wider value or the seed's default applies again."))
    return redirect(reverse("norms_rule", args=[override.rule_id]))


@login_required
def obligations_page(request):
    """What the place must do this month (or quarter, or year), by due date."""
    _require_staff(request.user)
    period, period_error = _period_from(request, default_kind="month")
    subject = _subject_from(request)
    items = selectors.obligations(user=request.user, subject=subject, period=period) if subject else []
    today = timezone.localdate()
    by_due: OrderedDict[dt.date, list] = OrderedDict()
    for ob in items:
        by_due.setdefault(ob.due, []).append(ob)
    counts = Counter(ob.status for ob in items)
    context = _page_context(request, period, period_error)
    context.update(
        subject=subject,
        by_due=list(by_due.items()),
        counts=counts,
        today=today,
        nearby=_nearby_periods(period),
    )
    return render(request, "norms/obligations.html", context, status=400 if period_error else 200)


def _nearby_periods(period: periods.Period) -> dict:
    """Links to the previous and next period of the same length, and to the enclosing ones."""
    day_before = period.start - dt.timedelta(days=1)
    day_after = period.end + dt.timedelta(days=1)
    label = period.label
    kind = "year" if len(label) == 4 else ("quarter" if "Q" in label else ("half_year" if "H" in label else "month"))
    return {
        "previous": periods.current_period(kind, day_before).label,
        "next": periods.current_period(kind, day_after).label,
        "month": periods.current_period("month", period.start).label,
        "quarter": periods.current_period("quarter", period.start).label,
        "year": periods.current_period("year", period.start).label,
    }


@login_required
def overdue_page(request):
    """The level above: every overdue obligation of the communities below, oldest first."""
    _require_staff(request.user)
    today = timezone.localdate()
    rows = selectors.overdue_below(user=request.user, today=today)
    context = _page_context(request, periods.current_period("quarter", today), "")
    context.update(rows=rows, today=today)
    return render(request, "norms/overdue.html", context)


@login_required
@require_POST
def reminder_read(request, pk: int):
    reminder = get_object_or_404(selectors.reminder_list(user=request.user, unread_only=False), pk=pk)
    services.reminder_mark_read(actor=request.user, reminder=reminder)
    return redirect(request.POST.get("next") or reverse("home"))


def home_panel(user) -> dict:
    """What the home page shows of the rulebook: the user's unread reminders, the obligations of
    their place due this month and not yet met, and for a street or district the overdue
    obligations below it."""
    if not selectors.may_read_rulebook(user):
        return {}
    today = timezone.localdate()
    panel: dict = {"reminders": list(selectors.reminder_list(user=user)[:10])}
    subject = selectors.subject_default(user=user)
    if subject is not None and subject.kind == "community":
        month = periods.current_period("month", today)
        items = selectors.obligations(user=user, subject=subject, period=month)
        panel["subject"] = subject
        panel["month"] = month
        panel["due"] = [o for o in items if o.status == checks.NOT_DUE]
        panel["late"] = [o for o in items if o.status == checks.UNMET]
        panel["done"] = sum(1 for o in items if o.status == checks.MET)
        panel["untracked"] = sum(1 for o in items if o.status == checks.NOT_EVALUABLE)
    elif subject is not None:
        panel["subject"] = subject
        panel["overdue"] = selectors.overdue_below(user=user, today=today)[:10]
    return panel
