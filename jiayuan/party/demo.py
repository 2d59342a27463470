"""The demo community's Party organizations and members (礼仪社区), chosen so that the rulebook
and the registers tell a story.

- 礼仪社区党总支 (general branch, approved by the street working committee, 002 L39), elected
  in March last year: the three-year term (002 L113) is current.
- Three branches under it — 第一党支部 (retired members), 第二党支部 (in-service members),
  平庄花园小区党支部 (the compound) — and the compound's 5 Party groups (004 L20), four serving one
  grid each and one for the old members.
- The residents register's 130 CPC residents as members, linked to their resident records,
  distributed by employment and grid; officers for every organization.
- Members without post (无职党员): twelve, ten of them in posts through 设岗定责 (002 L97), two
  still without a post (N-STD-06a not met).
- Recruitment: two activists recognized this year (at least 3 a year, 003 L303: not yet met while
  the year runs), one development candidate last year.
- Transfers: one between branches received, one out to another city pending for over a month
  (flagged as lost), one out received with its receipt.
- Two mobile members with contacts, two pocket-member leads, three in-service members of other
  units reporting in, and an enterprise handover of 2009 (002 L25).
- Dues for every month of this year up to last month, with a few members in arrears and one
  mistyped line corrected by its reversal.

Every row goes through the services as the demo secretary. Idempotent: nothing is written when
the community already has an organization. Deterministic: residents are picked in code order.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jiayuan.accounts.models import User
from jiayuan.residents.demo import COMMUNITY
from jiayuan.residents.models import Resident
from jiayuan.residents.norms_facts import MEMBER_POLITICAL_STATUSES
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from . import services
from .choices import (
    ContactChannel,
    ContactKind,
    HostKind,
    MemberCategory,
    MemberStatus,
    OfficerPost,
    OrgType,
    PostAssessment,
    PostStage,
    RecruitmentStage,
)
from .models import Member, Organization

POSTS = ["楼栋长", "政策宣传岗", "环境卫生监督岗", "矛盾调解岗", "关爱老人岗", "治安巡逻岗", "文明劝导岗",
         "志愿服务联络岗", "民情收集岗", "困难帮扶岗"]


def _add_year(day: dt.date) -> dt.date:
    return day.replace(year=day.year + 1, day=min(day.day, 28))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months(year: int, until: dt.date):
    month = dt.date(year, 1, 1)
    while month < _month_start(until):
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


def _organizations(actor, community: Place, grids: list[Place]) -> dict:
    today = timezone.localdate()
    common = dict(actor=actor, approved_by="礼仪街道党工委")
    general = services.organization_create(
        name="中共礼仪社区总支部委员会", org_type=OrgType.GENERAL_PARTY_BRANCH, place=community,
        approval_ref="礼党工〔2012〕15号", founded_on=dt.date(2012, 6, 1), **common,
    )
    first = services.organization_create(
        name="礼仪社区第一党支部(离退休)", org_type=OrgType.PARTY_BRANCH, place=community, parent=general,
        founded_on=dt.date(2012, 6, 1), **common,
    )
    second = services.organization_create(
        name="礼仪社区第二党支部(在职)", org_type=OrgType.PARTY_BRANCH, place=community, parent=general,
        founded_on=dt.date(2015, 3, 1), **common,
    )
    compound = services.organization_create(
        name="平庄花园小区党支部", org_type=OrgType.PARTY_BRANCH, place=community, parent=general,
        host_kind=HostKind.COMPOUND, host_name="平庄花园", founded_on=dt.date(2018, 9, 1), **common,
    )
    groups = [
        services.organization_create(
            name=f"平庄花园第{'一二三四'[i]}党小组({grid.name})", org_type=OrgType.PARTY_GROUP, place=grid,
            parent=compound, founded_on=dt.date(2018, 9, 1), **common,
        )
        for i, grid in enumerate(grids)
    ]
    groups.append(
        services.organization_create(
            name="平庄花园第五党小组(老党员)", org_type=OrgType.PARTY_GROUP, place=community, parent=compound,
            founded_on=dt.date(2019, 7, 1), **common,
        )
    )
    services.election_record(actor=actor, organization=general, held_on=dt.date(today.year - 1, 3, 15),
                             eligible=128, votes_cast=121, note="总支委员会换届选举,选出委员5名")
    # the branches' own terms: the in-service branch's runs out within three months (a reminder)
    for org, held in ((first, dt.date(today.year - 1, 4, 10)), (compound, dt.date(today.year - 2, 9, 20)),
                      (second, today.replace(year=today.year - 3, day=1) + dt.timedelta(days=45))):
        services.election_record(actor=actor, organization=org, held_on=held, note="支部委员会换届选举")
    return {"general": general, "first": first, "second": second, "compound": compound, "groups": groups,
            "street": _street_committee(community)}


def _street_committee(community: Place) -> Organization | None:
    """The street Party working committee (街道党工委) that approved the community's organizations
    (002 L39) and calls the community secretaries to its meetings; set up by the street's staff."""
    street_user = User.objects.filter(username="street").first()
    if street_user is None:
        return None
    return services.organization_create(
        actor=street_user, name="中共礼仪街道工作委员会", org_type=OrgType.PARTY_COMMITTEE, place=community.parent,
        approved_by="新蒲新区区委", founded_on=dt.date(2010, 1, 1),
    )


def _members(actor, orgs: dict, grids: list[Place]) -> list[Member]:
    residents = list(
        Resident.objects.filter(territory_code__startswith=COMMUNITY[0], political_status__in=MEMBER_POLITICAL_STATUSES)
        .order_by("territory_code", "id")
    )
    members = []
    grid_group = {g.code: orgs["groups"][i] for i, g in enumerate(grids)}
    for i, r in enumerate(residents):
        retired = r.employment_status == "retired"
        in_grid = next((g for code, g in grid_group.items() if r.territory_code.startswith(code)), None)
        if i % 3 == 0 and in_grid is not None:
            org, group = orgs["compound"], (orgs["groups"][4] if retired and i % 2 else in_grid)
        else:
            org, group = (orgs["first"] if retired else orgs["second"]), None
        categories = [MemberCategory.RETIRED if retired else MemberCategory.IN_SERVICE]
        if i % 11 == 0:
            categories.append(MemberCategory.WITHOUT_POST)
        if retired and r.birth_date.year < 1955:
            categories.append(MemberCategory.OLD_MEMBER)
        if i == 7:
            categories.append(MemberCategory.IN_HARDSHIP)
        probationary = r.political_status == "02"
        today = timezone.localdate()
        joined = min(max(dt.date(r.birth_date.year + 25, 7, 1), dt.date(1975, 7, 1)), dt.date(today.year - 2, 7, 1))
        if probationary:
            joined = dt.date(today.year, 1, 10)
        adult = r.birth_date.replace(year=r.birth_date.year + 18, day=min(r.birth_date.day, 28)) + dt.timedelta(days=31)
        if adult > today:
            continue  # the register's random political status on a minor: not a member
        joined = min(max(joined, adult), today)
        if _add_year(joined) > today:
            probationary = True
        base = Decimal(3200 + (i * 397) % 7000) if not retired else Decimal(2600 + (i * 211) % 3000)
        members.append(
            services.member_create(
                actor=actor, organization=org, full_name=r.name, resident=r, birth_date=r.birth_date, sex=r.sex,
                group=group, status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
                joined_on=joined, full_on=None if probationary else _add_year(joined),
                categories=categories, dues_base=base,
                work_unit="" if retired else ["遵义市新蒲新区人民医院", "新蒲新区实验学校", "礼仪街道办事处", "遵义某建设公司"][i % 4],
                work_unit_party_org="" if retired else "该单位党组织",
                skills=["政策宣讲", "法律咨询", "医疗保健", "文艺演出", "电脑维修", "调解纠纷"][i % 6],
            )
        )
    return members


def _officers(actor, orgs: dict, members: list[Member], today: dt.date) -> None:
    start = dt.date(today.year - 1, 3, 15)
    by_org: dict[int, list[Member]] = {}
    for m in members:
        by_org.setdefault(m.organization_id, []).append(m)
        if m.group_id:
            by_org.setdefault(m.group_id, []).append(m)
    general = orgs["general"]
    branch_people = [m for o in ("first", "second", "compound") for m in by_org.get(orgs[o].pk, [])]
    # the general branch's committee: secretary, deputy, organizer, propaganda, discipline
    for member, post in zip(branch_people[:5], [OfficerPost.SECRETARY, OfficerPost.DEPUTY_SECRETARY,
                                                 OfficerPost.ORGANIZER, OfficerPost.PROPAGANDA, OfficerPost.DISCIPLINE], strict=False):
        services.officer_appoint(actor=actor, organization=general, member=member, post=post, started_on=start)
    for key in ("first", "second", "compound"):
        people = by_org.get(orgs[key].pk, [])
        if people:
            services.officer_appoint(actor=actor, organization=orgs[key], member=people[-1], post=OfficerPost.SECRETARY,
                                     started_on=start)
    for group in orgs["groups"]:
        people = by_org.get(group.pk, [])
        if people:
            services.officer_appoint(actor=actor, organization=group, member=people[0], post=OfficerPost.GROUP_LEADER,
                                     started_on=start)


def _posts(actor, orgs: dict, members: list[Member], today: dt.date) -> None:
    without = [m for m in members if MemberCategory.WITHOUT_POST in m.categories]
    designed = dt.date(today.year, 3, 1)
    for i, member in enumerate(without[:-2]):
        post = services.post_design(actor=actor, organization=orgs["general"], title=POSTS[i % len(POSTS)],
                                    duties="联系本楼栋住户,收集民情,宣传政策", on=designed)
        post = services.post_advance(actor=actor, post=post, stage=PostStage.CLAIMED, on=dt.date(today.year, 3, 10),
                                     member=member)
        post = services.post_advance(actor=actor, post=post, stage=PostStage.CONFIRMED, on=dt.date(today.year, 3, 20))
        post = services.post_advance(actor=actor, post=post, stage=PostStage.ANNOUNCED, on=dt.date(today.year, 3, 25))
        if i % 3 == 0 and today >= dt.date(today.year, 7, 1):
            services.post_advance(actor=actor, post=post, stage=PostStage.ASSESSED, on=dt.date(today.year, 7, 1),
                                  assessment=PostAssessment.EXCELLENT if i == 0 else PostAssessment.COMPETENT)
    services.post_design(actor=actor, organization=orgs["general"], title="垃圾分类督导岗", duties="每周督导两次", on=designed)


def _recruitment(actor, orgs: dict, today: dt.date) -> None:
    second = orgs["second"]
    y = today.year
    plan = [("陈思远", dt.date(y, 2, 20), dt.date(y, 3, 5), dt.date(y, 4, 8)),
            ("刘欣怡", dt.date(y, 3, 1), dt.date(y, 3, 20), dt.date(y, 5, 12)),
            ("赵明轩", dt.date(y - 2, 4, 2), dt.date(y - 2, 4, 20), dt.date(y - 2, 6, 1)),
            ("孙雨桐", dt.date(y, 9, 15), None, None)]
    for name, applied, talked, activist in plan:
        a = services.applicant_create(actor=actor, organization=second, full_name=name, applied_on=applied)
        if talked:
            a = services.applicant_record(actor=actor, applicant=a, talked_on=talked)
            a = services.recruitment_advance(actor=actor, applicant=a, stage=RecruitmentStage.ACTIVIST, on=activist)
        if name == "赵明轩":
            services.recruitment_advance(actor=actor, applicant=a, stage=RecruitmentStage.DEVELOPMENT_CANDIDATE,
                                         on=dt.date(y - 1, 6, 10))


def _movements(actor, orgs: dict, members: list[Member], community: Place, today: dt.date) -> None:
    second_members = [m for m in members if m.organization_id == orgs["second"].pk]
    internal = services.transfer_request(actor=actor, member=second_members[0], to_org=orgs["first"],
                                         requested_on=today - dt.timedelta(days=60), note="退休,转入离退休党支部")
    services.transfer_receive(actor=actor, transfer=internal, received_on=today - dt.timedelta(days=55))
    services.transfer_request(actor=actor, member=second_members[1], to_outside_name="贵阳市云岩区某社区党委",
                              requested_on=today - dt.timedelta(days=45), note="工作调动")
    out = services.transfer_request(actor=actor, member=second_members[2], to_outside_name="遵义市红花岗区某街道党工委",
                                    requested_on=today - dt.timedelta(days=100))
    services.transfer_receive(actor=actor, transfer=out, received_on=today - dt.timedelta(days=80),
                              receipt_no="红组回〔2026〕0412号")
    for m, dest in zip(second_members[3:5], ["广东省深圳市", "浙江省宁波市"], strict=False):
        record = services.mobile_outflow_record(actor=actor, member=m, left_on=dt.date(today.year - 1, 2, 20),
                                                destination=dest, inflow_org_name=f"{dest}某流动党员党支部")
        services.mobile_contact_add(actor=actor, record=record, contacted_on=dt.date(today.year, 1, 20),
                                    channel=ContactChannel.PHONE, note="收缴党费时核实,工作稳定")
        services.mobile_contact_add(actor=actor, record=record, contacted_on=dt.date(today.year, 7, 1),
                                    channel=ContactChannel.MESSAGE, kind=ContactKind.INFLOW_ACTIVITY,
                                    note="流入地党支部反馈:参加主题党日活动")
    lead = services.pocket_lead_create(actor=actor, place=community, full_name="周国华", found_on=dt.date(today.year, 5, 6),
                                       relationship_at="原单位改制后不详", note="入户走访时本人说明是党员")
    services.pocket_follow_up_add(actor=actor, lead=lead, on=dt.date(today.year, 5, 20), channel=ContactChannel.VISIT,
                                  note="动员其将组织关系转入社区")
    services.pocket_lead_create(actor=actor, place=community, full_name="吴晓燕", found_on=dt.date(today.year, 10, 12),
                                relationship_at="人才市场党委(档案托管)")
    services.handover_record(
        actor=actor, organization=orgs["first"], enterprise="遵义市某机械厂(改制)", handed_over_on=dt.date(2009, 11, 1),
        funds=Decimal("30000"), premises="原厂区活动室一间(40平方米)",
        members=[{"full_name": n, "categories": [MemberCategory.RETIRED], "joined_on": dt.date(1978, 7, 1)}
                 for n in ("冯德山", "蒋桂兰", "韩志刚")],
    )
    # in-service members whose work units are elsewhere report to the community they live in (双报到)
    for m in second_members[5:8]:
        services.report_in_record(actor=actor, member=m, community=community, reported_on=dt.date(today.year, 3, 5),
                                  pledge="每月参加一次社区志愿服务")


def _dues(actor, members: list[Member], today: dt.date) -> None:
    for i, m in enumerate(members):
        if not m.dues_monthly:
            continue
        for month in _months(today.year, today):
            if i % 17 == 3 and month.month >= 9:  # a few members in arrears since September
                continue
            if month < _month_start(m.joined_on):
                continue
            services.dues_record(actor=actor, member=m, month=month, amount=m.dues_monthly,
                                 paid_on=min(month + dt.timedelta(days=9), today), receipt_no=f"DF{month:%Y%m}{m.pk:04d}")
    wrong = services.dues_record(actor=actor, member=members[0], month=_month_start(today) - dt.timedelta(days=1),
                                 amount=Decimal("150.00"), paid_on=today, note="重复录入")
    services.dues_reverse(actor=actor, payment=wrong, reason="重复录入,冲销")


def build_party_registers(*, actor=None) -> dict[str, int]:
    """Fill the demo community's Party registers (after the places, residents and the
    ``secretary`` login exist). Returns the row counts."""
    community = Place.objects.get(code=COMMUNITY[0])
    if Organization.objects.filter(territory_code=community.code).exists():
        return _counts(community)
    actor = actor or User.objects.get(username="secretary")
    today = timezone.localdate()
    grids = list(Place.objects.filter(parent=community, kind=PlaceKind.GRID).order_by("code"))
    with transaction.atomic():
        orgs = _organizations(actor, community, grids)
        members = _members(actor, orgs, grids)
        _officers(actor, orgs, members, today)
        _posts(actor, orgs, members, today)
        _recruitment(actor, orgs, today)
        _movements(actor, orgs, members, community, today)
        _dues(actor, [Member.objects.get(pk=m.pk) for m in members], today)
    return _counts(community)


def _counts(community: Place) -> dict[str, int]:
    code = community.code
    return {
        "organizations": Organization.objects.filter(territory_code__startswith=code).count(),
        "members": Member.objects.filter(territory_code__startswith=code, left_on__isnull=True).count(),
    }
