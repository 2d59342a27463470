"""Demo disclosures for the demo community (``load_demo``), through the services: the staff
member drafts, the secretary approves, the staff member publishes.

A year of quarterly disclosures (003 L329) for last year with the third quarter deliberately
missing, so the rulebook reports N-STD-17a overdue for that quarter; standing items (the
service guide, the two committees' duties), an immediate notice, one correction (the fourth
quarter's finances, v2 saying what changed) and one withdrawal (a notice posted in error).
Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jiayuan.accounts.models import User
from jiayuan.residents.demo import COMMUNITY, build_places

from . import services
from .choices import Kind, Section, Status, Timing
from .models import DisclosureItem

PUBLISHER = "中共礼仪社区委员会、礼仪社区居民委员会"
QUARTER_BODY = (
    "一、社区“两委”重大决策:{decision}\n"
    "二、社区重要事务:{affairs}\n"
    "三、财务运行情况:本季度收入{income}元,支出{spending}元,明细附后。\n"
    "四、群众反映问题办理情况:受理{cases}件,已办结{closed}件。\n"
    "如有疑问,请到社区党群服务中心意见箱反映。"
)


def _counts(code: str) -> dict[str, int]:
    qs = DisclosureItem.objects.filter(territory_code__startswith=code)
    return {
        "items": qs.count(),
        "published": qs.filter(status=Status.PUBLISHED).count(),
        "quarterly": qs.filter(kind=Kind.QUARTERLY, supersedes__isnull=True, status=Status.PUBLISHED).count(),
        "withdrawn": qs.filter(status=Status.WITHDRAWN).count(),
    }


def build_disclosures() -> dict[str, int]:
    code = COMMUNITY[0]
    staff = User.objects.filter(username="staff").first()
    secretary = User.objects.filter(username="secretary").first()
    if staff is None or secretary is None or DisclosureItem.objects.filter(territory_code__startswith=code).exists():
        return _counts(code)
    community = build_places()["community"]
    y = timezone.localdate().year - 1

    def post(data: dict, on: dt.date) -> DisclosureItem:
        item = services.item_draft(actor=staff, community=community, data={"publisher": PUBLISHER, **data})
        services.item_approve(actor=secretary, item=item)
        return services.item_publish(actor=staff, item=item, published_on=on)

    quarters = {
        1: ("通过社区老旧小区改造议事方案", "春季爱国卫生运动", "86,000", "79,500", 42, 40),
        2: ("通过党群服务中心办公用房改造方案", "防汛安全检查", "64,000", "71,200", 37, 37),
        # 3: deliberately missing — the rulebook shows this quarter overdue (N-STD-17a)
        4: ("确定次年为民服务项目", "冬季困难群众走访慰问", "92,000", "88,300", 51, 49),
    }
    posted = {}
    for q, (decision, affairs, income, spending, cases, closed) in quarters.items():
        posted[q] = post({
            "section": Section.AFFAIRS, "timing": Timing.PERIODIC, "kind": Kind.QUARTERLY,
            "title": f"礼仪社区{y}年第{q}季度党务居务公开",
            "body": QUARTER_BODY.format(decision=decision, affairs=affairs, income=income, spending=spending,
                                        cases=cases, closed=closed),
        }, dt.date(y, 3 * q, 25))
    post({"section": Section.SERVICE, "timing": Timing.STANDING, "kind": Kind.SERVICE_GUIDE,
          "title": "社区党群服务中心办事指南",
          "body": "办理事项:居住证明、低保申请受理、就业登记、老年人优待证。\n办公时间:工作日8:30-17:30。"},
         dt.date(y, 1, 5))
    post({"section": Section.PARTY_AFFAIRS, "timing": Timing.STANDING, "kind": Kind.OTHER,
          "title": "社区党委和居委会成员及分工", "body": "社区党委书记、居委会主任:刘书记(一肩挑),负责全面工作。"},
         dt.date(y, 1, 5))
    post({"section": Section.GOVERNMENT, "timing": Timing.IMMEDIATE, "kind": Kind.NOTICE,
          "title": "关于临时停水的通知", "body": "因管网检修,12月20日9:00至15:00平庄花园停水,请提前储水。",
          "expires_on": dt.date(y, 12, 21)}, dt.date(y, 12, 18))
    wrong = post({"section": Section.FINANCE, "timing": Timing.IMMEDIATE, "kind": Kind.NOTICE,
                  "title": "关于社区活动经费使用的公示", "body": "(误发稿件)"}, dt.date(y, 11, 3))
    services.item_withdraw(actor=staff, item=wrong, reason="稿件误发,内容未经核实,已撤回,核实后重新公示。")
    q4 = posted[4]
    fix = services.item_correct(
        actor=staff, item=q4, change_note="更正财务运行情况:本季度支出应为88,900元(原公示88,300元漏计办公用品600元)。",
        data={"body": q4.body.replace("88,300", "88,900")},
    )
    services.item_approve(actor=secretary, item=fix)
    services.item_publish(actor=staff, item=fix, published_on=dt.date(y, 12, 30))
    return _counts(code)
