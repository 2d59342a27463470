"""Who may keep the disclosure board.

Writing (draft, edit a draft, publish, correct, withdraw): the community's staff and Party
secretary, who post the board (002 L177), and administrators. Approving (the checker of
maker-checker): the community secretary, the street and the district above (they supervise
the community's disclosure, 002 L39), administrators — never the item's maker. Residents, grid
workers and users without a role change nothing; the public reads the board without signing in.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope

WRITER_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.ADMIN})
APPROVER_ROLES = frozenset({Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF, Role.ADMIN})


def _has_role_over(user, territory_code: str, roles: frozenset) -> bool:
    return any(g.role in roles and g.covers(territory_code) for g in get_scope(user).grants)


def may_write(user, territory_code: str) -> bool:
    return _has_role_over(user, territory_code, WRITER_ROLES)


def may_approve(user, territory_code: str) -> bool:
    return _has_role_over(user, territory_code, APPROVER_ROLES)


def require_write(actor, territory_code: str) -> None:
    if not may_write(actor, territory_code):
        raise PermissionDenied(_("You may not change the disclosure board here."))


def require_approve(actor, territory_code: str) -> None:
    if not may_approve(actor, territory_code):
        raise PermissionDenied(_("You may not approve disclosures here."))
