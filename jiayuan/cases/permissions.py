"""Who may act on a case.

- Reporting (``may_report``): staff of the place (grid workers only inside their grid, community
  staff and secretary in their community, street and district staff in their area,
  administrators). Anyone else — a resident or an anonymous caller of the public page or
  Open311 — only through a public channel and only for a community or a grid.
- Handling (``is_handler``): the community staff and secretary of the case's community while the
  case is at community level, the street staff once it is at street level, the district staff at
  district level (三级调处, 002 L135), and administrators. The assignee user may also start,
  reply, visit, resolve and comment (``ASSIGNEE_ACTIONS``).
- Grid workers whose grid covers the case may comment; residents have no action here (their
  follow-up and rating go through the public pages).
- The person who assigned a case may not close it (issue 6).
"""

from __future__ import annotations

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope

from .choices import CaseAction, CaseLevel

LEVEL_ROLES = {
    CaseLevel.COMMUNITY: frozenset({Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY}),
    CaseLevel.STREET: frozenset({Role.STREET_STAFF}),
    CaseLevel.DISTRICT: frozenset({Role.DISTRICT_STAFF}),
}
REPORTER_ROLES = frozenset({
    Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF,
    Role.ADMIN,
})
HANDLING_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF,
                            Role.ADMIN})
ASSIGNEE_ACTIONS = frozenset({
    CaseAction.START, CaseAction.REPLY, CaseAction.HOME_VISIT, CaseAction.RESOLVE, CaseAction.COMMENT,
})


def may_report(user, territory_code: str) -> bool:
    """Staff who may take a case in at this place (a grid worker: inside their grid)."""
    scope = get_scope(user)
    return any(g.role in REPORTER_ROLES and g.covers(territory_code) for g in scope.grants)


def is_handler(user, case) -> bool:
    """The staff of the case's current level over its place, or an administrator."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    roles = LEVEL_ROLES.get(case.level, frozenset())
    return any(g.role in roles and g.covers(case.territory_code) for g in scope.grants)


def is_assignee(user, case) -> bool:
    return bool(user and getattr(user, "pk", None) and case.assignee_user_id == user.pk)


def sees_internal(user, case) -> bool:
    """Internal events are for the handling side: staff of any level above the grid, the assignee."""
    scope = get_scope(user)
    if is_assignee(user, case):
        return True
    return any(g.role in HANDLING_ROLES and g.covers(case.territory_code) for g in scope.grants)


def is_staff_over(user, case) -> bool:
    """Any staff role (grid worker and up) covering the case: may read staff events and comment."""
    scope = get_scope(user)
    return any(g.role != Role.RESIDENT and g.covers(case.territory_code) for g in scope.grants)


def may_act(user, case, action: str) -> bool:
    """Whether ``user`` may perform ``action`` on ``case`` (ignoring the case's state)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if action == CaseAction.CLOSE and case.assigned_by_id and case.assigned_by_id == user.pk:
        return False
    if is_handler(user, case):
        return True
    if is_assignee(user, case) and action in ASSIGNEE_ACTIONS:
        return True
    return action == CaseAction.COMMENT and is_staff_over(user, case)
