"""Who may read and keep the community registers.

Reading: staff roles whose area covers the community (its own staff and secretary, the street
and district above it, administrators). A grid worker's area is one grid, below the community,
so the community's registers are outside it (404, like any record outside one's area); residents
and users without a role see nothing.

Writing: only the community's own people — community staff, the community Party secretary — and
administrators (``COMMUNITY_WRITER_ROLES``). Street and district staff supervise: they read and
export, and get 403 on a write. Grid workers are writers of the residents register
(``WRITER_ROLES``) but not of these registers.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope

COMMUNITY_WRITER_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.ADMIN})


def may_read_registers(user, community) -> bool:
    scope = get_scope(user)
    return any(g.role != Role.RESIDENT and g.covers(community.code) for g in scope.grants)


def may_write_registers(user, community) -> bool:
    """``can_write(community.code)`` through a community-level writer role."""
    scope = get_scope(user)
    return scope.can_write(community.code) and any(
        g.role in COMMUNITY_WRITER_ROLES and g.covers(community.code) for g in scope.grants
    )


def require_write(actor, community) -> None:
    if not may_write_registers(actor, community):
        raise PermissionDenied(_("You may not change the registers of this community."))


@rules.predicate
def can_read_community_registers(user, community) -> bool:
    return community is not None and may_read_registers(user, community)


@rules.predicate
def can_write_community_registers(user, community) -> bool:
    return community is not None and may_write_registers(user, community)


rules.set_perm("community.view_registers", can_read_community_registers)
rules.set_perm("community.change_registers", can_write_community_registers)
