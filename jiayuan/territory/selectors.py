"""Reads of the territory tree, scoped to the user.

A user sees their subtree in full and the chain of places above it (names only, so the
breadcrumb and the tree make sense), nothing beside it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from jiayuan.accounts.scope import get_scope

from .choices import CODE_LENGTH, PlaceKind
from .models import Place

_LENGTHS = sorted(set(CODE_LENGTH.values()))


def _ancestor_codes(code: str) -> set[str]:
    return {code[:n] for n in _LENGTHS if n < len(code)}


def place_list(*, user, kind: str | None = None, parent: Place | None = None, q: str = "") -> QuerySet[Place]:
    scope = get_scope(user)
    if not scope.grants:
        return Place.objects.none()
    ancestors: set[str] = set()
    for code in scope.codes:
        ancestors |= _ancestor_codes(code)
    if "" in scope.codes:  # the whole territory (Q() | Q(...) would keep only the right side)
        qs = Place.objects.all()
    else:
        qs = Place.objects.filter(scope.q("code") | Q(code__in=ancestors))
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    return qs.select_related("parent").order_by("code")


def place_get(*, user, code: str) -> Place:
    return get_object_or_404(place_list(user=user).select_related("compound", "responsible_worker"), code=code)


def place_is_in_scope(*, user, place: Place) -> bool:
    """True when the user's grants cover the place itself (not merely an ancestor of it)."""
    return get_scope(user).covers(place.code)


def place_roots(*, user) -> QuerySet[Place]:
    """The top places the user may browse from: their granted places."""
    scope = get_scope(user)
    if scope.is_admin:
        return Place.objects.filter(kind=PlaceKind.DISTRICT).order_by("code")
    ids = [g.place_id for g in scope.grants if g.place_id]
    return Place.objects.filter(pk__in=ids).order_by("code")


def place_breadcrumb(place: Place) -> list[Place]:
    codes = sorted(_ancestor_codes(place.code), key=len)
    by_code = {p.code: p for p in Place.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code] + [place]


def grid_list(*, user, with_workers: bool = False) -> QuerySet[Place]:
    """Grids the user may see in full (ancestors' sibling grids are not included).

    ``with_workers`` prefetches the grid-worker assignments (with their users) into
    ``grid.worker_assignments``, one query for the whole page.
    """
    scope = get_scope(user)
    qs = scope.filter(Place.objects.filter(kind=PlaceKind.GRID), "code").select_related("parent").order_by("code")
    if with_workers:
        from django.db.models import Prefetch

        from jiayuan.accounts.choices import Role
        from jiayuan.accounts.models import RoleAssignment

        qs = qs.prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(role=Role.GRID_WORKER).select_related("user").order_by("user__username"),
                to_attr="worker_assignments",
            )
        )
    return qs


def grid_workers(grid: Place):
    from jiayuan.accounts.choices import Role
    from jiayuan.accounts.models import User

    return User.objects.filter(role_assignments__role=Role.GRID_WORKER, role_assignments__place=grid).distinct()
