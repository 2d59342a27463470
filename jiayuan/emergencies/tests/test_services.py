import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiayuan.emergencies import services
from jiayuan.emergencies.models import (
    ContingencyPlan,
    IncidentEvent,
    IncidentReport,
    ReportChase,
    ResponseRecord,
)

from .conftest import pdf_file


def test_plan_must_be_a_small_pdf(web):
    args = dict(actor=web.users["secretary"], place=web.places["community"], incident_type="traffic", title="交通事故预案",
                version="1", effective_on=dt.date(2026, 1, 1), responsible_units="社区")
    with pytest.raises(ValidationError) as exc:
        services.plan_add(document=pdf_file("plan.docx", b"PK\x03\x04 not a pdf"), **args)
    assert "document" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.plan_add(document=pdf_file("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), **args)
    with pytest.raises(PermissionDenied):
        services.plan_add(document=pdf_file(), **{**args, "actor": web.users["worker"]})
    assert ContingencyPlan.objects.count() == 0
    assert services.plan_add(document=pdf_file(), **args).document.name.endswith(".pdf")


def test_roster_gaps_include_the_national_day_holiday(web):
    community = web.places["community"]
    start, end = dt.date(2026, 9, 28), dt.date(2026, 10, 3)
    for d in (dt.date(2026, 9, 28), dt.date(2026, 9, 29), dt.date(2026, 9, 30), dt.date(2026, 10, 2)):
        services.shift_add(actor=web.users["secretary"], place=community, date=d, person_name="刘书记",
                           role="leader", phone="13800001111")
    gaps = services.roster_gaps(community, start, end)
    assert [g["date"] for g in gaps] == [dt.date(2026, 10, 1), dt.date(2026, 10, 3)]
    assert gaps[0]["workday"] is False and gaps[0]["holiday"]
    shift = services.shift_add(actor=web.users["staff"], place=community, date=dt.date(2026, 10, 1), person_name="王值班")
    assert dt.date(2026, 10, 1) not in [g["date"] for g in services.roster_gaps(community, start, end)]
    assert shift.phone_masked == ""
    with pytest.raises(ValidationError):  # twice the same person on one day
        services.shift_add(actor=web.users["staff"], place=community, date=dt.date(2026, 10, 1), person_name="王值班")
    with pytest.raises(ValidationError) as exc:
        services.shift_add(actor=web.users["staff"], place=community, date=dt.date(2026, 10, 4), person_name="x", phone="12")
    assert "phone" in exc.value.message_dict


def test_no_response_before_the_report_up(web, incident):
    with pytest.raises(ValidationError) as exc:
        services.incident_respond(actor=web.users["secretary"], incident=incident)
    assert "第一时间" in exc.value.messages[0]
    services.incident_report_up(actor=web.users["secretary"], incident=incident, content="已到场,正在疏导")
    assert services.incident_respond(actor=web.users["secretary"], incident=incident).status == "responding"


def test_report_is_chased_until_acknowledged_and_the_sweep_is_idempotent(web, incident):
    report = services.incident_report_up(actor=web.users["secretary"], incident=incident, content="业主聚集约30人")
    street = web.users["street"]
    assert list(ReportChase.objects.values_list("user_id", "round")) == [(street.pk, 0)]
    now = timezone.now()
    assert services.report_chase_sweep(now=now) == {"chased": 0}  # not ten minutes yet
    later = now + dt.timedelta(minutes=11)
    assert services.report_chase_sweep(now=later) == {"chased": 1}
    assert services.report_chase_sweep(now=later) == {"chased": 0}  # same run again: nothing new
    assert services.report_chase_sweep(now=later + dt.timedelta(minutes=5)) == {"chased": 0}
    assert services.report_chase_sweep(now=later + dt.timedelta(minutes=10)) == {"chased": 1}
    report.refresh_from_db()
    assert report.chase_count == 2 and ReportChase.objects.filter(report=report).count() == 3
    # the community cannot acknowledge its own report, nor the district a street report
    for who in ("secretary", "staff", "district", "worker"):
        with pytest.raises(PermissionDenied):
            services.report_acknowledge(actor=web.users[who], report=report)
    services.report_acknowledge(actor=street, report=report)
    assert services.report_chase_sweep(now=later + dt.timedelta(hours=1)) == {"chased": 0}
    report.refresh_from_db()
    assert report.acknowledged_by == street and report.chase_count == 2
    with pytest.raises(ValidationError):
        services.report_acknowledge(actor=street, report=report)


def test_district_report_goes_to_the_district(web, incident):
    report = services.incident_report_up(actor=web.users["secretary"], incident=incident, content="x", to_level="district")
    assert report.to_code == web.places["district"].code
    with pytest.raises(PermissionDenied):
        services.report_acknowledge(actor=web.users["street"], report=report)
    services.report_acknowledge(actor=web.users["district"], report=report)


def test_full_loop_and_grid_worker_responses(web, incident):
    s = web.users["secretary"]
    report = services.incident_report_up(actor=s, incident=incident, content="x")
    services.incident_respond(actor=s, incident=incident)
    services.response_record(actor=web.users["worker"], incident=incident, note="到场维持秩序", kind="arrival")
    with pytest.raises(PermissionDenied):
        services.response_record(actor=web.users["other_worker"], incident=incident, note="x")
    with pytest.raises(PermissionDenied):
        services.incident_stabilise(actor=web.users["worker"], incident=incident, note="x")
    services.incident_stabilise(actor=s, incident=incident, note="供水恢复,人员散去")
    services.aftercare_record(actor=s, incident=incident, visited_on=timezone.localdate(), visitor="刘书记",
                              visited="3栋业主代表", notes="解释停水原因")
    with pytest.raises(ValidationError):  # report still unacknowledged
        services.incident_close(actor=s, incident=incident, summary="处置完毕")
    services.report_acknowledge(actor=web.users["street"], report=report)
    i = services.incident_close(actor=s, incident=incident, summary="处置完毕")
    assert i.status == "closed"
    assert list(IncidentEvent.objects.filter(incident=i).values_list("kind", flat=True)) == [
        "activated", "plan_activated", "reported_up", "responding", "stabilised", "acknowledged", "closed"]
    rec = ResponseRecord.objects.get()
    with pytest.raises(ValueError):
        rec.save()


def test_refused_writes_leave_nothing(web, incident):
    before = (IncidentReport.objects.count(), IncidentEvent.objects.count())
    with pytest.raises(PermissionDenied):
        services.incident_report_up(actor=web.users["resident"], incident=incident, content="x")
    with pytest.raises(ValidationError):
        services.incident_report_up(actor=web.users["secretary"], incident=incident, content="")
    assert (IncidentReport.objects.count(), IncidentEvent.objects.count()) == before
