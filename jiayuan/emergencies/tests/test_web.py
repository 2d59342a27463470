import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.emergencies import services
from jiayuan.emergencies.models import ContingencyPlan, Incident, IncidentReport, OnCallShift

from .conftest import pdf_file

SEE = {"admin": 200, "district": 200, "street": 200, "secretary": 200, "staff": 200, "worker": 200,
       "other_worker": 404, "resident": 404, "nobody": 404}


@pytest.mark.parametrize("role, status", SEE.items())
def test_incident_page_scoping(web, incident, role, status):
    assert web.client(role).get(f"/emergencies/incidents/{incident.pk}/").status_code == status


@pytest.mark.parametrize("role, status", [("secretary", 200), ("worker", 200), ("street", 200), ("resident", 404),
                                          ("nobody", 404)])
def test_home_scoping(web, incident, role, status):
    r = web.client(role).get("/emergencies/")
    assert r.status_code == status
    if status == 200:
        assert incident.number in r.content.decode()


def test_other_worker_does_not_see_the_incident(web, incident):
    assert incident.number not in web.client("other_worker").get("/emergencies/").content.decode()


def test_street_sees_and_acknowledges_the_report(web, incident):
    report = services.incident_report_up(actor=web.users["secretary"], incident=incident, content="业主聚集约三十人")
    page = web.client("street").get("/emergencies/").content.decode()
    assert "业主聚集约三十人" in page and f"/emergencies/reports/{report.pk}/acknowledge/" in page
    assert f"/emergencies/reports/{report.pk}/acknowledge/" not in web.client("secretary").get("/emergencies/").content.decode()
    assert web.client("secretary").post(f"/emergencies/reports/{report.pk}/acknowledge/").status_code == 403
    assert web.client("other_worker").post(f"/emergencies/reports/{report.pk}/acknowledge/").status_code == 404
    assert IncidentReport.objects.get().acknowledged_at is None
    assert web.client("street").post(f"/emergencies/reports/{report.pk}/acknowledge/", {"next": "home"}).status_code == 302
    assert IncidentReport.objects.get().acknowledged_by == web.users["street"]


@pytest.mark.parametrize("language, text", [("zh-hans", "请先第一时间向上级报告"), ("en", "Report the incident to the level above first")])
def test_respond_before_report_is_400(web, incident, language, text):
    r = web.client("secretary", language=language).post(f"/emergencies/incidents/{incident.pk}/respond/")
    assert r.status_code == 400 and text in r.content.decode()
    assert Incident.objects.get(pk=incident.pk).status == "reported"


@pytest.mark.parametrize("language, text", [("zh-hans", "预案必须是 PDF 文件。"), ("en", "The plan must be a PDF file.")])
def test_plan_upload_refuses_non_pdf(web, language, text):
    r = web.client("secretary", language=language).post("/emergencies/plans/new/", {
        "place": web.places["community"].pk, "incident_type": "traffic", "title": "交通事故预案", "version": "1",
        "effective_on": "2026-01-01", "responsible_units": "社区", "document": pdf_file("x.pdf", b"GIF89a not a pdf"),
    })
    assert r.status_code == 400 and text in r.content.decode()
    assert ContingencyPlan.objects.count() == 0


def test_plan_upload_and_download(web):
    r = web.client("secretary").post("/emergencies/plans/new/", {
        "place": web.places["community"].pk, "incident_type": "traffic", "title": "交通事故预案", "version": "1",
        "effective_on": "2026-01-01", "responsible_units": "社区", "document": pdf_file(),
    })
    assert r.status_code == 302
    plan = ContingencyPlan.objects.get()
    assert web.client("staff").get(f"/emergencies/plans/{plan.pk}/document.pdf").status_code == 200
    assert web.client("resident").get(f"/emergencies/plans/{plan.pk}/document.pdf").status_code == 404


def test_roster_page_warns_of_gaps(web):
    today = timezone.localdate()
    services.shift_add(actor=web.users["secretary"], place=web.places["community"], date=today, person_name="刘书记",
                       phone="13800001111")
    page = web.client("secretary").get("/emergencies/").content.decode()
    assert "138****1111" in page and "13800001111" not in page
    assert "29 天无人值班" in page
    r = web.client("worker").post("/emergencies/shifts/new/", {"place": web.places["community"].pk,
                                                               "date": today.isoformat(), "person_name": "x", "role": "duty"})
    assert r.status_code == 403 and OnCallShift.objects.count() == 1


def test_worker_adds_a_response_in_own_grid(web, incident):
    services.incident_report_up(actor=web.users["secretary"], incident=incident, content="x")
    services.incident_respond(actor=web.users["secretary"], incident=incident)
    url = f"/emergencies/incidents/{incident.pk}/response/"
    assert web.client("worker").post(url, {"kind": "arrival", "note": "已到场"}).status_code == 302
    assert web.client("worker").post(f"/emergencies/incidents/{incident.pk}/stabilise/", {"note": "x"}).status_code == 403
    assert web.client("other_worker").post(url, {"kind": "arrival", "note": "x"}).status_code == 404
    assert incident.responses.count() == 1


def test_walk_through(web, incident):
    c = web.client("secretary")
    url = f"/emergencies/incidents/{incident.pk}/"
    assert c.post(url + "report/", {"to_level": "street", "content": "已报告"}).status_code == 302
    assert c.post(url + "respond/").status_code == 302
    assert c.post(url + "stabilise/", {"note": "人员散去"}).status_code == 302
    assert c.post(url + "aftercare/", {"visited_on": timezone.localdate().isoformat(), "visitor": "刘书记",
                                       "visited": "业主代表"}).status_code == 302
    assert c.post(url + "close/", {"summary": "处置完毕"}).status_code == 400  # not acknowledged yet
    services.report_acknowledge(actor=web.users["street"], report=IncidentReport.objects.get())
    assert c.post(url + "close/", {"summary": "处置完毕"}).status_code == 302
    assert Incident.objects.get(pk=incident.pk).status == "closed"


def test_home_query_count_is_fixed(web, plan, django_assert_max_num_queries):
    for n in range(6):
        i = services.incident_activate(actor=web.users["secretary"], place=web.grid_a, incident_type="traffic",
                                       location=f"路口{n}", started_at=timezone.now() - dt.timedelta(hours=n + 1), summary="x")
        services.incident_report_up(actor=web.users["secretary"], incident=i, content="x")
        services.shift_add(actor=web.users["secretary"], place=web.places["community"],
                           date=timezone.localdate() + dt.timedelta(days=n), person_name="值班员")
    c = web.client("street")
    c.get("/emergencies/")
    with django_assert_max_num_queries(25):
        assert c.get("/emergencies/").status_code == 200
