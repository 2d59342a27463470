"""Every read of people and households, scoped to what the user may see (deny by default).

Views, the API and exports get their querysets only from here. Lists use a fixed number of
queries whatever the page size (select_related + one prefetch for tags).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from jiayuan.accounts.scope import get_scope
from jiayuan.core import crypto
from jiayuan.core.idnumber import normalise

from .choices import ResidentStatus
from .models import Household, Resident, ResidentMove, ResidentTag, SpecialGroup
from .search import filter_name_contains


def _tag_prefetch() -> Prefetch:
    return Prefetch("tag_links", queryset=ResidentTag.objects.select_related("group").order_by("group__sensitivity"))


def resident_list(
    *, user, filters: dict | None = None, include_inactive: bool = False, with_address: bool = True
) -> QuerySet[Resident]:
    """Residents in the user's area, filtered by ``q`` (name, or a full identity/phone number
    matched through the blind index), ``grid``, ``place`` (any territory code), ``household``,
    ``tag``, ``incomplete`` and ``status``. ``with_address=False`` leaves out the household and
    place joins (and the ciphertext), which a page of 50 otherwise pays for every row in scope
    before the sort."""
    scope = get_scope(user)
    qs = scope.filter(Resident.objects.all())
    filters = filters or {}
    status = filters.get("status")
    if status in ResidentStatus.values:
        qs = qs.filter(status=status)
    elif not include_inactive:
        qs = qs.filter(status=ResidentStatus.ACTIVE)
    q = (filters.get("q") or "").strip()
    if q:
        number = normalise(q)
        if len(number) == 18:
            qs = qs.filter(id_number_index=crypto.blind_index(number))
        elif number.isdigit() and len(number) >= 7:
            qs = qs.filter(phone_index=crypto.blind_index(number))
        else:
            qs = filter_name_contains(qs, q)
    for key in ("grid", "place"):
        code = (filters.get(key) or "").strip()
        if code:
            qs = qs.filter(territory_code__startswith=code)
    if filters.get("household"):
        qs = qs.filter(household_id=filters["household"])
    tag = filters.get("tag")
    if tag:
        level = scope.widest_sensitivity
        qs = qs.filter(tag_links__group__code=tag, tag_links__group__sensitivity__lte=level)
    if str(filters.get("incomplete", "")).lower() in {"1", "true", "yes"}:
        qs = qs.filter(completeness__lt=100)
    qs = qs.prefetch_related(_tag_prefetch()).order_by("territory_code", "id")
    if with_address:  # pages show the address; the API gives ids and codes, and skips the joins
        return qs.select_related("household__unit__parent")
    return qs.defer("id_number_cipher", "phone_cipher", "name_grams")


def resident_get(*, user, pk) -> Resident:
    """One resident the user may see, or 404 (never 403: existence is not disclosed)."""
    return get_object_or_404(resident_list(user=user, include_inactive=True), pk=pk)


def visible_tags(*, user, resident: Resident) -> list[SpecialGroup]:
    """The resident's special-group tags the user may see (uses the prefetched links)."""
    level = get_scope(user).max_sensitivity(resident.territory_code)
    cache = getattr(resident, "_prefetched_objects_cache", {})
    links = cache["tag_links"] if "tag_links" in cache else resident.tag_links.all()
    return [link.group for link in links if link.group.sensitivity <= level]


def attach_visible_tag_codes(*, user, rows: list[dict]) -> None:
    """Give each ``{"id", "territory_code", ...}`` row the codes of the tags the user may see,
    in one query (the list API reads rows as dicts, without model instances)."""
    scope = get_scope(user)
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        row["tags"] = []
    links = (
        ResidentTag.objects.filter(resident_id__in=list(by_id))
        .order_by("group__sensitivity", "id")
        .values_list("resident_id", "group__code", "group__sensitivity")
    )
    levels: dict[str, int] = {}
    for resident_id, code, sensitivity in links:
        row = by_id[resident_id]
        territory = row["territory_code"]
        if territory not in levels:
            levels[territory] = scope.max_sensitivity(territory)
        if sensitivity <= levels[territory]:
            row["tags"].append(code)


def special_group_list(*, user) -> QuerySet[SpecialGroup]:
    return SpecialGroup.objects.filter(sensitivity__lte=get_scope(user).widest_sensitivity)


def resident_moves(*, user, resident: Resident) -> QuerySet[ResidentMove]:
    resident_get(user=user, pk=resident.pk)
    return resident.moves.select_related("from_household__unit__parent", "to_household__unit__parent", "actor")


def household_list(*, user, filters: dict | None = None) -> QuerySet[Household]:
    scope = get_scope(user)
    qs = scope.filter(Household.objects.all())
    filters = filters or {}
    for key in ("grid", "place"):
        code = (filters.get(key) or "").strip()
        if code:
            qs = qs.filter(territory_code__startswith=code)
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    if filters.get("hardship_status"):
        qs = qs.filter(hardship_status=filters["hardship_status"])
    if str(filters.get("incomplete", "")).lower() in {"1", "true", "yes"}:
        qs = qs.filter(completeness__lt=100)
    return qs.select_related("unit__parent", "head").order_by("territory_code")


def household_list_with_member_count(*, user, filters: dict | None = None) -> QuerySet[Household]:
    """:func:`household_list` with ``member_count``: living members, counted in the same query."""
    from django.db.models import Count

    return household_list(user=user, filters=filters).annotate(
        member_count=Count("members", filter=Q(members__status=ResidentStatus.ACTIVE))
    )


def household_get(*, user, pk) -> Household:
    return get_object_or_404(household_list(user=user), pk=pk)


def household_members(*, user, household: Household) -> QuerySet[Resident]:
    return resident_list(user=user).filter(household=household)


def completeness_summary(*, user, code: str) -> dict:
    """Share of complete resident records under ``code`` (within the user's scope)."""
    qs = resident_list(user=user, filters={"place": code})
    total = qs.count()
    complete = qs.filter(completeness__gte=100).count()
    return {"total": total, "complete": complete, "percent": round(100 * complete / total) if total else 0}


def counts_by_child(*, user, parent_code: str, child_code_length: int, model=Resident) -> dict[str, int]:
    """Count rows under each child of a place in one grouped query."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    qs = get_scope(user).filter(model.objects.filter(territory_code__startswith=parent_code))
    if model is Resident:
        qs = qs.filter(status=ResidentStatus.ACTIVE)
    rows = (
        qs.annotate(prefix=Substr("territory_code", 1, child_code_length))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["prefix"]: r["n"] for r in rows}


def complete_counts_by_child(*, user, parent_code: str, child_code_length: int) -> dict[str, int]:
    from django.db.models import Count
    from django.db.models.functions import Substr

    qs = get_scope(user).filter(
        Resident.objects.filter(territory_code__startswith=parent_code, status=ResidentStatus.ACTIVE, completeness__gte=100)
    )
    rows = qs.annotate(prefix=Substr("territory_code", 1, child_code_length)).values("prefix").annotate(n=Count("id")).order_by()
    return {r["prefix"]: r["n"] for r in rows}


def resident_for_user(*, user) -> Resident | None:
    """The resident record linked to a signed-in resident (their own profile), if they may see it."""
    return resident_list(user=user, include_inactive=True).filter(user=user).first()


def place_counts(*, user, places) -> list[dict]:
    """Residents, households and complete records under each place, in a fixed number of grouped
    queries (three per code length) however many places are listed; scoped to the user."""
    import os

    places = list(places)
    rows = {p.pk: {"place": p, "residents": 0, "households": 0, "complete": 0, "percent": 0} for p in places}
    by_length: dict[int, list] = {}
    for p in places:
        by_length.setdefault(len(p.code), []).append(p)
    for length, group in by_length.items():
        parent_code = os.path.commonprefix([p.code for p in group])
        residents = counts_by_child(user=user, parent_code=parent_code, child_code_length=length)
        households = counts_by_child(user=user, parent_code=parent_code, child_code_length=length, model=Household)
        complete = complete_counts_by_child(user=user, parent_code=parent_code, child_code_length=length)
        for p in group:
            row = rows[p.pk]
            row["residents"] = residents.get(p.code, 0)
            row["households"] = households.get(p.code, 0)
            row["complete"] = complete.get(p.code, 0)
            row["percent"] = round(100 * row["complete"] / row["residents"]) if row["residents"] else 0
    return [rows[p.pk] for p in places]


def grid_resident_stats(*, user, grid_codes: list[str]) -> dict[str, dict]:
    """Living residents and complete records per grid, for the given grids, in one grouped query:
    ``{grid_code: {"total": n, "complete": m, "percent": p}}`` (grids without residents absent)."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    if not grid_codes:
        return {}
    grid_filter = Q()
    for code in grid_codes:
        grid_filter |= Q(territory_code__startswith=code)
    rows = (
        get_scope(user)
        .filter(Resident.objects.filter(grid_filter, status=ResidentStatus.ACTIVE))
        .annotate(grid=Substr("territory_code", 1, 15))
        .values("grid")
        .annotate(total=Count("id"), complete=Count("id", filter=Q(completeness__gte=100)))
        .order_by()
    )
    return {
        r["grid"]: {"total": r["total"], "complete": r["complete"], "percent": round(100 * r["complete"] / r["total"])}
        for r in rows
    }


__all__ = [
    "Q",
    "resident_list", "resident_get", "visible_tags", "special_group_list", "resident_moves",
    "household_list", "household_get", "household_members", "completeness_summary", "counts_by_child",
    "complete_counts_by_child", "resident_for_user", "place_counts",
]
