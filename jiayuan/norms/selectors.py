"""Every read of the rulebook, scoped to the user.

The rules themselves are public to every signed-in staff member (they are the seeds' text).
What a rule says *about a place* — the evaluation, the obligations, the overrides in force — is
shown only for places the user's grants cover in full: a community secretary sees their
community, a street sees its communities, nobody sees beside their area (404, not 403).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from . import checks, periods
from .evaluate import Result, evaluate
from .facts import Subject, resolve_subject
from .models import Reminder, RuleOverride
from .rulebook import Rule, rulebook

# Kinds of place a rulebook evaluation is made for (the rules bind communities and the levels
# above; a grid or a building has no obligations of its own in the seeds).
SUBJECT_KINDS = (PlaceKind.COMMUNITY, PlaceKind.STREET, PlaceKind.DISTRICT)
# Kinds of rule that create dated obligations (the calendar); the others are standing states.
OBLIGATION_KINDS = ("frequency", "quota", "deadline", "notice_period")


def may_read_rulebook(user) -> bool:
    return bool(user and user.is_authenticated and get_scope(user).is_staff_role)


def rule_list(*, user, section: str = "", q: str = "") -> list[Rule]:
    if not may_read_rulebook(user):
        return []
    rules = list(rulebook().values())
    if section:
        rules = [r for r in rules if r.section == section]
    if q:
        needle = q.strip().lower()
        rules = [
            r
            for r in rules
            if needle in r.id.lower() or needle in r.quote or needle in r.title.lower() or needle in r.title_zh
        ]
    return rules


def rule_get(*, user, rule_id: str) -> Rule:
    rule = rulebook().get(rule_id)
    if rule is None or not may_read_rulebook(user):
        raise Http404(_("No such rule."))
    return rule


def subject_get(*, user, code: str) -> Subject:
    """The place (or registered organization) ``code`` names, if the user's grants cover it."""
    scope = get_scope(user)
    code = (code or "").strip()
    if not scope.is_staff_role or not code:
        raise Http404(_("No such place in your area."))
    if code.isdigit():
        place = Place.objects.filter(code=code, kind__in=SUBJECT_KINDS).select_related("parent").first()
        if place is None or not scope.covers(place.code):
            raise Http404(_("No such place in your area."))
        return Subject.for_place(place)
    subject = resolve_subject(code)
    if subject is None or not scope.covers(subject.code):
        raise Http404(_("No such place in your area."))
    return subject


def subject_choices(*, user) -> list[Place]:
    """The places the user may ask the rulebook about: their communities, streets, districts."""
    scope = get_scope(user)
    if not scope.is_staff_role:
        return []
    qs = scope.filter(Place.objects.filter(kind__in=SUBJECT_KINDS), "code")
    return list(qs.order_by("code")[:500])


def subject_default(*, user) -> Subject | None:
    """The place the user's widest grant names (a community for its secretary), when it is one
    the rulebook judges; for a grid worker, the grid's community."""
    scope = get_scope(user)
    primary = scope.primary
    if primary is None or primary.role == Role.RESIDENT:
        return None
    if primary.role == Role.ADMIN:
        place = Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("code").first()
        return Subject.for_place(place) if place else None
    place = Place.objects.filter(code=primary.code).first()
    while place is not None and place.kind not in SUBJECT_KINDS:
        place = place.parent
    if place is None or not scope.covers(place.code):
        return None
    return Subject.for_place(place)


def evaluation(*, user, subject: Subject, period: periods.Period, today: dt.date | None = None) -> list[Result]:
    """Every rule judged for a subject the user may see (get the subject with ``subject_get``)."""
    if not get_scope(user).covers(subject.code):
        raise Http404(_("No such place in your area."))
    return evaluate(subject, period, today=today)


def override_list(*, user, rule_id: str | None = None) -> QuerySet[RuleOverride]:
    """Overrides that bind the user's area (set above it or inside it), newest first."""
    scope = get_scope(user)
    if not scope.is_staff_role:
        return RuleOverride.objects.none()
    qs = RuleOverride.objects.select_related("set_by", "place")
    if not scope.is_admin:
        above: set[str] = {""}
        for code in scope.codes:
            above |= {code[:n] for n in range(1, len(code))}
        qs = qs.filter(scope.q("territory_code") | Q(territory_code__in=above))
    if rule_id:
        qs = qs.filter(rule_id=rule_id)
    return qs.order_by("rule_id", "parameter", "territory_code")


@dataclass
class Obligation:
    """One thing a subject must do in one window of a rule, with its due date and state."""

    result: Result
    window_label: str
    start: dt.date
    due: dt.date
    status: str

    @property
    def rule(self) -> Rule:
        return self.result.rule

    @property
    def colour(self) -> str:
        return {checks.MET: "green", checks.UNMET: "red", checks.NOT_DUE: "amber"}.get(self.status, "grey")


def obligations_from(results: list[Result], *, include_not_evaluable: bool = True) -> list[Obligation]:
    """The dated obligations in a set of results: one per window of every frequency, quota,
    deadline and notice rule, sorted by due date."""
    items: list[Obligation] = []
    for result in results:
        if result.rule.kind not in OBLIGATION_KINDS or result.status == checks.NOT_APPLICABLE:
            continue
        if result.status == checks.NOT_EVALUABLE:
            if include_not_evaluable:
                period_kind = result.params["period"].value if "period" in result.params else "none"
                items.extend(_untracked(result, period_kind))
            continue
        for w in result.windows:
            if w.status == checks.NOT_APPLICABLE:
                continue
            items.append(Obligation(result, w.label, w.start, w.due or w.end, w.status))
    return sorted(items, key=lambda o: (o.due, o.rule.order))


def _untracked(result: Result, period_kind: str) -> list[Obligation]:
    """A rule whose records Jiayuan does not keep yet still binds the community: list its
    windows (greyed) so the calendar shows the duty even before the module exists."""
    if result.period is None or period_kind == "none":
        return []
    today = timezone.localdate()
    return [
        Obligation(result, w.label, w.start, w.end, checks.NOT_EVALUABLE)
        for w in periods.windows(period_kind, result.period, today)
    ]


def obligations(*, user, subject: Subject, period: periods.Period, today: dt.date | None = None) -> list[Obligation]:
    return obligations_from(evaluation(user=user, subject=subject, period=period, today=today))


def reminder_list(*, user, unread_only: bool = True) -> QuerySet[Reminder]:
    if not user or not user.is_authenticated:
        return Reminder.objects.none()
    qs = Reminder.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("due_on", "rule_id")


@dataclass
class OverdueRow:
    subject: Subject
    obligation: Obligation


def overdue_below(*, user, today: dt.date | None = None, limit: int = 500) -> list[OverdueRow]:
    """Obligations of the communities below a street or district user that are overdue: the
    current quarter and the one before it, windows already over and not met."""
    scope = get_scope(user)
    if not scope.is_staff_role:
        return []
    today = today or timezone.localdate()
    communities = scope.filter(Place.objects.filter(kind=PlaceKind.COMMUNITY), "code").order_by("code")[:limit]
    this_q = periods.current_period("quarter", today)
    previous = periods.current_period("quarter", this_q.start - dt.timedelta(days=1))
    span = periods.Period(previous.start, this_q.end, f"{previous.label}/{this_q.label}")
    rows: list[OverdueRow] = []
    for place in communities:
        subject = Subject.for_place(place)
        for ob in obligations_from(evaluate(subject, span, today=today), include_not_evaluable=False):
            if ob.status == checks.UNMET and ob.due < today:
                rows.append(OverdueRow(subject, ob))
    return sorted(rows, key=lambda r: (r.obligation.due, r.subject.code))
