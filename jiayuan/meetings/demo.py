"""A year of organizational life for the demo community (礼仪社区), so that the rulebook and the
year view show real met and missing periods (002 L93).

On the Party organizations of ``jiayuan.party.demo`` (run first by ``load_demo``): for the twelve
months before the current one —

- the general branch's committee (支委会) monthly, except the 4th-last and the last month
  (with today 2026-12-04: no committee meeting in 2026-08 and 2026-11, N-MEET-01 unmet twice);
- each Party group monthly, except the last group in the 2nd-last month (2026-10);
- a general meeting of members each quarter except the quarter of the 4th-last month
  (no general meeting in 2026-Q3, N-MEET-03);
- a Party lecture each half year, the democratic life and organizational life meetings once,
  early in the year;
- monthly meetings of the street Party working committee attended by the community secretary
  (N-STD-05a), when the street has an organization, except the 3rd-last month;
- attendance for every held meeting with some late, excused (with reasons) and absent members;
  one member of the first group stops coming after the 4th-last month, so the third absence in
  a row opens a 五个必访 task (002 L111);
- minutes for every held meeting, signed off except the last two; one meeting two days ago not
  yet recorded (overdue to record) and one branch committee meeting scheduled for next week.

Every row goes through the services as the demo secretary (validation, events, audit log).
Idempotent: nothing is written when the community already has a meeting. Deterministic: the
attendance of each meeting comes from a random generator seeded with the meeting's title.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from jiayuan.accounts.models import User
from jiayuan.party.choices import OfficerPost, OrgType
from jiayuan.party.models import Organization, OrganizationOfficer
from jiayuan.residents.demo import COMMUNITY

from . import services
from .choices import AttendanceStatus, MeetingType
from .models import Attendance, Meeting, VisitTask

REASONS = ["出差", "生病住院", "照顾家人", "外出务工", "单位值班"]
LECTURERS = ["社区党总支书记", "街道党工委委员", "区委党校教师"]
AGENDA = {
    MeetingType.BRANCH_COMMITTEE: "1. 传达上级文件精神\n2. 研究本月重点工作\n3. 讨论困难党员帮扶",
    MeetingType.PARTY_GROUP: "1. 学习党的理论\n2. 交流本组党员联系群众情况\n3. 收集社情民意",
    MeetingType.GENERAL_MEETING: "1. 通报支部工作\n2. 审议重要事项\n3. 党员民主议事",
    MeetingType.PARTY_LECTURE: "专题党课",
    MeetingType.DEMOCRATIC_LIFE: "开展批评与自我批评,制定整改措施",
    MeetingType.ORGANIZATIONAL_LIFE: "党员对照检查,相互批评,民主评议",
    MeetingType.STREET_WORKING_COMMITTEE: "街道党工委会议:部署社区党建工作",
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _months(today: dt.date) -> list[tuple[int, int]]:
    """The twelve months before the current one, oldest first."""
    out, y, m = [], today.year, today.month
    for _ in range(12):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append((y, m))
    return list(reversed(out))


def _status(rng: random.Random) -> tuple[str, str]:
    r = rng.random()
    if r < 0.80:
        return AttendanceStatus.PRESENT, ""
    if r < 0.87:
        return AttendanceStatus.LATE, ""
    if r < 0.96:
        return AttendanceStatus.EXCUSED, rng.choice(REASONS)
    return AttendanceStatus.ABSENT, ""


def _hold(actor, org, meeting_type, day: dt.date, title: str, *, stopped=None, present=(), sign=True,
          hour=15, lecturer=""):
    meeting = services.meeting_schedule(
        actor=actor, organization=org, meeting_type=meeting_type, title=title, starts_at=_at(day, hour),
        ends_at=_at(day, hour + 1) + dt.timedelta(minutes=30), location="礼仪社区党群服务中心",
        agenda=AGENDA.get(meeting_type, ""), lecturer=lecturer,
    )
    rng = random.Random(title)
    entries = []
    for member in services.expected_members(meeting):
        if stopped is not None and member.pk == stopped.pk and day > stopped.since:
            status, reason = AttendanceStatus.ABSENT, ""
        else:
            status, reason = _status(rng)
        entries.append({"member": member, "status": status, "reason": reason})
    entries += [{"member": m, "status": AttendanceStatus.PRESENT, "reason": ""} for m in present]
    if entries:
        services.roll_call(actor=actor, meeting=meeting, entries=entries)
    services.meeting_mark_held(actor=actor, meeting=meeting, held_on=day)
    services.minutes_save(actor=actor, meeting=meeting, recorder_name="社区党务工作者",
                          text=f"{title}:{AGENDA.get(meeting_type, '')}。与会党员逐项讨论。".replace("\n", ";"),
                          decisions="按会议议定事项分工落实。")
    if sign:
        services.minutes_sign_off(actor=actor, meeting=meeting)
    return meeting


class _Stopped:
    """The member who stops coming, and from when."""

    def __init__(self, member, since: dt.date):
        self.pk, self.since = member.pk, since


def build_meetings(*, actor=None) -> dict[str, int]:
    """Fill the demo community's meetings (after ``jiayuan.party.demo.build_party_registers``).
    Returns the row counts."""
    code = COMMUNITY[0]
    if Meeting.objects.filter(territory_code__startswith=code).exists():
        return _counts(code)
    orgs = list(Organization.objects.filter(territory_code__startswith=code, dissolved_on__isnull=True).order_by("code"))
    general = next((o for o in orgs if o.org_type == OrgType.GENERAL_PARTY_BRANCH), None) or next(
        (o for o in orgs if o.org_type == OrgType.PARTY_BRANCH), None)
    actor = actor or User.objects.filter(username="secretary").first()
    if general is None or actor is None:
        return _counts(code)
    groups = [o for o in orgs if o.org_type == OrgType.PARTY_GROUP]
    branches = [o for o in orgs if o.org_type == OrgType.PARTY_BRANCH]
    street_actor = User.objects.filter(username="street").first() or actor
    today = timezone.localdate()
    months = _months(today)
    first_days = [dt.date(y, m, 1) for y, m in months]
    gap_committee = {months[8], months[11]}
    gap_group = months[10]
    gap_quarter = (months[8][0], (months[8][1] - 1) // 3)
    gap_street = months[9]
    first_group_members = list(services.expected_members(
        Meeting(organization=groups[0], meeting_type=MeetingType.PARTY_GROUP, starts_at=_at(today, 9)))) if groups else []
    stopped = _Stopped(first_group_members[-1], first_days[8]) if first_group_members else None
    secretary_post = OrganizationOfficer.objects.filter(organization=general, post=OfficerPost.SECRETARY,
                                                        ended_on__isnull=True).select_related("member").first()
    street_org = Organization.objects.filter(territory_code=code[:-3], dissolved_on__isnull=True).exclude(
        org_type=OrgType.PARTY_GROUP).order_by("code").first()
    held = []
    with transaction.atomic():
        by_quarter: dict[tuple, list] = {}
        by_half: dict[tuple, list] = {}
        for y, m in months:
            by_quarter.setdefault((y, (m - 1) // 3), []).append((y, m))
            by_half.setdefault((y, (m - 1) // 6), []).append((y, m))
        plan = []  # (day, org, type, title, extra)
        for y, m in months:
            if (y, m) not in gap_committee:
                plan.append((dt.date(y, m, 8), general, MeetingType.BRANCH_COMMITTEE, f"{y}年{m}月支委会", {}))
            for i, group in enumerate(groups):
                if group is groups[-1] and (y, m) == gap_group:
                    continue
                plan.append((dt.date(y, m, 12 + i), group, MeetingType.PARTY_GROUP, f"{group.name}{y}年{m}月党小组会",
                             {"hour": 19}))
            if street_org is not None and (y, m) != gap_street and secretary_post is not None:
                plan.append((dt.date(y, m, 5), street_org, MeetingType.STREET_WORKING_COMMITTEE,
                             f"{street_org.name}{y}年{m}月工作会议",
                             {"present": [secretary_post.member], "hour": 9, "actor": street_actor}))
            # each branch's themed Party day (主题党日) on the 1st; the retired members' branch has
            # held none for the last four months (有组织，无活动, 001 L25)
            for branch in branches:
                if branch is branches[0] and (y, m) in months[-4:]:
                    continue
                plan.append((dt.date(y, m, 1), branch, MeetingType.THEMED_PARTY_DAY, f"{branch.name}{y}年{m}月主题党日", {}))
        for key, ms in by_quarter.items():
            y, m = ms[1] if len(ms) > 1 else ms[-1]
            if key != gap_quarter:
                plan.append((dt.date(y, m, 20), general, MeetingType.GENERAL_MEETING,
                             f"{y}年第{key[1] + 1}季度支部党员大会", {}))
            # in-service members' volunteer service day (N-COOP-11) and a collective activity (N-STD-10a)
            if len(branches) > 1:
                plan.append((dt.date(y, m, 16), branches[1], MeetingType.VOLUNTEER_SERVICE_DAY,
                             f"{y}年第{key[1] + 1}季度在职党员义工服务日", {"hour": 9}))
            plan.append((dt.date(y, m, 26), general, MeetingType.COLLECTIVE_ACTIVITY,
                         f"{y}年第{key[1] + 1}季度党员集中活动", {"hour": 9}))
        for i, (key, ms) in enumerate(by_half.items()):
            y, m = ms[3] if len(ms) > 3 else ms[-1]
            plan.append((dt.date(y, m, 25), general, MeetingType.PARTY_LECTURE,
                         f"{y}年{'上' if key[1] == 0 else '下'}半年党课", {"lecturer": LECTURERS[i % len(LECTURERS)]}))
        y, m = months[1]
        plan.append((dt.date(y, m, 18), general, MeetingType.DEMOCRATIC_LIFE, f"{y}年度民主生活会", {}))
        plan.append((dt.date(y, m, 22), general, MeetingType.ORGANIZATIONAL_LIFE, f"{y}年度党员组织生活会", {}))
        plan.append((dt.date(y, m, 24), general, MeetingType.DEMOCRATIC_APPRAISAL, f"{y}年度民主评议党员", {}))
        if street_org is not None:
            for y2, m2 in (months[4], months[10]):
                plan.append((dt.date(y2, m2, 14), street_org, MeetingType.PARTY_BUILDING_REPORT,
                             f"听取{y2}年基层党建工作专题汇报", {"hour": 9, "actor": street_actor}))
        plan.sort(key=lambda p: (p[0], p[3]))
        for n, (day, org, meeting_type, title, extra) in enumerate(plan):
            extra = dict(extra)
            who = extra.pop("actor", actor)
            held.append(_hold(who, org, meeting_type, day, title, stopped=stopped, sign=n < len(plan) - 2, **extra))
        # one meeting two days ago not yet recorded, and one next week
        if groups:
            services.meeting_schedule(
                actor=actor, organization=groups[0], meeting_type=MeetingType.PARTY_GROUP,
                title=f"{groups[0].name}{today.year}年{today.month}月党小组会", starts_at=_at(today - dt.timedelta(days=2), 19),
                location="平庄花园活动室", agenda=AGENDA[MeetingType.PARTY_GROUP])
        nxt = today + dt.timedelta(days=7)
        services.meeting_schedule(
            actor=actor, organization=general, meeting_type=MeetingType.BRANCH_COMMITTEE,
            title=f"{nxt.year}年{nxt.month}月支委会", starts_at=_at(nxt, 15), location="礼仪社区党群服务中心",
            agenda=AGENDA[MeetingType.BRANCH_COMMITTEE])
    return _counts(code)


def _counts(code: str) -> dict[str, int]:
    meetings = Meeting.objects.filter(territory_code__startswith=code)
    return {
        "meetings": meetings.count(),
        "held": meetings.filter(status="held").count(),
        "attendance": Attendance.objects.filter(meeting__territory_code__startswith=code).count(),
        "visit_tasks": VisitTask.objects.filter(territory_code__startswith=code, status="open").count(),
    }
