"""The meetings world: the web-test world (demo places, one user per role) plus a Party branch
of 礼仪社区 with two Party groups and five members built with the plain ORM (the Party module's
services are another app's work in progress), and a street Party working committee.

``member_a`` is linked to the resident ``resident`` user (张建国), so that user can sign in with
a code and cast their own votes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from jiayuan.accounts import services as account_services
from jiayuan.accounts.choices import Role
from jiayuan.core.tests.web_world import PASSWORD, _fast_web_tests, web  # noqa: F401
from jiayuan.meetings.models import (
    Attendance,
    BallotReceipt,
    Meeting,
    MeetingEvent,
    Minutes,
    Motion,
    SecretBallot,
    VisitTask,
)
from jiayuan.party.models import Member, Organization, OrganizationOfficer
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

TODAY = timezone.localdate()


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def counts() -> dict[str, int]:
    """Rows that must not move when a write is refused."""
    return {
        "meetings": Meeting.objects.count(), "attendance": Attendance.objects.count(),
        "minutes": Minutes.objects.count(), "motions": Motion.objects.count(),
        "receipts": BallotReceipt.objects.count(), "ballots": SecretBallot.objects.count(),
        "tasks": VisitTask.objects.count(), "events": MeetingEvent.objects.count(),
        "log": LogEntry.objects.count(),
    }


def make_org(place, name, org_type, seq, parent=None) -> Organization:
    """Codes are "P" + the 12-digit community code (or a street's code) + a sequence."""
    return Organization.objects.create(code=f"P{place.code[:12]}{seq:02d}", name=name, org_type=org_type, place=place,
                                       parent=parent)


@pytest.fixture
def party(web):
    community, street = web.places["community"], web.places["street"]
    branch = make_org(community, "礼仪社区党支部", "party_branch", 1)
    group1 = make_org(community, "第一党小组", "party_group", 2, parent=branch)
    group2 = make_org(community, "第二党小组", "party_group", 3, parent=branch)
    street_org = make_org(street, "礼仪街道党工委", "party_committee", 1)

    def member(name, group, **extra):
        return Member.objects.create(full_name=name, organization=branch, group=group, **extra)

    members = {
        "a": member("张建国", group1, resident=web.resident_a, joined_on=dt.date(1980, 7, 1)),
        "b": member("李秀英", group1, resident=web.resident_b),
        "c": member("王芳", group1),
        "d": member("赵六", group2),
        "e": member("孙七", group2, status="probationary"),
    }
    OrganizationOfficer.objects.create(organization=branch, member=members["b"], post="secretary",
                                       started_on=dt.date(2020, 1, 1))
    OrganizationOfficer.objects.create(organization=branch, member=members["c"], post="committee_member",
                                       started_on=dt.date(2020, 1, 1))
    # a branch of the other community, for scope tests
    other = Place.objects.create(kind=PlaceKind.COMMUNITY, code=street.code + "002", name="桂花社区", parent=street)
    other_branch = make_org(other, "桂花社区党支部", "party_branch", 1)
    other_member = Member.objects.create(full_name="周八", organization=other_branch)
    other_staff = account_services.user_create(actor=None, username="other_staff", password=PASSWORD)
    account_services.role_assign(actor=None, user=other_staff, role=Role.COMMUNITY_STAFF, place=other)
    web.users["other_staff"] = other_staff
    return {
        "branch": branch, "group1": group1, "group2": group2, "street_org": street_org, "other": other,
        "other_branch": other_branch, "other_member": other_member, **members,
    }
