"""Who may read and keep the Party registers (organizations, members, transfers, dues,
recruitment) and the organizational-life records built on them (meetings).

Reading: staff roles whose area covers the organization's place — the community's secretary and
staff, the street and district above it, administrators. Rows carry the ``territory_code`` of the
place the organization serves, so "a branch secretary sees their organization's subtree" is the
same prefix scan as everywhere else. Grid workers see the Party registers of their own grid only
(an organization set up in the grid, 003 L293); residents and users without a role see nothing.

Writing the Party registers: the community Party secretary (who leads the organizations, 002
L93), the street and district staff (the street Party working committee approves and supervises
the community's organizations, 002 L39) and administrators — ``PARTY_WRITER_ROLES``. Community
staff may also record organizational life (roll call, minutes): ``MEETING_WRITER_ROLES``. Anyone
else gets 403 on a write to something they can see.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope

PARTY_WRITER_ROLES = frozenset({Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF, Role.ADMIN})
MEETING_WRITER_ROLES = PARTY_WRITER_ROLES | {Role.COMMUNITY_STAFF}


def _has_role_over(user, territory_code: str, roles: frozenset) -> bool:
    scope = get_scope(user)
    return any(g.role in roles and g.covers(territory_code) for g in scope.grants)


def may_read_party(user, territory_code: str) -> bool:
    scope = get_scope(user)
    return any(g.role != Role.RESIDENT and g.covers(territory_code) for g in scope.grants)


def may_write_party(user, territory_code: str) -> bool:
    return _has_role_over(user, territory_code, PARTY_WRITER_ROLES)


def may_write_meetings(user, territory_code: str) -> bool:
    return _has_role_over(user, territory_code, MEETING_WRITER_ROLES)


def require_party_write(actor, territory_code: str) -> None:
    if not may_write_party(actor, territory_code):
        raise PermissionDenied(_("You may not change the Party registers here."))


def require_meeting_write(actor, territory_code: str) -> None:
    if not may_write_meetings(actor, territory_code):
        raise PermissionDenied(_("You may not record organizational life here."))


@rules.predicate
def can_write_party(user, obj) -> bool:
    return obj is not None and may_write_party(user, obj.territory_code)


@rules.predicate
def can_write_meetings(user, obj) -> bool:
    return obj is not None and may_write_meetings(user, obj.territory_code)


rules.set_perm("party.change_registers", can_write_party)
rules.set_perm("party.record_meetings", can_write_meetings)
