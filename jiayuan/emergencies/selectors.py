"""Every read of the emergency records, scoped to what the user may see (deny by default).

Staff roles only, filtered on ``territory_code`` with ``get_scope(user).filter``; an incident
outside the user's area is 404. :func:`reports_awaiting` is what the street or district user must
acknowledge (the chase list at the top of /emergencies/).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope
from jiayuan.territory.models import Place

from .choices import IncidentStatus
from .models import ContingencyPlan, Incident, IncidentReport, OnCallShift
from .permissions import ACK_ROLES


def _scoped(user, qs: QuerySet) -> QuerySet:
    scope = get_scope(user)
    if not scope.is_staff_role:
        return qs.none()
    return scope.filter(qs)


def plan_list(*, user) -> QuerySet[ContingencyPlan]:
    return _scoped(user, ContingencyPlan.objects.all()).select_related("place").order_by("incident_type", "-effective_on")


def plan_get(*, user, pk: int) -> ContingencyPlan:
    return get_object_or_404(plan_list(user=user), pk=pk)


def shift_list(*, user, start: dt.date, end: dt.date) -> QuerySet[OnCallShift]:
    return (_scoped(user, OnCallShift.objects.filter(date__range=(start, end))).select_related("place")
            .order_by("date", "role", "id"))


def shift_get(*, user, pk: int) -> OnCallShift:
    return get_object_or_404(_scoped(user, OnCallShift.objects.all()), pk=pk)


def roster_communities(*, user) -> list[Place]:
    """The communities whose roster the user sees (for the gap check)."""
    scope = get_scope(user)
    if not scope.is_staff_role:
        return []
    return list(scope.filter(Place.objects.filter(kind="community"), "code").order_by("code"))


def incident_list(*, user, status: str = "") -> QuerySet[Incident]:
    qs = _scoped(user, Incident.objects.all())
    if status == "open":
        qs = qs.exclude(status=IncidentStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    return (qs.select_related("place", "plan")
            .annotate(unacknowledged=Count("reports", filter=Q(reports__acknowledged_at__isnull=True)))
            .order_by("-started_at", "-id"))


def incident_get(*, user, pk: int) -> Incident:
    return get_object_or_404(_scoped(user, Incident.objects.all()).select_related("place", "plan"), pk=pk)


def reports_awaiting(*, user) -> QuerySet[IncidentReport]:
    """Unacknowledged reports sent to a level this user acknowledges for."""
    scope = get_scope(user)
    q = Q(pk__in=[])
    for g in scope.grants:
        if g.role == Role.ADMIN:
            q = Q()
            break
        for level, role in ACK_ROLES.items():
            if g.role == role:
                q |= Q(to_level=level, to_code__startswith=g.code)
    return (IncidentReport.objects.filter(q, acknowledged_at__isnull=True)
            .select_related("incident", "incident__place", "reported_by").order_by("reported_at"))
