"""Every read of the community registers, scoped to what the user may see (deny by default).

Staff roles only: a resident's or an unassigned user's querysets are empty. Rows are filtered
with ``get_scope(user).filter(qs)`` on their ``territory_code`` (the community's code), so the
community's own staff, the street and district above it and administrators see them; a grid
worker (whose area is one grid below the community) does not. A community outside the user's
area is 404, never 403. Lists cost a fixed number of queries whatever their length.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jiayuan.accounts.scope import get_scope
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .choices import Fund
from .models import FundAllocation, MemberResidentServiceCenter, TwoCommitteesSeat, distinct_persons


def _scoped(user, qs: QuerySet, field_name: str = "territory_code") -> QuerySet:
    scope = get_scope(user)
    if not scope.is_staff_role:
        return qs.none()
    return scope.filter(qs, field_name)


def community_list(*, user) -> QuerySet[Place]:
    """Communities whose registers the user may read."""
    return _scoped(user, Place.objects.filter(kind=PlaceKind.COMMUNITY), "code").select_related("parent").order_by("code")


def community_get(*, user, code: str) -> Place:
    return get_object_or_404(community_list(user=user), code=code)


def service_center_get(*, user, community: Place) -> MemberResidentServiceCenter | None:
    return _scoped(user, MemberResidentServiceCenter.objects.filter(community=community)).first()


def allocation_list(*, user, community: Place) -> QuerySet[FundAllocation]:
    return (
        _scoped(user, FundAllocation.objects.filter(community=community))
        .select_related("created_by", "reverses")
        .order_by("-year", "fund", "received_on", "id")
    )


def allocation_get(*, user, community: Place, pk) -> FundAllocation:
    return get_object_or_404(allocation_list(user=user, community=community).select_related("community"), pk=pk)


def fund_table(allocations) -> list[dict]:
    """The ledger grouped by year (newest first) and fund, with the net total of each fund and
    of the year; each row knows whether it has been reversed. Pure: works on the list already
    read, no more queries.

    ``[{"year": 2026, "total": Decimal, "funds": [{"fund": code, "label": ..., "total": Decimal,
    "rows": [allocation, ...]}, ...]}, ...]``
    """
    rows = list(allocations)
    reversed_ids = {r.reverses_id for r in rows if r.reverses_id}
    by_year: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        r.is_reversed = r.pk in reversed_ids
        by_year[r.year][r.fund].append(r)
    table = []
    for year in sorted(by_year, reverse=True):
        funds = []
        for fund in Fund:
            items = by_year[year].get(fund.value, [])
            if items:
                funds.append({"fund": fund.value, "label": fund.label, "rows": items,
                              "total": sum((i.amount for i in items), Decimal("0"))})
        table.append({"year": year, "funds": funds, "total": sum((f["total"] for f in funds), Decimal("0"))})
    return table


def seat_list(*, user, community: Place) -> QuerySet[TwoCommitteesSeat]:
    return (
        _scoped(user, TwoCommitteesSeat.objects.filter(community=community))
        .select_related("resident")
        .order_by("committee", "started_on", "id")
    )


def seat_get(*, user, community: Place, pk) -> TwoCommitteesSeat:
    return get_object_or_404(seat_list(user=user, community=community).select_related("community"), pk=pk)


def roster(seats, *, as_of) -> dict:
    """Current and ended seats of a roster already read, and how many distinct persons sit now."""
    seats = list(seats)
    current = [s for s in seats if s.is_active_on(as_of)]
    ended = [s for s in seats if s.ended_on is not None and s.ended_on < as_of]
    future = [s for s in seats if s.started_on > as_of]
    persons = distinct_persons(current)
    return {"current": current + future, "ended": sorted(ended, key=lambda s: s.ended_on, reverse=True),
            "persons": len(set(persons.values()))}
