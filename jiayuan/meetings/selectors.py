"""Every read of the meetings tables, scoped to what the user may see (deny by default).

Staff roles only (as the Party registers, ``party.selectors``): rows are filtered on their
``territory_code`` — the place the organization serves — with ``get_scope(user).filter``, so the
community's secretary and staff, the street and district above it and administrators see the
community's meetings; a grid worker (whose area is one grid) and residents see none. A meeting
outside the user's area is 404, never 403. Lists cost a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiayuan.accounts.scope import get_scope
from jiayuan.party.models import Organization

from .choices import ATTENDED, RULE_OF_TYPE, MeetingStatus, MeetingType, VisitStatus
from .models import Attendance, Meeting, Minutes, Motion, VisitTask


def _scoped(user, qs: QuerySet, field_name: str = "territory_code") -> QuerySet:
    scope = get_scope(user)
    if not scope.is_staff_role:
        return qs.none()
    return scope.filter(qs, field_name)


def meeting_list(*, user, filters: dict | None = None) -> QuerySet[Meeting]:
    """Meetings the user may see, newest first, each with ``attended_count`` and
    ``has_signed_minutes`` (one query). Filters: ``organization`` (code; its own meetings and
    those of the organizations directly below it), ``meeting_type``, ``status``, ``date_from``,
    ``date_to`` (on the start day)."""
    filters = filters or {}
    qs = _scoped(user, Meeting.objects.all())
    if filters.get("organization"):
        code = filters["organization"]
        qs = qs.filter(Q(organization__code=code) | Q(organization__parent__code=code))
    if filters.get("meeting_type"):
        qs = qs.filter(meeting_type=filters["meeting_type"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        qs = qs.filter(starts_at__gte=dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=tz))
    if filters.get("date_to"):
        qs = qs.filter(starts_at__lt=dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time.min,
                                                         tzinfo=tz))
    return (
        qs.select_related("organization")
        .annotate(
            attended_count=Count("attendances", filter=Q(attendances__status__in=ATTENDED), distinct=True),
            has_signed_minutes=Exists(Minutes.objects.filter(meeting=OuterRef("pk"), signed_off_at__isnull=False)),
            has_minutes=Exists(Minutes.objects.filter(meeting=OuterRef("pk"))),
        )
        .order_by("-starts_at", "-id")
    )


def meeting_get(*, user, pk) -> Meeting:
    return get_object_or_404(meeting_list(user=user), pk=pk)


def attendance_list(*, meeting: Meeting) -> list[Attendance]:
    """The meeting's attendance rows with their members (one query; the meeting was read
    through :func:`meeting_get`, so the user may see it)."""
    return list(Attendance.objects.filter(meeting=meeting).select_related("member").order_by("member__full_name", "id"))


def minutes_get(*, meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.filter(meeting=meeting).select_related("signed_off_by", "recorder")
        .prefetch_related("addenda").first()
    )


def motion_list(*, meeting: Meeting) -> list[Motion]:
    return list(Motion.objects.filter(meeting=meeting).prefetch_related("tallies").order_by("created_at", "id"))


def motion_get(*, user, pk) -> Motion:
    return get_object_or_404(
        _scoped(user, Motion.objects.all(), "meeting__territory_code").select_related("meeting__organization"), pk=pk
    )


def home_sections(*, user, today: dt.date | None = None) -> dict:
    """The meetings page: upcoming (scheduled from today), overdue to record (scheduled before
    today, not yet marked held or cancelled), recently held (last 90 days). Three queries."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    start_today = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    base = meeting_list(user=user)
    return {
        "upcoming": list(base.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=start_today).order_by("starts_at")[:50]),
        "overdue": list(base.filter(status=MeetingStatus.SCHEDULED, starts_at__lt=start_today).order_by("starts_at")[:50]),
        "held": list(base.filter(status=MeetingStatus.HELD, held_on__gte=today - dt.timedelta(days=90))
                     .order_by("-held_on", "-id")[:50]),
    }


def visit_task_list(*, user, status: str | None = VisitStatus.OPEN) -> QuerySet[VisitTask]:
    qs = _scoped(user, VisitTask.objects.all())
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("member", "member__organization").order_by("due_on", "id")


def visit_task_get(*, user, pk) -> VisitTask:
    return get_object_or_404(visit_task_list(user=user, status=None), pk=pk)


# -- the year view of an organization -----------------------------------------------------------

@dataclass
class YearCell:
    label: str
    start: dt.date
    end: dt.date
    meetings: list = field(default_factory=list)
    needed: int = 1
    future: bool = False

    @property
    def met(self) -> bool:
        return len(self.meetings) >= self.needed

    @property
    def state(self) -> str:
        """``met`` / ``missing`` / ``open`` (the window has not ended yet) / ``future``."""
        if self.met:
            return "met"
        if self.future:
            return "future"
        return "open" if self.end >= timezone.localdate() else "missing"


@dataclass
class YearRow:
    meeting_type: str
    label: str
    rule_id: str
    period: str
    cells: list[YearCell]


def year_view(*, organization: Organization, year: int, today: dt.date | None = None) -> list[YearRow]:
    """For each meeting type of 002 L93 (rules N-MEET-01..05), the periods of the year with the
    meetings held in each, using the rule's effective period and count for the organization's
    place (a district's override applies). The organization was read through a selector. Two
    queries (overrides, meetings)."""
    from jiayuan.norms import periods
    from jiayuan.norms.evaluate import effective_params, overrides_for
    from jiayuan.norms.rulebook import rulebook
    from jiayuan.party.choices import OrgType

    today = today or timezone.localdate()
    book = rulebook()
    overrides = overrides_for([organization.territory_code])
    if organization.org_type == OrgType.PARTY_GROUP:
        types = [MeetingType.PARTY_GROUP]
    else:
        types = [t for t in RULE_OF_TYPE if t != MeetingType.PARTY_GROUP]
    held = list(
        Meeting.objects.filter(organization=organization, status=MeetingStatus.HELD, held_on__year=year,
                               meeting_type__in=types).order_by("held_on", "id")
    )
    rows = []
    year_period = periods.parse_period(str(year))
    for t in types:
        rule = book.get(RULE_OF_TYPE[t])
        if rule is None:
            continue
        params = {k: p.value for k, p in effective_params(rule, organization.territory_code, overrides).items()}
        kind, needed = params.get("period", "month"), int(params.get("times", 1))
        cells = []
        for w in periods.windows(kind, year_period, today):
            cells.append(YearCell(
                label=w.label, start=w.start, end=w.end, needed=needed, future=w.start > today,
                meetings=[m for m in held if m.meeting_type == t and w.start <= m.held_on <= w.end],
            ))
        rows.append(YearRow(meeting_type=t, label=MeetingType(t).label, rule_id=rule.id, period=kind, cells=cells))
    return rows


def member_open_motions(*, user) -> list[Motion]:
    """The named and secret votes open to the user as a member: at scheduled or held meetings
    the member signed in to (present or late). Not a staff read — a member sees only these."""
    from .services import member_for_user

    member = member_for_user(user)
    if member is None:
        return []
    return list(
        Motion.objects.filter(
            status="open", method__in=["named", "secret"], meeting__status__in=["scheduled", "held"],
            meeting__attendances__member=member, meeting__attendances__status__in=ATTENDED,
        ).exclude(meeting__status="cancelled").select_related("meeting__organization").distinct().order_by("created_at", "id")
    )
