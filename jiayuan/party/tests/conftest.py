"""The Party world: the web-test world (demo places, one user per role) plus a second community
with its own secretary (``secretary2``), and a small organization tree in 礼仪社区 built through
the services as its secretary: a general branch, a branch under it with one Party group, and
three members (one in the group, one without post).

Dates are in the past (``Y`` is last year), so nothing is in the future whatever today is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from jiayuan.accounts import services as account_services
from jiayuan.accounts.choices import Role
from jiayuan.core.tests.web_world import PASSWORD, _fast_web_tests, web  # noqa: F401
from jiayuan.party import services
from jiayuan.party.models import DuesPayment, Member, Organization, Transfer
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

Y = timezone.localdate().year - 1


def party_counts() -> dict[str, int]:
    """Rows that must not move when a write is refused."""
    return {
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "transfers": Transfer.objects.count(),
        "dues": DuesPayment.objects.count(),
        "log_entries": LogEntry.objects.count(),
    }


@dataclass
class PartyWorld:
    general: Organization
    branch: Organization
    group: Organization
    other_branch: Organization
    members: list[Member]
    other_member: Member


@pytest.fixture
def other_community(web):
    """礼仪街道's second community, with its own secretary (``secretary2``)."""
    street = web.places["street"]
    place = Place.objects.create(kind=PlaceKind.COMMUNITY, code=street.code + "002", name="桂花社区", parent=street)
    secretary = account_services.user_create(actor=None, username="secretary2", password=PASSWORD)
    account_services.role_assign(actor=None, user=secretary, role=Role.COMMUNITY_SECRETARY, place=place)
    web.users["secretary2"] = secretary
    return place


@pytest.fixture
def party(web, other_community) -> PartyWorld:
    actor, community = web.users["secretary"], web.places["community"]
    general = services.organization_create(
        actor=actor, name="礼仪社区党总支", org_type="general_party_branch", place=community,
        approved_by="礼仪街道党工委", founded_on=dt.date(2012, 6, 1),
    )
    branch = services.organization_create(
        actor=actor, name="第一党支部", org_type="party_branch", place=community, parent=general,
        founded_on=dt.date(2012, 6, 1),
    )
    group = services.organization_create(
        actor=actor, name="第一党小组", org_type="party_group", place=web.grid_a, parent=branch,
    )
    members = [
        services.member_create(actor=actor, organization=branch, full_name="张建国", resident=web.resident_a,
                               joined_on=dt.date(1975, 7, 1), group=group, categories=["retired"],
                               phone="13812345678", dues_base="2800"),
        services.member_create(actor=actor, organization=branch, full_name="王丽", joined_on=dt.date(2001, 7, 1),
                               categories=["in_service"], dues_base="6000"),
        services.member_create(actor=actor, organization=general, full_name="刘洋", joined_on=dt.date(2010, 7, 1),
                               categories=["without_post", "laid_off"]),
    ]
    other_branch = services.organization_create(
        actor=web.users["secretary2"], name="桂花社区党支部", org_type="party_branch", place=other_community,
    )
    other_member = services.member_create(actor=web.users["secretary2"], organization=other_branch, full_name="陈红")
    return PartyWorld(general, branch, group, other_branch, members, other_member)


# -- the registers the web pages show (appended for test_web.py and test_excel.py) ---------------

@dataclass
class PartyRegisters:
    """One row or more of every register, built through the services as the secretary."""

    transfer: Transfer
    lost_transfer: Transfer
    payment: DuesPayment
    mobile: object
    lead: object
    post: object
    report_in: object
    applicant: object
    election: object
    officer: object


@pytest.fixture
def party_registers(web, party) -> PartyRegisters:
    """A pending internal transfer and one pending out for 40 days (lost), dues of January of
    last year, a mobile member, a pocket-member lead, a designed post, a report-in, an applicant,
    an election of last March and the general branch's secretary."""
    actor, community = web.users["secretary"], web.places["community"]
    today = timezone.localdate()
    zhang, wang, liu = party.members
    transfer = services.transfer_request(actor=actor, member=wang, to_org=party.general, requested_on=today)
    lost = services.transfer_request(actor=actor, member=liu, to_outside_name="贵阳市某社区党委",
                                     requested_on=today - dt.timedelta(days=40))
    payment = services.dues_record(actor=actor, member=zhang, month=dt.date(Y, 1, 1), amount="14.00",
                                   paid_on=dt.date(Y, 1, 10), receipt_no="DF001")
    mobile = services.mobile_outflow_record(actor=actor, member=zhang, left_on=dt.date(Y, 2, 1), destination="广东省深圳市",
                                            inflow_org_name="深圳某流动党员党支部")
    lead = services.pocket_lead_create(actor=actor, place=community, full_name="周国华", found_on=dt.date(Y, 5, 6),
                                       relationship_at="原单位改制后不详")
    post = services.post_design(actor=actor, organization=party.general, title="楼栋长", duties="联系住户",
                                on=dt.date(Y, 3, 1))
    report_in = services.report_in_record(actor=actor, member=wang, community=community, reported_on=dt.date(Y, 3, 5),
                                          pledge="每月一次志愿服务")
    applicant = services.applicant_create(actor=actor, organization=party.branch, full_name="陈思远",
                                          applied_on=dt.date(Y, 2, 20))
    election = services.election_record(actor=actor, organization=party.general, held_on=dt.date(Y, 3, 15),
                                         eligible=10, votes_cast=9)
    officer = services.officer_appoint(actor=actor, organization=party.general, member=liu, post="secretary",
                                       started_on=dt.date(Y, 3, 15))
    return PartyRegisters(transfer, lost, payment, mobile, lead, post, report_in, applicant, election, officer)
