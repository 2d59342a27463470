"""A year of cases in the demo community (礼仪社区), so that the register, the timeline and the
rulebook (N-APPEAL-02..04) show real results.

About eight cases a month for the twelve months before today, across every kind, category and
channel: residents' appeals by walk-in, phone and opinion box, suggestions from 居民夜话 and
坝坝会, psychological requests, grid events reported by the grid workers, disputes and
emergencies. Most older cases went the whole loop (accepted by the on-duty staff member, the
first-inquiry owner; assigned by the secretary to the unit of the category's routing; handled;
resolved; return visit with a rating; closed), with the first reply mostly within 5 working days
and about one in ten late (N-APPEAL-02 finds them). Some recent ones are still in progress; three
are overdue now (the overdue sweep escalates them); one dispute was escalated to the street by
hand; one case was reopened after an unsatisfied return visit; one duplicate was merged. Home
visits (走访) fall on the 5th–6th and return visits (回访) on the 29th–30th of their month where
the dates allow (002 L69).

Every step goes through the services (validation, row lock, one event per step, audit log) as
the demo users of ``load_demo``. DEMO BACK-DATING: the services stamp ``timezone.now()`` and
take no date argument, so after each case's steps this module — and only this module — moves
its dates (``received_at``, the deadlines, ``replied_on`` …, the events' ``at``) into the past
with ``QuerySet.update``. Idempotent (nothing is written when the community already has cases)
and deterministic (one seeded random generator).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from jiayuan.accounts.models import User
from jiayuan.core.workdays import add_workdays
from jiayuan.residents.demo import COMMUNITY
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from . import services
from .categories import categories_for, category_get
from .choices import OPEN_STATES, CaseAction, CaseStatus
from .models import Case, CaseEvent
from .norms_facts import _visit_days

SEED = 2026
PER_MONTH = 8
NAMES = ["王秀兰", "李建华", "张桂英", "刘德明", "陈玉梅", "杨志强", "赵淑芬", "黄国庆", "周丽娟", "吴明亮", "徐春燕", "孙海涛"]
TITLES = {
    "environment": ["垃圾站异味大", "楼道堆放杂物", "绿化带无人修剪", "小区污水外溢"],
    "facilities": ["楼道灯不亮", "电梯异响", "单元门禁损坏", "健身器材松动"],
    "property": ["物业费收支不公开", "停车位管理混乱", "保安夜间不在岗"],
    "livelihood": ["咨询低保申请", "高龄补贴未到账", "残疾人证办理"],
    "party_building": ["在职党员报到后如何参加活动", "建议增加党员志愿服务岗"],
    "discipline": ["反映工作人员办事拖延"],
    "community_building": ["建议增设儿童游乐区", "建议开设老年食堂", "建议增加垃圾分类宣传"],
    "psychological": ["独居老人情绪低落", "孩子升学压力大需要疏导"],
    "public_security": ["夜间有陌生人徘徊", "电动车充电线私拉乱接"],
    "safety_hazard": ["消防通道被占用", "外墙瓷砖脱落"],
    "neighbour_dispute": ["楼上漏水影响楼下", "邻居装修噪音扰民"],
    "family_dispute": ["赡养老人问题纠纷"],
    "property_dispute": ["业主与物业停车费纠纷"],
    "fire": ["厨房油锅起火"],
    "mass_incident": ["多户业主聚集反映维修资金"],
}
KIND_WEIGHTS = [("appeal", 40), ("suggestion", 18), ("psychological", 6), ("grid_event", 22), ("dispute", 9),
                ("emergency", 5)]
CHANNELS = {
    "appeal": ["walk_in", "phone", "opinion_box", "hotline", "walk_in"],
    "suggestion": ["evening_talk", "courtyard_meeting", "opinion_box"],
    "psychological": ["walk_in", "phone"],
    "grid_event": ["grid_worker"],
    "dispute": ["walk_in", "phone"],
    "emergency": ["grid_worker", "phone"],
}
RESOLUTIONS = ["已协调物业处理完毕", "已上门维修", "已联系相关部门办结", "已向居民解释政策并办理", "已调解，双方达成一致"]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _counts(code: str) -> dict[str, int]:
    qs = Case.objects.filter(territory_code__startswith=code)
    return {
        "cases": qs.count(), "open": qs.filter(status__in=OPEN_STATES).count(),
        "closed": qs.filter(status=CaseStatus.CLOSED).count(),
        "overdue_now": qs.filter(status__in=OPEN_STATES, due_on__lt=timezone.localdate()).count(),
        "events": CaseEvent.objects.filter(case__territory_code__startswith=code).count(),
    }


def _return_visit_day(after: dt.date, today: dt.date) -> dt.date:
    """The first return-visit day (29th–30th; a short month's last two days, C-13) after
    ``after`` if it has come, else the day after ``after``."""
    for n in range(1, 40):
        day = after + dt.timedelta(days=n)
        lo, hi = _visit_days(day.year, day.month, 29, 30)
        if lo <= day.day <= hi:
            return day if day < today else after + dt.timedelta(days=1)
    return after + dt.timedelta(days=1)


def _home_visit_day(after: dt.date, today: dt.date) -> dt.date | None:
    """The next 5th or 6th within ten days after ``after`` (a visit day), if there is one."""
    for n in range(1, 11):
        day = after + dt.timedelta(days=n)
        if day.day in (5, 6) and day <= today:
            return day
    return None


class _Builder:
    def __init__(self, today: dt.date):
        self.today = today
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["staff", "secretary", "street", "gridworker1", "gridworker2", "gridworker3", "gridworker4"])}
        self.community = Place.objects.get(code=COMMUNITY[0])
        self.grids = list(Place.objects.filter(kind=PlaceKind.GRID, parent=self.community).order_by("code"))

    def worker_for(self, grid: Place) -> User:
        return self.users.get(f"gridworker{self.grids.index(grid) + 1}") or self.users["staff"]

    def run(self, case: Case, steps: list[tuple[str, str, dict, dt.date]], received: dt.date) -> Case:
        """Take ``steps`` (action, username, data, day) through the services, then back-date."""
        stamps: list[tuple[int, dt.date]] = []
        last = CaseEvent.objects.filter(case=case).order_by("-id").values_list("id", flat=True).first() or 0
        stamps.append((last, received))
        for action, who, data, day in steps:
            case = services.case_transition(actor=self.users[who], case=case, action=action, **data)
            new_last = CaseEvent.objects.order_by("-id").values_list("id", flat=True).first()
            stamps.append((new_last, day))
        self._backdate(case, stamps, steps, received)
        return Case.objects.get(pk=case.pk)

    def _backdate(self, case, stamps, steps, received):
        # DEMO BACK-DATING (see the module docstring): events and dates moved into the past.
        first_id = CaseEvent.objects.filter(case=case).order_by("id").values_list("id", flat=True).first()
        previous = (first_id or 1) - 1
        for i, (upto, day) in enumerate(stamps):
            CaseEvent.objects.filter(pk__gt=previous, pk__lte=upto).update(at=_at(day, 9 + i % 8))
            previous = upto
        category = category_get(case.category)
        reply_due = services.reply_deadline(category, case.territory_code, received)
        fields = {"received_at": _at(received, 9), "created_at": _at(received, 9), "reply_due_on": reply_due.date}
        replied = next((d for a, _w, _d, d in steps if a in (CaseAction.REPLY, CaseAction.RESOLVE, CaseAction.REJECT)),
                       None)
        fields["replied_on"] = replied
        for action, name in ((CaseAction.RESOLVE, "resolved_on"), (CaseAction.CLOSE, "closed_on")):
            days = [d for a, _w, _d, d in steps if a == action]
            if days and getattr(case, name) is not None:
                fields[name] = days[-1]
        due = None
        if case.status in OPEN_STATES:
            last_action, _w, _d, last_day = steps[-1] if steps else (None, None, None, received)
            if case.status in (CaseStatus.REPORTED, CaseStatus.ACCEPTED):
                due = reply_due
            elif case.status == CaseStatus.ESCALATED:
                due = add_workdays(last_day, services.reply_workdays(category, case.territory_code))
            else:
                start = max(d for a, _w, _d, d in steps if a in (CaseAction.ASSIGN, CaseAction.REOPEN))
                due = add_workdays(start, category.resolve_workdays)
        fields["due_on"] = due.date if due else None
        fields["deadline_provisional"] = bool(due and due.provisional)
        Case.objects.filter(pk=case.pk).update(**fields)

    def report(self, rng, kind, category, grid, received, title=None):
        channel = rng.choice(CHANNELS[kind])
        reporter = self.worker_for(grid) if channel == "grid_worker" else self.users["staff"]
        name = rng.choice(NAMES)
        return services.case_report(
            actor=reporter, kind=kind, category=category, title=title or rng.choice(TITLES[category]),
            description=f"{name}反映：{rng.choice(TITLES[category])}。", place=grid, channel=channel,
            reporter_name="" if channel == "grid_worker" else name,
            reporter_phone="" if channel == "grid_worker" else f"139{rng.randint(10000000, 99999999)}",
            location=f"平庄花园{rng.randint(1, 30)}栋",
        )

    def full_loop(self, rng, case, received, *, late_reply=False, stop_at=None, unsatisfied=False):
        """Steps of a case handled the whole way (or up to ``stop_at``), dated from ``received``."""
        category = category_get(case.category)
        day = received
        steps = [(CaseAction.ACCEPT, rng.choice(["staff", "staff", "secretary"]), {}, day)]
        reply_on = add_workdays(received, rng.choice([7, 8, 9]) if late_reply else rng.choice([1, 2, 3, 4, 5])).date
        assign_on = add_workdays(received, 1).date
        steps.append((CaseAction.ASSIGN, "secretary", {"target": category.routing,
                                                       "user": self.users["staff"]}, assign_on))
        steps.append((CaseAction.START, "staff", {}, assign_on))
        visit = _home_visit_day(assign_on, self.today)
        if visit and visit < reply_on:
            steps.append((CaseAction.HOME_VISIT, "staff", {"comment": "走访日入户了解情况"}, visit))
        if reply_on >= self.today:
            return steps
        steps.append((CaseAction.REPLY, "staff", {"comment": "已受理，正在协调办理，请耐心等待。"}, reply_on))
        if stop_at == CaseStatus.IN_PROGRESS:
            return steps
        resolve_on = add_workdays(reply_on, rng.randint(1, max(1, category.resolve_workdays - 2))).date
        resolve_on = max(reply_on, min(resolve_on, self.today - dt.timedelta(days=2)))
        steps.append((CaseAction.RESOLVE, "staff", {"comment": rng.choice(RESOLUTIONS)}, resolve_on))
        visit_on = _return_visit_day(resolve_on, self.today)
        if visit_on >= self.today:
            return steps
        if unsatisfied:
            steps.append((CaseAction.VISIT, "staff", {"rating": 2, "satisfied": False,
                                                       "comment": "居民表示问题仍未解决"}, visit_on))
            return steps
        steps.append((CaseAction.VISIT, "staff", {"rating": rng.choices([5, 4, 3], [60, 30, 10])[0],
                                                   "satisfied": True}, visit_on))
        close_on = visit_on + dt.timedelta(days=1)
        if close_on < self.today and stop_at != CaseStatus.VISITED:
            steps.append((CaseAction.CLOSE, "staff", {"comment": "回访满意，办结归档"}, close_on))
        return steps


def build_cases(*, today: dt.date | None = None) -> dict[str, int]:
    """Build the demo year of cases (see the module docstring); returns the counts."""
    code = COMMUNITY[0]
    if Case.objects.filter(territory_code__startswith=code).exists():
        return _counts(code)
    if not User.objects.filter(username__in=["staff", "secretary", "street"]).count() == 3:
        return _counts(code)
    today = today or timezone.localdate()
    b = _Builder(today)
    rng = random.Random(SEED)
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    start = today - dt.timedelta(days=365)
    n = 12 * PER_MONTH
    used_categories: set[str] = set()
    for i in range(n):
        received = start + dt.timedelta(days=int(i * 365 / n) + rng.randint(0, 2))
        if received.weekday() >= 5:
            received -= dt.timedelta(days=received.weekday() - 4)
        age = (today - received).days
        if age < 28:
            continue  # the last weeks are built below, case by case
        kind = rng.choices(kinds, weights)[0]
        options = [c.code for c in categories_for(kind)]
        unused = [c for c in options if c not in used_categories]
        category = rng.choice(unused or options)
        used_categories.add(category)
        grid = rng.choice(b.grids)
        case = b.report(rng, kind, category, grid, received)
        if rng.random() < 0.05:
            b.run(case, [(CaseAction.REJECT, "staff", {"comment": "不属于社区职责，已告知向市场监管部门反映"},
                          received), (CaseAction.CLOSE, "staff", {}, received + dt.timedelta(days=1))], received)
            continue
        b.run(case, b.full_loop(rng, case, received, late_reply=rng.random() < 0.12), received)

    g = b.grids
    # recent and still open: accepted, assigned, in progress, resolved awaiting the return visit
    recent = [
        ("appeal", "facilities", g[0], 3, None), ("appeal", "environment", g[1], 6, CaseStatus.IN_PROGRESS),
        ("grid_event", "public_security", g[2], 5, CaseStatus.IN_PROGRESS),
        ("suggestion", "community_building", g[3], 2, "reported"), ("appeal", "livelihood", g[0], 1, "reported"),
        ("psychological", "psychological", g[1], 4, CaseStatus.IN_PROGRESS),
    ]
    for kind, category, grid, days_ago, stop in recent:
        received = today - dt.timedelta(days=days_ago)
        case = b.report(rng, kind, category, grid, received)
        if stop == "reported":
            b.run(case, [], received)
        elif stop is None:
            b.run(case, [(CaseAction.ACCEPT, "staff", {}, received)], received)
        else:
            b.run(case, b.full_loop(rng, case, received, stop_at=stop), received)
    # overdue now (the sweep escalates them): two never answered, one handled too long
    for category, grid, days_ago in (("environment", g[2], 25), ("property", g[3], 20)):
        received = today - dt.timedelta(days=days_ago)
        case = b.report(rng, "appeal", category, grid, received)
        b.run(case, [(CaseAction.ACCEPT, "staff", {}, received)], received)
    received = today - dt.timedelta(days=30)
    case = b.report(rng, "grid_event", "facilities", g[1], received, title="小区主干道路面塌陷")
    b.run(case, [
        (CaseAction.ACCEPT, "staff", {}, received),
        (CaseAction.ASSIGN, "secretary", {"target": "community", "user": b.users["staff"]}, received),
        (CaseAction.START, "staff", {}, received),
        (CaseAction.REPLY, "staff", {"comment": "已设置围挡，等待施工队"}, received + dt.timedelta(days=1)),
    ], received)
    # a dispute escalated to the street by hand (大事不出街, 002 L135)
    received = today - dt.timedelta(days=9)
    case = b.report(rng, "dispute", "property_dispute", g[0], received, title="业主与物业停车费纠纷")
    b.run(case, [
        (CaseAction.ACCEPT, "staff", {}, received),
        (CaseAction.REPLY, "staff", {"comment": "已组织双方初步沟通"}, received + dt.timedelta(days=1)),
        (CaseAction.ESCALATE, "staff", {"comment": "涉及全体业主，社区调解未果，提请街道协调"},
         received + dt.timedelta(days=2)),
        (CaseAction.ASSIGN, "street", {"target": "street"}, received + dt.timedelta(days=3)),
    ], received)
    # reopened after an unsatisfied return visit, now handled again
    received = today - dt.timedelta(days=45)
    case = b.report(rng, "appeal", "facilities", g[2], received, title="单元门禁反复损坏")
    steps = [
        (CaseAction.ACCEPT, "staff", {}, received),
        (CaseAction.ASSIGN, "secretary", {"target": "property_management", "user": b.users["staff"]},
         received + dt.timedelta(days=1)),
        (CaseAction.START, "staff", {}, received + dt.timedelta(days=1)),
        (CaseAction.RESOLVE, "staff", {"comment": "物业已更换门禁控制器"}, received + dt.timedelta(days=6)),
        (CaseAction.VISIT, "staff", {"rating": 2, "satisfied": False, "comment": "居民反映门禁一周后又坏了"},
         received + dt.timedelta(days=12)),
        (CaseAction.REOPEN, "staff", {"comment": "居民不满意，重新交办"}, received + dt.timedelta(days=12)),
        (CaseAction.ASSIGN, "secretary", {"target": "property_management", "user": b.users["staff"]},
         today - dt.timedelta(days=5)),
        (CaseAction.START, "staff", {}, today - dt.timedelta(days=5)),
    ]
    b.run(case, steps, received)
    # a duplicate merged into the case it repeats (both histories kept)
    received = today - dt.timedelta(days=3)
    kept = b.report(rng, "appeal", "environment", g[3], received, title="垃圾清运不及时")
    kept = b.run(kept, [(CaseAction.ACCEPT, "staff", {}, received)], received)
    dup = b.report(rng, "appeal", "environment", g[3], received + dt.timedelta(days=1), title="垃圾站好几天没清运")
    b.run(dup, [
        (CaseAction.MERGE, "staff", {"into": kept, "comment": "与已受理诉求为同一事项"}, received + dt.timedelta(days=1)),
        (CaseAction.CLOSE, "staff", {}, received + dt.timedelta(days=1)),
    ], received + dt.timedelta(days=1))
    return _counts(code)
