"""Writes to the territory tree. Only administrators and staff above a place may add places
under it; codes are checked against the parent (architecture.md §5)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope
from jiayuan.core.audit import acting_as

from .models import Compound, Place

# Roles that may shape the tree under their place.
_TREE_EDITORS = {Role.ADMIN, Role.DISTRICT_STAFF, Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY}


def _require_tree_editor(actor, code: str) -> None:
    scope = get_scope(actor)
    if not any(g.role in _TREE_EDITORS and g.covers(code) for g in scope.grants):
        raise PermissionDenied(_("You may not change places in this area."))


def place_create(
    *, actor, kind: str, code: str, name: str, parent: Place | None = None, boundary=None, compound: Compound | None = None,
    address: str = "", responsible_worker=None,
) -> Place:
    """Add a place to the tree after checking its code against its parent's."""
    _require_tree_editor(actor, parent.code if parent else "")
    place = Place(
        kind=kind, code=(code or "").strip(), name=(name or "").strip(), parent=parent, boundary=boundary,
        compound=compound, address=address, responsible_worker=responsible_worker,
    )
    place.full_clean()
    with transaction.atomic(), acting_as(actor):
        place.save()
    return place


def place_update(*, actor, place: Place, **changes) -> Place:
    """Rename a place, redraw a grid's boundary, or name a building's responsible worker.
    Codes never change: rows below carry them."""
    _require_tree_editor(actor, place.code)
    allowed = {"name", "boundary", "address", "responsible_worker", "compound"}
    bad = set(changes) - allowed
    if bad:
        raise ValidationError({k: [_("This field cannot be changed.")] for k in bad})
    with transaction.atomic(), acting_as(actor):
        place = Place.objects.select_for_update().get(pk=place.pk)
        for k, v in changes.items():
            setattr(place, k, v)
        place.full_clean()
        place.save()
    return place


def compound_create(*, actor, community: Place, name: str) -> Compound:
    _require_tree_editor(actor, community.code)
    compound = Compound(community=community, name=(name or "").strip())
    compound.full_clean(exclude=["territory_code"])
    with transaction.atomic(), acting_as(actor):
        compound.save()
    return compound
