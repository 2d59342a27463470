"""Demo disclosures for the demo community (``load_demo``), through the services: the staff
member drafts, the secretary approves, the staff member publishes.

A year of quarterly disclosures (003 L329) for last year with the third quarter deliberately
missing, so the rulebook reports N-STD-17a overdue for that quarter; standing items (the
service guide, the two committees' duties), an immediate notice, one correction (the fourth
quarter's finances, v2 saying what changed) and one withdrawal (a notice posted in error).
The board's band (issue 7): a departure audit of the former committee head (002 L179), the
honour roll (002 L203) and the Party committee's public commitment (002 L195). One resident's
question on the corrected fourth quarter, taken in as a case and resolved, so its result shows
next to the item (002 L179, W-42). Idempotent: a second run adds nothing (each part has its guard).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jiayuan.accounts.models import User
from jiayuan.residents.demo import COMMUNITY, build_places

from . import services
from .choices import Kind, Section, Status, Timing
from .models import DisclosureFeedback, DisclosureItem

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
        "feedback": DisclosureFeedback.objects.filter(territory_code__startswith=code).count(),
    }


def build_disclosures() -> dict[str, int]:
    code = COMMUNITY[0]
    staff = User.objects.filter(username="staff").first()
    secretary = User.objects.filter(username="secretary").first()
    if staff is None or secretary is None:
        return _counts(code)
    community = build_places()["community"]

    def post(data: dict, on: dt.date) -> DisclosureItem:
        item = services.item_draft(actor=staff, community=community, data={"publisher": PUBLISHER, **data})
        services.item_approve(actor=secretary, item=item)
        return services.item_publish(actor=staff, item=item, published_on=on)

    if not DisclosureItem.objects.filter(territory_code__startswith=code, kind=Kind.QUARTERLY).exists():
        _build_year(community, staff, secretary, post)
    # Each part below has its own guard, so a demo database loaded before them gains them too.
    if not DisclosureItem.objects.filter(territory_code__startswith=code, kind__in=COLUMN_KINDS).exists():
        _build_columns(post)
    if not DisclosureFeedback.objects.filter(territory_code__startswith=code).exists():
        _build_feedback(code, staff, secretary)
    return _counts(code)


def _build_year(community, staff, secretary, post) -> None:
    y = timezone.localdate().year - 1

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


COLUMN_KINDS = (Kind.DEPARTURE_AUDIT, Kind.HONOUR_ROLL, Kind.COMMITMENT)


def _build_columns(post) -> None:
    """The band of the board: a departure audit (002 L179, W-43), the honour roll (002 L203) and
    the Party committee's public commitment (002 L195), all current."""
    today = timezone.localdate()
    y = today.year - 1
    post({"section": Section.FINANCE, "timing": Timing.PERIODIC, "kind": Kind.DEPARTURE_AUDIT,
          "title": "关于原社区居委会主任离任审计结果的公示",
          "cadre_post": "原社区居民委员会主任", "audit_from": dt.date(y - 3, 1, 1), "audit_to": dt.date(y, 12, 31),
          "body": "受街道党工委委托,街道财政所对原社区居民委员会主任任职期间的经济责任进行了离任审计。\n"
                  "审计结论:任期内社区财务收支真实、合规,集体资产账实相符;发现办公用品采购未按月公示的问题1项,"
                  "已责成整改。\n对审计结果有异议的,请于公示期内通过本页“意见箱”或到社区党群服务中心反映。"},
         today - dt.timedelta(days=12))
    post({"section": Section.PARTY_AFFAIRS, "timing": Timing.PERIODIC, "kind": Kind.HONOUR_ROLL,
          "title": f"礼仪社区{y}年度创先争优光荣榜",
          "body": "服务群众的模范:李秀兰(平庄花园网格员)\n促进和谐的模范:陈德明(退休党员、调解志愿者)\n"
                  "争创佳绩的模范:社区第二党支部\n向身边的先进典型学习,学先进、争先进、当先进。"},
         today - dt.timedelta(days=20))
    post({"section": Section.PARTY_AFFAIRS, "timing": Timing.PERIODIC, "kind": Kind.COMMITMENT,
          "title": f"中共礼仪社区委员会{today.year}年度公开承诺",
          "body": "一、年内完成平庄花园雨污分流改造(完成时限:6月30日)。\n"
                  "二、党员“设岗定责”全覆盖,每名无职党员认领一个服务岗位(完成时限:3月31日)。\n"
                  "三、群众反映的问题5个工作日内答复,办理结果在公开栏公开。\n欢迎党员群众监督评议。"},
         today - dt.timedelta(days=30))


def _build_feedback(code: str, staff, secretary) -> None:
    """A resident's question on the fourth quarter's corrected finances, taken in as a case and
    resolved through the loop, so its result shows next to the item (W-42 RESULT_DISCLOSED)."""
    from jiayuan.cases import services as case_services

    item = (DisclosureItem.objects.filter(territory_code=code, kind=Kind.QUARTERLY, status=Status.PUBLISHED,
                                          version=2).first()
            or DisclosureItem.objects.filter(territory_code=code, status=Status.PUBLISHED).first())
    if item is None:
        return
    feedback = services.feedback_submit(
        actor=None, item=item, name="王女士", phone="13985001234", client_key="demo",
        text="第四季度更正说明中漏计的600元办公用品具体买了什么?发票能否查看?",
    )
    case = feedback.case
    for who, action, data in (
        (staff, "accept", {}),
        (secretary, "assign", {"user": staff, "target": "community"}),
        (staff, "start", {}),
        (staff, "resolve", {"comment": "经核查,漏计的600元用于购买打印纸和硒鼓(发票2张,已入账)。"
                                       "发票复印件已张贴在社区党群服务中心公开栏,原件可在工作日到社区财务室查阅。"}),
    ):
        case = case_services.case_transition(actor=who, case=case, action=action, **data)
