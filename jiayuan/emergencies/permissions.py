"""Who may read and keep the emergency records.

Reading: staff roles whose area covers the place (grid workers their own grid); residents and
users without a role see nothing (404). Writing plans, the roster and incidents: the community's
staff and secretary (002 L139 puts the secretary in charge), the street and district staff over
the place (they respond on site too: 急诊, 002 L137), administrators. A grid worker may add
response records for incidents in their grid. Acknowledging a report: a user of the level it
was sent to (street staff for a street report, district staff for a district report) or an
administrator — nobody acknowledges their own report.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope

from .choices import ReportLevel

WRITER_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF,
                          Role.ADMIN})
ACK_ROLES = {ReportLevel.STREET: Role.STREET_STAFF, ReportLevel.DISTRICT: Role.DISTRICT_STAFF}


def _has(user, code: str, roles) -> bool:
    return any(g.role in roles and g.covers(code) for g in get_scope(user).grants)


def may_read(user, code: str) -> bool:
    return any(g.role != Role.RESIDENT and g.covers(code) for g in get_scope(user).grants)


def may_write(user, code: str) -> bool:
    return _has(user, code, WRITER_ROLES)


def may_respond(user, code: str) -> bool:
    return _has(user, code, WRITER_ROLES | {Role.GRID_WORKER})


def may_acknowledge(user, report) -> bool:
    return _has(user, report.to_code, {ACK_ROLES[report.to_level], Role.ADMIN})


def require(allowed: bool, message=None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You may not change the emergency records here."))
