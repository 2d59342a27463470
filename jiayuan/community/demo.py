"""The demo community's registers (礼仪社区), chosen so that the rulebook tells a story.

With the demo's 630 households and 130 Party members (residents demo, seed 2026):

- service centre of 150 m² (20 m² per 100 households needs 126: met) with three of the four
  required rooms — audio-visual education is missing (not met) — and the police, residents'-talk
  and legal-consultation rooms of 004 L28;
- this year and last year: operating fund 20,000 yuan (30 a household needs 18,900: met),
  member activity fund 8,000 (100 a member needs 13,000: not met; this year's ledger also shows
  a mistyped row and its reversal), livelihood project fund 200,000 (met);
- two committees of 7 distinct persons: the Party secretary is also the residents' committee
  director (dual role) with one full-time deputy secretary, one cadre under 35, two graduates,
  two persons cross-appointed (the secretary-director and a committee member who is deputy
  director), and one ended seat kept as history.

Every row goes through the services (validation, audit log) as the demo secretary. Idempotent:
each register is filled only when it is empty. Deterministic: residents are picked by fixed
criteria in territory-code order.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jiayuan.accounts.models import User
from jiayuan.residents.demo import COMMUNITY
from jiayuan.residents.models import Resident
from jiayuan.territory.models import Place

from . import services
from .choices import Committee, Fund, Post, ServiceRoom
from .models import FundAllocation, MemberResidentServiceCenter, TwoCommitteesSeat

CENTRE_AREA = Decimal("150")
FUNDS = {Fund.OPERATING_FUND: Decimal("20000"), Fund.MEMBER_ACTIVITY_FUND: Decimal("8000"),
         Fund.LIVELIHOOD_FUND: Decimal("200000")}


def _on_or_before(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


def _centre(actor, community: Place) -> None:
    if MemberResidentServiceCenter.objects.filter(community=community).exists():
        return
    services.service_center_create(
        actor=actor, community=community, name="礼仪社区党员群众服务中心", address="平庄花园1栋一楼",
        area_m2=CENTRE_AREA, opened_on=dt.date(2019, 6, 1),
        rooms=[ServiceRoom.CONVENIENCE_SERVICES, ServiceRoom.MEMBER_RESIDENT_ACTIVITIES, ServiceRoom.CULTURE_RECREATION,
               ServiceRoom.POLICE, ServiceRoom.RESIDENTS_TALK, ServiceRoom.LEGAL_CONSULTATION],
        other_rooms="图书阅览室、日间照料室",
    )


def _funds(actor, community: Place, today: dt.date) -> None:
    if FundAllocation.objects.filter(community=community).exists():
        return
    for year in (today.year - 1, today.year):
        def day(month: int, d: int, year=year) -> dt.date:
            return _on_or_before(dt.date(year, month, d), today)

        record = dict(actor=actor, community=community, year=year, source="区财政")
        services.allocation_record(fund=Fund.OPERATING_FUND, amount=FUNDS[Fund.OPERATING_FUND], received_on=day(3, 15),
                                   document_no=f"新财社〔{year}〕12号", **record)
        if year == today.year:  # a mistyped row, corrected by its reversal
            wrong = services.allocation_record(fund=Fund.MEMBER_ACTIVITY_FUND, amount=Decimal("800"),
                                               received_on=day(4, 10), document_no=f"新组〔{year}〕8号", **record)
            services.allocation_reverse(actor=actor, allocation=wrong, reason="金额录入错误(应为8000元)")
        services.allocation_record(fund=Fund.MEMBER_ACTIVITY_FUND, amount=FUNDS[Fund.MEMBER_ACTIVITY_FUND],
                                   received_on=day(4, 10), document_no=f"新组〔{year}〕8号", **record)
        services.allocation_record(fund=Fund.LIVELIHOOD_FUND, amount=FUNDS[Fund.LIVELIHOOD_FUND], received_on=day(5, 20),
                                   document_no=f"新财社〔{year}〕31号", note="惠民项目:小区路灯和休闲步道", **record)


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _pick(candidates: list[Resident], taken: set[int], today: dt.date, *, ages: tuple[int, int], education: tuple,
          member: bool) -> Resident | None:
    for r in candidates:
        if r.pk in taken or not ages[0] <= _age(r.birth_date, today) <= ages[1] or r.education not in education:
            continue
        if member and r.political_status not in ("01", "02"):
            continue
        taken.add(r.pk)
        return r
    return None


# (key, ages, education codes, Party member?, fallback name, fallback birth, fallback education)
PEOPLE = [
    ("secretary", (45, 56), ("40", "60"), True, "杨德明", dt.date(1975, 4, 12), "40"),
    ("deputy", (38, 50), ("20",), True, "陈丽娟", dt.date(1982, 9, 3), "20"),
    ("cross", (40, 58), ("60", "70"), True, "王志强", dt.date(1972, 11, 20), "60"),
    ("party_member", (40, 60), ("60", "70"), True, "刘桂芳", dt.date(1970, 2, 8), "70"),
    ("resident_a", (38, 60), ("40", "60", "70"), False, "赵红梅", dt.date(1978, 6, 30), "60"),
    ("resident_b", (38, 60), ("40", "60", "70"), False, "周建华", dt.date(1968, 1, 25), "70"),
    ("young", (25, 30), ("30",), False, "吴思雨", dt.date(1998, 8, 16), "30"),
    ("former", (50, 70), ("60", "70", "80"), False, "孙永福", dt.date(1960, 3, 9), "70"),
]


def _seats(actor, community: Place, today: dt.date) -> None:
    if TwoCommitteesSeat.objects.filter(community=community).exists():
        return
    candidates = list(
        Resident.objects.filter(territory_code__startswith=community.code, status="active", user__isnull=True)
        .order_by("territory_code", "id")
    )
    taken: set[int] = set()
    people = {}
    for key, ages, education, member, name, birth, edu in PEOPLE:
        resident = _pick(candidates, taken, today, ages=ages, education=education, member=member)
        people[key] = {"resident": resident} if resident else {"full_name": name, "birth_date": birth, "education": edu}
    term = dt.date(today.year - 2, 1, 15)
    party, residents = Committee.COMMUNITY_PARTY_ORG, Committee.RESIDENTS_COMMITTEE
    plan = [
        ("secretary", party, Post.SECRETARY), ("deputy", party, Post.FULL_TIME_DEPUTY_SECRETARY),
        ("cross", party, Post.COMMITTEE_MEMBER), ("party_member", party, Post.COMMITTEE_MEMBER),
        ("secretary", residents, Post.DIRECTOR), ("cross", residents, Post.DEPUTY_DIRECTOR),
        ("resident_a", residents, Post.MEMBER), ("resident_b", residents, Post.MEMBER), ("young", residents, Post.MEMBER),
    ]
    services.seat_create(actor=actor, community=community, committee=residents, post=Post.MEMBER,
                         started_on=dt.date(today.year - 5, 1, 15), ended_on=dt.date(today.year - 2, 1, 15),
                         note="届满离任", **people["former"])
    for key, committee, post in plan:
        services.seat_create(actor=actor, community=community, committee=committee, post=post, started_on=term,
                             **people[key])


@transaction.atomic
def build_community_registers(*, actor=None) -> dict[str, int]:
    """Fill the demo community's registers (after ``load_demo`` made its places, people and the
    ``secretary`` login, who keeps them). Returns the row counts."""
    community = Place.objects.get(code=COMMUNITY[0])
    actor = actor or User.objects.get(username="secretary")
    today = timezone.localdate()
    _centre(actor, community)
    _funds(actor, community, today)
    _seats(actor, community, today)
    return {
        "centres": MemberResidentServiceCenter.objects.filter(community=community).count(),
        "allocations": FundAllocation.objects.filter(community=community).count(),
        "seats": TwoCommitteesSeat.objects.filter(community=community).count(),
    }
