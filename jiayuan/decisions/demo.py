"""The office-rebuild decision of 002 L163 (南盘岭社区办公楼重建), walked through all six steps of the
4+2 method on the demo community: the general branch's committee proposes the plan (with the
clauses that touch residents circulated and two comments kept), the two committees deliberate
(举手表决), the Party members' assembly reviews, the residents' representative meeting resolves
unanimously (全票通过), the resolution is on notice for seven days with no objection, and the
implementation result is published.

Meetings and votes go through ``jiayuan.meetings.services`` as the demo ``secretary`` (held in the
second-last month, which breaks none of the meetings demo's deliberate gaps). Idempotent:
nothing is written when the matter exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jiayuan.accounts.models import User
from jiayuan.meetings import services as ms
from jiayuan.meetings.choices import ATTENDED, AttendanceStatus, MeetingType
from jiayuan.meetings.demo import _months
from jiayuan.party.choices import OrgType
from jiayuan.party.models import Organization
from jiayuan.residents.demo import COMMUNITY
from jiayuan.territory.models import Place

from . import services
from .models import DecisionMatter

TITLE = "社区办公楼重建"
STAGES = [
    ("branch_proposal", MeetingType.BRANCH_COMMITTEE, 3, "党总支会议:研究社区办公楼重建实施方案",
     "是否提议社区办公楼重建实施方案"),
    ("two_committees", MeetingType.JOINT_MEETING, 8, "“两委”联席会议:商议社区办公楼重建方案",
     "“两委”是否同意社区办公楼重建方案(举手表决)"),
    ("members_assembly", MeetingType.GENERAL_MEETING, 13, "党员代表大会:审议社区办公楼重建方案",
     "是否同意将方案提交居民代表会议"),
]
# Stage 4 is voted by residents: 35 representatives (002 L163 "社区组织35名居民代表召开居民代表大会"),
# unanimously (全票通过). The office rebuild is a major matter, so the households the
# representatives link vote too (dual-ballot voting, 002 L185); a few households disagree
# (002 L163 "个别社区居民怎么做工作也持不同意见").
REPRESENTATIVES = 35
HOUSEHOLDS_PER_REPRESENTATIVE = 3
RESOLUTION_DAY = 18
RESOLUTION_TITLE = "居民代表大会:表决社区办公楼重建决议(35名居民代表)"
RESOLUTION_QUESTION = "是否通过社区办公楼重建决议"


def _representatives(actor, place, elected_on):
    """Up to 35 adult residents of the community, one per household, each linking their own
    household and the next two unlinked ones (fewer when the demo has fewer residents)."""
    from jiayuan.residents.models import Household, Resident

    from . import residents_services as rs

    reps = list(rs.active_representatives(place, elected_on))
    if reps:
        return reps
    born_by = elected_on.replace(year=elected_on.year - 25)
    seen, chosen = set(), []
    for r in Resident.objects.filter(territory_code__startswith=place.code, status="active", birth_date__lte=born_by,
                                     household__isnull=False).order_by("territory_code", "pk"):
        if r.household_id not in seen:
            seen.add(r.household_id)
            chosen.append(r)
        if len(chosen) == REPRESENTATIVES:
            break
    households = list(Household.objects.filter(territory_code__startswith=place.code).exclude(pk__in=seen)
                      .order_by("territory_code"))
    for i, resident in enumerate(chosen):
        rep = rs.representative_appoint(actor=actor, place=place, resident=resident, elected_on=elected_on,
                                        group_label=f"第{i // 5 + 1}居民小组")
        own = [resident.household] + households[i * 2:(i + 1) * 2]
        for h in own[:HOUSEHOLDS_PER_REPRESENTATIVE]:
            rs.household_link(actor=actor, representative=rep, household=h, on=elected_on)
        reps.append(rep)
    return reps


def _residents_resolution(actor, place, day, matter):
    """The resident representative meeting of stage 4 with its unanimous, dual-ballot vote."""
    from . import residents_services as rs
    from .models import RepresentativeHousehold

    reps = _representatives(actor, place, day - dt.timedelta(days=200))
    meeting = rs.resident_meeting_schedule(
        actor=actor, place=place, kind="resident_representative_meeting", scheduled_on=day, title=RESOLUTION_TITLE,
        location="礼仪社区党群服务中心", agenda=["社区办公楼重建实施方案(草案)说明", "讨论", "投票表决"])
    meeting = rs.resident_meeting_hold(
        actor=actor, meeting=meeting, held_on=day, basis="representatives", present=len(reps),
        minutes="居民代表展开了充分的讨论,讨论结束后,由全体代表进行投票表决。")
    vote = rs.resident_vote_record(
        actor=actor, meeting=meeting, question=RESOLUTION_QUESTION, classification="major", matter=matter,
        reason="涉及社区公益事业经费筹集和建设,属重大事务,实行“双票表决制”(002 L185)", yes=len(reps))
    for n, rep in enumerate(reps):
        links = RepresentativeHousehold.objects.filter(representative=rep, unlinked_on__isnull=True).order_by("pk")
        choices = {link.household_id: ("no" if n in (4, 17) and k == 2 else "abstain" if n == 9 and k == 1 else "yes")
                   for k, link in enumerate(links)}
        if choices:
            rs.household_ballots_record(actor=actor, vote=vote, representative=rep, choices=choices)
    return rs.resident_vote_close(actor=actor, vote=vote)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(15), tzinfo=timezone.get_current_timezone())


def _vote(actor, org, meeting_type, day, title, question):
    """Hold the meeting with every expected member present (so no must-visit task is opened by
    this demo), record and sign the minutes, and close a unanimous show of hands."""
    meeting = ms.meeting_schedule(actor=actor, organization=org, meeting_type=meeting_type, title=title,
                                  starts_at=_at(day), location="礼仪社区党群服务中心", agenda=title)
    entries = [{"member": m, "status": AttendanceStatus.PRESENT, "reason": ""} for m in ms.expected_members(meeting)]
    if entries:
        ms.roll_call(actor=actor, meeting=meeting, entries=entries)
    ms.meeting_mark_held(actor=actor, meeting=meeting, held_on=day)
    ms.minutes_save(actor=actor, meeting=meeting, recorder_name="社区党务工作者", text=f"{title}。与会人员充分讨论。",
                    decisions=question)
    ms.minutes_sign_off(actor=actor, meeting=meeting)
    motion = ms.motion_open(actor=actor, meeting=meeting, question=question, method="show_of_hands")
    hands = min(motion.eligible, meeting.attendances.filter(status__in=ATTENDED).count())
    ms.motion_tally(actor=actor, motion=motion, counts={"yes": hands, "no": 0, "abstain": 0})
    return ms.motion_close(actor=actor, motion=motion)


def build_decisions(*, actor=None) -> dict[str, int]:
    code = COMMUNITY[0]
    existing = DecisionMatter.objects.filter(territory_code=code, title=TITLE).first()
    place = Place.objects.filter(code=code).first()
    actor = actor or User.objects.filter(username="secretary").first()
    general = Organization.objects.filter(territory_code=code, dissolved_on__isnull=True).filter(
        org_type__in=[OrgType.GENERAL_PARTY_BRANCH, OrgType.PARTY_BRANCH]).order_by("org_type", "code").first()
    if existing is not None or place is None or actor is None or general is None:
        return _counts(code)
    today = timezone.localdate()
    y, m = _months(today)[10]
    with transaction.atomic():
        matter = services.matter_propose(
            actor=actor, place=place, category="public_works_funds", title=TITLE,
            necessity="现办公楼建于上世纪八十年代,年久失修,面积狭小,无法满足为民服务需要。",
            principles="依法依规、公开透明、节约实用、居民受益。",
            timing=f"{y + 1}年3月至{y + 1}年10月", area="约800平方米",
            funds="约300万元", funds_source="区财政拨款、街道补助与社区公益资金",
            funds_allocation="主体建设、装修及功能区(党群服务中心、居民活动室、老年日间照料室)按方案分配",
        )
        for name, text in (("平庄花园居民", "希望增设老年人日间照料室。"), ("居民代表", "施工期间请安排临时办公点。")):
            matter = services.decision_transition(actor=actor, matter=matter, action="comment", author_name=name,
                                                  text=text, on=dt.date(y, m, 2))
        for stage, meeting_type, day, title, question in STAGES:
            motion = _vote(actor, general, meeting_type, dt.date(y, m, day), title, question)
            matter = services.decision_transition(actor=actor, matter=matter, action="record_stage", stage=stage,
                                                  motion=motion, on=dt.date(y, m, day))
        vote = _residents_resolution(actor, place, dt.date(y, m, RESOLUTION_DAY), matter)
        matter = services.decision_transition(actor=actor, matter=matter, action="record_stage",
                                              stage="residents_resolution", resident_vote=vote,
                                              on=dt.date(y, m, RESOLUTION_DAY))
        notice_day = dt.date(y, m, 19)
        matter = services.decision_transition(
            actor=actor, matter=matter, action="publish_notice", on=notice_day,
            text="经居民代表大会全票通过,社区办公楼重建决议予以公示,公示期七天。如有异议,请向社区居委会反映。")
        matter = services.decision_transition(actor=actor, matter=matter, action="start_implementation",
                                              on=notice_day + dt.timedelta(days=services.notice_days(place.code)))
        matter = services.decision_transition(
            actor=actor, matter=matter, action="publish_result", on=min(today, notice_day + dt.timedelta(days=30)),
            text="办公楼重建已完成招标并开工,资金使用情况按月公开;居民对办公楼重建均未提出异议。")
    return _counts(code)


def _counts(code: str) -> dict[str, int]:
    qs = DecisionMatter.objects.filter(territory_code__startswith=code)
    return {"matters": qs.count(), "result_published": qs.filter(status="result_published").count()}
