"""Who may read and keep the dispute register.

Reading: every staff role whose area covers the dispute's place (grid workers their own grid);
residents and users without a role see nothing (404). Writing follows 三级调处 (002 L135): a
dispute handled at community level is kept by the community's staff and secretary, one escalated
to the street by the street staff, one at county level by the district staff — each level writes
only at its own level; administrators everywhere. A grid worker may register a dispute found in
their own grid (随发现随报告, 002 L135) and nothing more.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope

from .choices import HandlingLevel

COMMUNITY_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY})
LEVEL_ROLES = {
    HandlingLevel.COMMUNITY: COMMUNITY_ROLES,
    HandlingLevel.STREET: frozenset({Role.STREET_STAFF}),
    HandlingLevel.COUNTY: frozenset({Role.DISTRICT_STAFF}),
}


def _has(user, code: str, roles) -> bool:
    return any((g.role in roles or g.role == Role.ADMIN) and g.covers(code) for g in get_scope(user).grants)


def may_read(user, code: str) -> bool:
    return any(g.role != Role.RESIDENT and g.covers(code) for g in get_scope(user).grants)


def may_write_at(user, code: str, level: str) -> bool:
    """May keep a dispute at ``code`` handled at ``level``."""
    return _has(user, code, LEVEL_ROLES[level])


def register_level(user, code: str) -> str | None:
    """The level at which ``user`` registers a dispute at ``code``, or None if they may not:
    the community for community roles, admins and grid workers in their grid, the street for
    street staff (坐诊 in the street's reception room, 002 L137), the county for district staff."""
    if _has(user, code, COMMUNITY_ROLES | {Role.GRID_WORKER}):
        return HandlingLevel.COMMUNITY
    if _has(user, code, LEVEL_ROLES[HandlingLevel.STREET]):
        return HandlingLevel.STREET
    if _has(user, code, LEVEL_ROLES[HandlingLevel.COUNTY]):
        return HandlingLevel.COUNTY
    return None


def may_keep_rounds(user, code: str) -> bool:
    return _has(user, code, COMMUNITY_ROLES)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change the dispute register here."))
