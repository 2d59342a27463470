"""Demo emergency records for the demo community (``load_demo``), through the services as the
demo ``secretary`` (and ``street`` for the acknowledgement): two contingency plans (PDFs drawn
with reportlab), an on-call roster for the next 30 days with one deliberate gap on the first
holiday or weekend, a past incident handled end to end with its report acknowledged, and an open
incident whose report to the street is not acknowledged yet (so it is being chased).
Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from jiayuan.accounts.models import User
from jiayuan.core.workdays import is_workday
from jiayuan.residents.demo import COMMUNITY, build_places

from . import services
from .models import ContingencyPlan, Incident, IncidentReport, OnCallShift

ROTA = [("刘书记", "13885200001", "leader"), ("王主任", "13885200002", "leader"), ("陈网格员", "13885200003", "duty"),
        ("李委员", "13885200004", "duty")]


def _plan_pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from jiayuan.disputes.pdf import _font

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(_font(), 18)
    c.drawString(60, 780, title)
    c.setFont(_font(), 11)
    for n, line in enumerate(lines):
        c.drawString(60, 740 - 22 * n, line)
    c.save()
    return buf.getvalue()


def _counts(code: str) -> dict[str, int]:
    return {
        "plans": ContingencyPlan.objects.filter(territory_code__startswith=code).count(),
        "shifts": OnCallShift.objects.filter(territory_code__startswith=code, date__gte=timezone.localdate()).count(),
        "incidents": Incident.objects.filter(territory_code__startswith=code).count(),
        "unacknowledged": IncidentReport.objects.filter(territory_code__startswith=code, acknowledged_at__isnull=True).count(),
    }


def build_emergencies() -> dict[str, int]:
    code = COMMUNITY[0]
    actor = User.objects.filter(username="secretary").first()
    street = User.objects.filter(username="street").first()
    if actor is None:
        return _counts(code)
    places = build_places()
    community, grids = places["community"], places["grids"]
    today = timezone.localdate()
    now = timezone.now()
    if not ContingencyPlan.objects.filter(territory_code__startswith=code).exists():
        for kind, title, units, lines in (
            ("mass", "礼仪社区群体性事件应急预案", "社区党委、社区居委会、礼仪派出所、街道综治办",
             ["一、社区党委书记第一时间向街道党工委、办事处报告。", "二、党员干部赶赴现场,劝导疏散,稳定情绪。",
              "三、做好政策宣传和走访慰问,防止事态扩大。"]),
            ("traffic", "礼仪社区交通事故应急预案", "社区居委会、交警中队、社区卫生服务站",
             ["一、拨打110、120,保护现场。", "二、疏导交通,安抚伤者家属。", "三、及时向街道报告并做好善后。"]),
        ):
            services.plan_add(actor=actor, place=community, incident_type=kind, title=title, version=f"{today.year}版",
                              document=ContentFile(_plan_pdf(title, lines), name=f"{kind}-plan.pdf"),
                              effective_on=dt.date(today.year, 1, 1), responsible_units=units)
    # the roster: one person a day, except the first holiday or weekend ahead (the gap the page warns of)
    days = [today + dt.timedelta(days=n) for n in range(services.ROSTER_DAYS)]
    gap = next((d for d in days[1:] if not is_workday(d)), None)
    for n, d in enumerate(days):
        if d == gap or OnCallShift.objects.filter(place=community, date=d).exists():
            continue
        name, phone, role = ROTA[n % len(ROTA)]
        services.shift_add(actor=actor, place=community, date=d, person_name=name, role=role, phone=phone)
    if Incident.objects.filter(territory_code__startswith=code).exists():
        return _counts(code)
    plans = {p.incident_type: p for p in ContingencyPlan.objects.filter(territory_code__startswith=code)}
    # a past incident, handled end to end
    past = services.incident_activate(
        actor=actor, place=grids[1], incident_type="traffic", location="平庄花园东门路口",
        started_at=now - dt.timedelta(days=21, hours=3), summary="电动车与小轿车相撞,一人轻伤,围观群众较多。",
        plan=plans.get("traffic"))
    report = services.incident_report_up(actor=actor, incident=past, content="东门路口发生交通事故,一人轻伤,已拨打120,社区人员在场。")
    services.incident_respond(actor=actor, incident=past)
    services.response_record(actor=actor, incident=past, kind="arrival", note="社区主任、网格员5分钟内到场,疏导交通。")
    services.response_record(actor=actor, incident=past, kind="measure", note="伤者送医,交警到场处理。")
    if street is not None:
        services.report_acknowledge(actor=street, report=report)
    services.incident_stabilise(actor=actor, incident=past, note="现场恢复通行,围观群众散去。")
    services.aftercare_record(actor=actor, incident=past, visited_on=today - dt.timedelta(days=19), visitor="刘书记",
                              visited="伤者家属", notes="看望伤者,协助办理保险理赔。")
    if street is not None:
        services.incident_close(actor=actor, incident=past, summary="伤者已出院,双方达成赔偿协议。")
    # an open incident, report not acknowledged yet
    open_ = services.incident_activate(
        actor=actor, place=grids[0], incident_type="mass", location="平庄花园3栋门口",
        started_at=now - dt.timedelta(hours=1), summary="二十余名业主聚集,反映连续停水问题。", plan=plans.get("mass"))
    services.incident_report_up(actor=actor, incident=open_, content="3栋门口二十余名业主聚集反映停水,社区党委书记已到场。")
    services.incident_respond(actor=actor, incident=open_)
    services.response_record(actor=actor, incident=open_, kind="publicity", note="联系水务公司,向业主说明抢修进度。")
    return _counts(code)
