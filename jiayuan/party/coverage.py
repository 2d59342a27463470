"""Coverage checks of the Party organizations in a user's area: the failure states the seeds
name — 「有党员，无组织」「有组织，无活动」「有活动，无作用」 (001 L25) — plus one organization for every
community (一社区一支部, N-ORG-01) and one in every grid that qualifies (003 L293
「在符合条件的居民小区(网格)建立党组织」).

"Qualifies" follows the Party constitution (党章 第三十条): three or more full members may set
up a grassroots organization, so a grid where three or more members live and no organization or
Party group serves it is a gap. "No activity" is no held meeting in the last ``QUIET_DAYS``.
"No effect" is a judgment the records can only approximate: meetings were held in that time but
none has signed-off minutes with decisions, or fewer than half of those expected came. It is
shown as a question to look into, not as a verdict.

Read-only, scoped to the user like every selector; a fixed number of queries whatever the size of
the area (seven, with the scope).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from jiayuan.accounts.scope import get_scope
from jiayuan.residents.choices import ResidentStatus
from jiayuan.residents.models import Resident
from jiayuan.residents.norms_facts import MEMBER_POLITICAL_STATUSES
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .choices import MemberStatus, OrgType
from .models import Member, Organization

QUIET_DAYS = 90
MIN_MEMBERS_FOR_ORG = 3  # 党章 第三十条: 正式党员三人以上


@dataclass(frozen=True)
class Gap:
    """One coverage problem: its kind (a code), the place or organization it concerns, a sentence
    in the user's language and the page to fix it on."""

    kind: str
    code: str
    name: str
    message: str
    url: str = ""


KINDS = {
    "no_community_org": "一社区一支部",
    "grid_without_org": "003 L293",
    "members_without_org": "有党员，无组织",
    "org_without_activity": "有组织，无活动",
    "activity_without_effect": "有活动，无作用",
}


def coverage_gaps(*, user, today: dt.date) -> list[Gap]:
    scope = get_scope(user)
    if not scope.is_staff_role:
        return []
    places = list(
        scope.filter(Place.objects.filter(kind__in=[PlaceKind.COMMUNITY, PlaceKind.GRID]), "code")
        .only("id", "code", "name", "kind")
        .order_by("code")
    )
    if not places:
        return []
    orgs = list(
        scope.filter(Organization.objects.filter(dissolved_on__isnull=True)).select_related("place").order_by("code")
    )
    gaps: list[Gap] = []

    # one organization for every community, and one for every grid with three members or more
    served = {o.place.code for o in orgs}
    community_orgs = {o.territory_code[:12] for o in orgs if o.org_type != OrgType.PARTY_GROUP and o.place.kind == PlaceKind.COMMUNITY}
    members_by_grid = _count_by_grid(
        scope.filter(Member.objects.filter(left_on__isnull=True, status=MemberStatus.FULL, resident__isnull=False),
                     "resident__territory_code"),
        "resident__territory_code",
    )
    for p in places:
        if p.kind == PlaceKind.COMMUNITY and p.code not in community_orgs:
            gaps.append(Gap("no_community_org", p.code, p.name, _("No Party organization of the community itself."),
                            "/party/"))
        elif p.kind == PlaceKind.GRID and members_by_grid.get(p.code, 0) >= MIN_MEMBERS_FOR_ORG and not any(
            code.startswith(p.code) for code in served
        ):
            gaps.append(Gap(
                "grid_without_org", p.code, p.name,
                _("{n} members live in this grid and no organization or Party group serves it.").format(
                    n=members_by_grid[p.code]),
                "/party/",
            ))

    # residents registered as CPC members with no member record anywhere on the platform
    registered = _count_by_grid(
        scope.filter(
            Resident.objects.filter(political_status__in=MEMBER_POLITICAL_STATUSES, status=ResidentStatus.ACTIVE,
                                    party_memberships__isnull=True),
            "territory_code",
        ),
        "territory_code",
    )
    for p in places:
        if p.kind == PlaceKind.GRID and registered.get(p.code):
            gaps.append(Gap(
                "members_without_org", p.code, p.name,
                _("{n} residents are recorded as Party members but belong to no organization here: "
                  "pocket members to follow up (003 L435).").format(n=registered[p.code]),
                "/party/pocket/",
            ))

    gaps += _activity_gaps(orgs, today)
    return gaps


def _count_by_grid(qs, field: str) -> Counter:
    """Rows per grid (the first 15 digits of the territory code): one grouped query."""
    rows = qs.annotate(grid=Substr(field, 1, 15)).values("grid").annotate(n=Count("id")).order_by()
    return Counter({row["grid"]: row["n"] for row in rows})


def _activity_gaps(orgs: list[Organization], today: dt.date) -> list[Gap]:
    if not apps.is_installed("jiayuan.meetings") or not orgs:
        return []
    from jiayuan.meetings.models import Attendance, Meeting

    since = today - dt.timedelta(days=QUIET_DAYS)
    meetings = list(
        Meeting.objects.filter(organization__in=orgs, status="held", held_on__gte=since)
        .select_related("minutes")
    )
    by_org: dict[int, list] = defaultdict(list)
    for m in meetings:
        by_org[m.organization_id].append(m)
    came = Counter()
    total = Counter()
    for row in Attendance.objects.filter(meeting__in=[m.pk for m in meetings]).values("meeting__organization_id", "status"):
        total[row["meeting__organization_id"]] += 1
        if row["status"] in ("present", "late"):
            came[row["meeting__organization_id"]] += 1
    gaps = []
    for o in orgs:
        held = by_org.get(o.pk, [])
        url = f"/party/organizations/{o.code}/"
        if not held:
            gaps.append(Gap("org_without_activity", o.code, o.name,
                            _("No meeting held in the last {days} days.").format(days=QUIET_DAYS), url))
            continue
        with_decisions = [m for m in held if _has_signed_decisions(m)]
        low_turnout = total[o.pk] and came[o.pk] * 2 < total[o.pk]
        if not with_decisions or low_turnout:
            reason = (_("fewer than half of the members came") if low_turnout
                      else _("no signed minutes with decisions"))
            gaps.append(Gap("activity_without_effect", o.code, o.name,
                            _("{n} meetings in the last {days} days, but {reason}.").format(
                                n=len(held), days=QUIET_DAYS, reason=reason), url))
    return gaps


def _has_signed_decisions(meeting) -> bool:
    minutes = getattr(meeting, "minutes", None)
    return bool(minutes and minutes.signed_off_at and (minutes.decisions or "").strip())
