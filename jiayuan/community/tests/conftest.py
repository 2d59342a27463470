"""The community-registers world: the web-test world (demo places, one user per role, three
residents in two households) plus a second community with its own staff, and small registers
for 礼仪社区 built through the services as its secretary.

Dates are in the last full year (``Y``), so nothing is in the future whatever today is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from jiayuan.accounts import services as account_services
from jiayuan.accounts.choices import Role
from jiayuan.community import services
from jiayuan.community.models import FundAllocation, MemberResidentServiceCenter, TwoCommitteesSeat
from jiayuan.core.tests.web_world import PASSWORD, _fast_web_tests, web  # noqa: F401
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

Y = timezone.localdate().year - 1


def register_counts() -> dict[str, int]:
    """Rows that must not move when a write is refused."""
    return {
        "centres": MemberResidentServiceCenter.objects.count(),
        "allocations": FundAllocation.objects.count(),
        "seats": TwoCommitteesSeat.objects.count(),
        "log_entries": LogEntry.objects.count(),
    }


@pytest.fixture
def other_community(web):
    """礼仪街道's second community, with its own community staff (``other_staff``)."""
    street = web.places["street"]
    place = Place.objects.create(kind=PlaceKind.COMMUNITY, code=street.code + "002", name="桂花社区", parent=street)
    staff = account_services.user_create(actor=None, username="other_staff", password=PASSWORD)
    account_services.role_assign(actor=None, user=staff, role=Role.COMMUNITY_STAFF, place=place)
    web.users["other_staff"] = staff
    return place


@pytest.fixture
def registers(web, other_community):
    """A centre of 30 m² with two of the four required rooms; last year's funds (one row
    reversed); a roster of three persons in office and one ended seat."""
    community, actor = web.places["community"], web.users["secretary"]
    centre = services.service_center_create(
        actor=actor, community=community, name="礼仪社区党员群众服务中心", area_m2=Decimal("30"),
        rooms=["convenience_services", "culture_recreation", "police"], opened_on=dt.date(Y - 3, 6, 1),
    )
    record = dict(actor=actor, community=community, year=Y, source="区财政")
    op = services.allocation_record(fund="operating_fund", amount=Decimal("100"), received_on=dt.date(Y, 3, 1), **record)
    wrong = services.allocation_record(fund="member_activity_fund", amount=Decimal("90"), received_on=dt.date(Y, 4, 1),
                                       **record)
    reversal = services.allocation_reverse(actor=actor, allocation=wrong, reason="录错")
    right = services.allocation_record(fund="member_activity_fund", amount=Decimal("120"),
                                       received_on=dt.date(Y, 4, 2), **record)
    start = dt.date(Y - 1, 1, 10)
    seat = dict(actor=actor, community=community, started_on=start)
    secretary = services.seat_create(committee="community_party_org", post="secretary", resident=web.resident_a, **seat)
    director = services.seat_create(committee="residents_committee", post="director", resident=web.resident_a, **seat)
    deputy = services.seat_create(committee="community_party_org", post="full_time_deputy_secretary", full_name="王芳",
                                  birth_date=dt.date(Y - 30, 5, 5), education="20", **seat)
    member = services.seat_create(committee="residents_committee", post="member", full_name="李四",
                                  birth_date=dt.date(1980, 1, 1), education="60", **seat)
    former = services.seat_create(committee="residents_committee", post="member", full_name="赵六",
                                  birth_date=dt.date(1960, 1, 1), education="10", started_on=dt.date(Y - 4, 1, 1),
                                  ended_on=dt.date(Y - 1, 1, 10), actor=actor, community=community)
    return {
        "community": community, "centre": centre, "operating": op, "wrong": wrong, "reversal": reversal,
        "right": right, "secretary": secretary, "director": director, "deputy": deputy, "member": member,
        "former": former,
    }
