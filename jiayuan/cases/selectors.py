"""Reading cases (deny by default, architecture.md §4.2): every queryset a page or the API shows
comes from here and takes the user.

Scope: the territory prefix of the user's staff grants — a grid worker sees their grid's cases,
community staff their community's, street and district staff their area's, administrators all —
plus, for any signed-in user, the cases they reported themselves (``reporter_user``; a resident
sees only those). A user with neither sees nothing. Lists run a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope

from .choices import OPEN_STATES, CaseStatus, Visibility
from .models import Case, CaseEvent
from .permissions import is_staff_over, sees_internal

DUPLICATE_DAYS = 14
GRID_CODE_LENGTH = 15
COMMUNITY_CODE_LENGTH = 12


def _scope_q(user) -> Q | None:
    if user is None or not user.is_authenticated:
        return None
    scope = get_scope(user)
    q = Q(reporter_user=user)
    if scope.is_admin:
        return Q()
    for g in scope.grants:
        if g.role != Role.RESIDENT:
            q |= Q(territory_code__startswith=g.code)
    return q


def case_list(*, user, filters: dict | None = None) -> QuerySet[Case]:
    """Cases the user may see, newest first. Filters: ``status``, ``kind``, ``category``,
    ``channel``, ``level``, ``overdue`` (bool), ``open`` (bool), ``place`` (a territory code
    prefix), ``q`` (title or tracking number), ``received_from`` / ``received_to`` (dates)."""
    q = _scope_q(user)
    if q is None:
        return Case.objects.none()
    qs = Case.objects.filter(q).select_related("place", "owner", "assignee_user", "assignee_place")
    filters = filters or {}
    for name in ("status", "kind", "category", "channel", "level"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("overdue") is not None and filters.get("overdue") != "":
        qs = qs.filter(overdue=bool(filters["overdue"]))
    if filters.get("open") is not None and filters.get("open") != "":
        qs = qs.filter(status__in=OPEN_STATES) if filters["open"] else qs.exclude(status__in=OPEN_STATES)
    if filters.get("place"):
        qs = qs.filter(territory_code__startswith=filters["place"])
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(tracking_no__iexact=filters["q"]))
    if filters.get("received_from"):
        qs = qs.filter(received_at__date__gte=filters["received_from"])
    if filters.get("received_to"):
        qs = qs.filter(received_at__date__lte=filters["received_to"])
    return qs.order_by("-received_at", "-id")


def case_get(*, user, pk) -> Case:
    """One case the user may see, or 404 (its existence outside the scope is not disclosed)."""
    try:
        return case_list(user=user).get(pk=int(pk))
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case.") from None


def case_get_by_tracking_no(*, tracking_no: str) -> Case | None:
    """For the public follow-up page: the case with this number (the caller checks the secret
    with ``services.case_check_secret`` before showing anything)."""
    return Case.objects.filter(tracking_no=(tracking_no or "").strip().upper()).select_related("place").first()


def visible_visibilities(user, case: Case) -> list[str]:
    """Public for the reporter; staff too for staff over the case (grid workers); internal too
    for the handling side (community staff and above, the assignee)."""
    if user is not None and user.is_authenticated:
        if sees_internal(user, case):
            return [Visibility.PUBLIC, Visibility.STAFF, Visibility.INTERNAL]
        if is_staff_over(user, case):
            return [Visibility.PUBLIC, Visibility.STAFF]
    return [Visibility.PUBLIC]


def case_events(user, case: Case) -> list[CaseEvent]:
    """The case's events the user may read, oldest first (one query)."""
    return list(
        CaseEvent.objects.filter(case=case, visibility__in=visible_visibilities(user, case)).select_related("actor")
    )


def public_events(case: Case) -> list[CaseEvent]:
    """The public events only, for the public follow-up page (one query)."""
    return list(CaseEvent.objects.filter(case=case, visibility=Visibility.PUBLIC).order_by("at", "id"))


def possible_duplicates(case: Case, *, limit: int = 10) -> list[Case]:
    """Open cases of the same category in the same grid (or community, when the case is not in a
    grid) received in the last 14 days: shown before a new case is accepted, so a matter
    reported twice is merged instead of handled twice. One query."""
    code = case.territory_code
    prefix = code[:GRID_CODE_LENGTH] if len(code) >= GRID_CODE_LENGTH else code[:COMMUNITY_CODE_LENGTH]
    since = (case.received_at or timezone.now()) - dt.timedelta(days=DUPLICATE_DAYS)
    return list(
        Case.objects.filter(category=case.category, territory_code__startswith=prefix, status__in=OPEN_STATES,
                            received_at__gte=since)
        .exclude(pk=case.pk).exclude(status=CaseStatus.MERGED).select_related("place").order_by("-received_at")[:limit]
    )
