"""Demo disputes for the demo community (``load_demo``): two screening rounds this year and a
dozen disputes across kinds, intake modes, levels and statuses, all through the services as the
demo ``secretary`` — one agreement signed (and the dispute followed up and closed), one
escalated to the street after a failed mediation. Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jiayuan.accounts.models import User
from jiayuan.residents.demo import COMMUNITY, build_places

from . import services
from .models import Dispute, ScreeningRound


def _counts(code: str) -> dict[str, int]:
    qs = Dispute.objects.filter(territory_code__startswith=code)
    return {"rounds": ScreeningRound.objects.filter(territory_code__startswith=code).count(), "disputes": qs.count(),
            "open": qs.exclude(status__in=["closed"]).count(), "street": qs.filter(level="street").count()}


def build_disputes() -> dict[str, int]:
    code = COMMUNITY[0]
    actor = User.objects.filter(username="secretary").first()
    street = User.objects.filter(username="street").first()
    if actor is None or Dispute.objects.filter(territory_code__startswith=code).exists():
        return _counts(code)
    places = build_places()
    community, grids = places["community"], places["grids"]
    today = timezone.localdate()
    jan = dt.date(today.year, 1, 1)

    def day(n: int) -> dt.date:  # n days ago, not before 1 January
        return max(jan, today - dt.timedelta(days=n))

    r1 = services.round_create(actor=actor, community=community, title=f"{today.year}年第一季度矛盾纠纷排查",
                               period_start=day(270), period_end=day(255), households_covered=1180,
                               participants="社区党委书记、两委委员、网格员、党员中心户(两人一组包百户)")
    r2 = services.round_create(actor=actor, community=community, title=f"{today.year}年第四季度矛盾纠纷排查",
                               period_start=day(30), period_end=day(16), households_covered=1215,
                               participants="社区两委委员、网格员、楼栋长")

    def reg(title, kind, mode, grid, found, parties, summary="", rnd=None, mk="peoples"):
        return services.dispute_register(actor=actor, place=grids[grid], title=title, kind=kind, intake_mode=mode,
                                         screening_round=rnd, found_on=found, summary=summary, mediation_kind=mk,
                                         parties=[{"name": n, "phone": p} for n, p in parties])

    def five(d, leader="刘书记", team=("王调解员", "陈网格员"), plan="查明事实,分别谈话,组织双方面对面协商", who=actor):
        return services.dispute_assign(actor=who, dispute=d, leader_name=leader, team=list(team), plan=plan)

    def mediate(d, who=actor):
        five(d, who=who)
        services.mediation_start(actor=who, dispute=d)

    def session(d, n, note):
        services.session_record(actor=actor, dispute=d, held_on=day(n), location="社区人民调解室",
                                mediators="王调解员、刘书记", parties_present="双方当事人", notes=note)

    # 1 signed, followed up, closed
    d = reg("楼上卫生间漏水至楼下", "neighbourhood", "screening", 0, day(262),
            [("张建华", "13885201234"), ("李国强", "13985205678")], "3栋502卫生间防水层破损,渗水至402顶棚。", r1)
    mediate(d)
    services.checklist_update(actor=actor, dispute=d, done={c: "" for c in ("information", "investigation", "education", "plan")})
    session(d, 250, "物业查明为防水层老化;双方同意由502负责维修并赔偿。")
    services.agreement_save(actor=actor, dispute=d, parties="张建华、李国强", mediators="王调解员",
                            content="一、张建华于十五日内修复卫生间防水层;\n二、张建华一次性补偿李国强顶棚修复费用人民币捌佰元;\n三、双方就此事不再发生争议。",
                            agreed_on=day(249))
    services.agreement_sign(actor=actor, dispute=d, signatures=[{"name": "张建华", "signed_on": day(249)},
                                                                 {"name": "李国强", "signed_on": day(249)}])
    services.follow_up_record(actor=actor, dispute=d, visited_on=day(230), visitor="王调解员", notes="已维修,赔偿已付清。")
    services.dispute_close(actor=actor, dispute=d, note="协议履行完毕,双方满意。")

    # 2 failed at community level, escalated to the street, the street took it on
    d = reg("宅基地边界围墙争议", "property_land", "screening", 3, day(258),
            [("周德明", "13608521111"), ("吴长林", "")], "两户围墙边界相差约半米,历史遗留。", r1)
    mediate(d)
    session(d, 240, "双方各执一词,均无原始界址资料。")
    services.mediation_fail(actor=actor, dispute=d, reason="缺少原始界址资料,社区无法确权;已向双方做好解释说服工作。")
    d = services.dispute_escalate(actor=actor, dispute=d, reason="涉及确权,超出社区调处能力,提交街道。")
    if street is not None:
        five(d, leader="街道司法所所长", team=["街道国土所", "社区主任"], plan="调取档案,现场勘界,会同国土所确权", who=street)

    # 3 failed, explained, followed up, closed
    d = reg("彩礼返还纠纷", "family", "screening", 1, day(261), [("杨某", ""), ("赵某", "")], "婚约解除后彩礼返还数额分歧。", r1)
    mediate(d)
    services.mediation_fail(actor=actor, dispute=d, reason="双方同意通过诉讼解决;已告知诉讼途径。")
    services.follow_up_record(actor=actor, dispute=d, visited_on=day(200), visitor="陈网格员", holding=True,
                              notes="已起诉,双方情绪平稳。")
    services.dispute_close(actor=actor, dispute=d, note="转入司法程序,社区持续关注。")

    # 4 mediating, with a draft agreement
    d = reg("物业费与停车管理争议", "property_management", "screening", 2, day(20),
            [("业主代表刘某", "13765432100"), ("平庄花园物业", "08512345678")], "部分业主以停车管理混乱为由拒缴物业费。", r2)
    mediate(d)
    session(d, 12, "物业承诺整改停车秩序;业主代表同意补缴。")
    services.agreement_save(actor=actor, dispute=d, parties="业主代表刘某、平庄花园物业", mediators="王调解员",
                            content="物业一个月内完成停车位划线;业主于整改后补缴物业费。", agreed_on=day(12))

    # 5 mediating (labour, administrative mediation, 急诊)
    d = reg("装修工人讨要工钱", "labour", "emergency", 1, day(9), [("工人代表孙某", "13511112222"), ("装修公司", "")],
            "六名工人聚集在小区门口讨薪。", mk="administrative")
    mediate(d)
    session(d, 8, "人社所到场,公司承诺分两期支付。")

    # 6 failed, followed up (the explanation holds)
    d = reg("装修噪音扰民", "neighbourhood", "screening", 0, day(22), [("钱某", ""), ("郑某", "")], "", r2)
    mediate(d)
    services.mediation_fail(actor=actor, dispute=d, reason="装修方坚持工期;已讲明作息时间规定。")
    services.follow_up_record(actor=actor, dispute=d, visited_on=day(5), visitor="陈网格员", holding=True,
                              notes="装修方已按规定时间施工。")

    # 7 assigned, with part of the 七包
    d = reg("赡养老人纠纷", "family", "sit_in", 2, day(14), [("王老太", ""), ("王大", ""), ("王二", "")],
            "三子女对赡养费分担有分歧。")
    five(d)
    services.checklist_update(actor=actor, dispute=d, done={"information": "已走访三户", "investigation": "已了解收入"})

    # 8 assigned (labour, 坐诊)
    d = reg("工伤赔偿纠纷", "labour", "sit_in", 3, day(7), [("冯某", "13312345678"), ("某建材厂", "")])
    five(d, plan="联系人社所,先行垫付医疗费")

    # 9-12 registered, just found
    reg("楼道堆放杂物", "neighbourhood", "screening", 1, day(18), [("何某", ""), ("吕某", "")], "", r2)
    reg("小区广场舞噪音", "other", "screening", 2, day(17), [("广场舞队负责人", "")], "", r2)
    reg("地下车位归属争议", "property_management", "consultation", 0, day(3), [("施某", ""), ("开发商", "")])
    reg("离婚后子女探视", "family", "house_call", 3, day(2), [("韩某", ""), ("曹某", "")], mk="judicial")
    return _counts(code)
