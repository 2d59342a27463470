"""Every read of the dispute register, scoped to what the user may see (deny by default).

Staff roles only; rows are filtered on ``territory_code`` with ``get_scope(user).filter``, so a
grid worker sees the disputes of their grid and the street sees its communities'. A dispute
outside the user's area is 404. Lists cost a fixed number of queries whatever their length.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from jiayuan.accounts.scope import get_scope

from .choices import DisputeKind, DisputeStatus, HandlingLevel
from .models import Dispute, DisputeEvent, DisputeParty, ScreeningRound

FILTERS = ("status", "level", "kind", "intake_mode", "mediation_kind", "screening_round")


def _scoped(user, qs: QuerySet) -> QuerySet:
    scope = get_scope(user)
    if not scope.is_staff_role:
        return qs.none()
    return scope.filter(qs)


def round_list(*, user) -> QuerySet[ScreeningRound]:
    """Screening rounds the user may see, each with the number of disputes it found."""
    return (_scoped(user, ScreeningRound.objects.all()).select_related("community")
            .annotate(dispute_count=Count("disputes")).order_by("-period_start", "-id"))


def current_round(*, user) -> ScreeningRound | None:
    """The latest screening round the user may see (the 底数 the register page counts)."""
    return round_list(user=user).first()


def dispute_list(*, user, filters: dict | None = None) -> QuerySet[Dispute]:
    qs = _scoped(user, Dispute.objects.all())
    for key, value in (filters or {}).items():
        if key in FILTERS and value:
            qs = qs.filter(**{f"{key}_id" if key == "screening_round" else key: getattr(value, "pk", value)})
    q = (filters or {}).get("q")
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(number__icontains=q)
    return (qs.select_related("place", "screening_round")
            .prefetch_related(Prefetch("parties", queryset=DisputeParty.objects.order_by("id")))
            .order_by("-found_on", "-id"))


def dispute_get(*, user, pk: int) -> Dispute:
    qs = _scoped(user, Dispute.objects.all()).select_related("place", "screening_round", "created_by")
    return get_object_or_404(qs, pk=pk)


def dispute_events(dispute: Dispute) -> QuerySet[DisputeEvent]:
    return dispute.events.select_related("actor").order_by("at", "id")


def counts(qs: QuerySet[Dispute]) -> dict[str, list[tuple[str, str, int]]]:
    """底数清: how many disputes per status, level and kind (three grouped queries)."""
    out = {}
    for field, choices in (("status", DisputeStatus), ("level", HandlingLevel), ("kind", DisputeKind)):
        got = dict(qs.order_by().values_list(field).annotate(n=Count("id")).values_list(field, "n"))
        out[field] = [(code, label, got.get(code, 0)) for code, label in choices.choices]
    return out
