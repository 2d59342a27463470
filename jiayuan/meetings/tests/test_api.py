"""The API's wiring: scoped lists with a fixed number of queries, 404 outside the area, 403 for
readers who may not record, 400 with messages in the request's language, the actions."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from jiayuan.meetings import services
from jiayuan.meetings.models import Meeting

from .conftest import TODAY, at, counts, party  # noqa: F401

URL = "/api/v1/meetings/"


def api(web, role, language="zh-hans") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if role != "anonymous":
        client.force_authenticate(web.users[role])
    return client


def make(web, party, org="branch", meeting_type="general_meeting", day=None, **extra):
    return services.meeting_schedule(actor=web.users["admin"], organization=party[org], meeting_type=meeting_type,
                                     title=extra.pop("title", "党员大会"), starts_at=at(day or TODAY), **extra)


@pytest.mark.parametrize("role, visible", [
    ("admin", 2), ("district", 2), ("street", 2), ("secretary", 1), ("staff", 1), ("worker", 0),
    ("other_worker", 0), ("resident", 0), ("nobody", 0), ("other_staff", 1),
])
def test_list_is_scoped(web, party, role, visible):
    make(web, party)
    make(web, party, org="other_branch", title="桂花社区党员大会")
    response = api(web, role).get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == visible


def test_anonymous_is_refused(web, party):
    assert api(web, "anonymous").get(URL).status_code in (401, 403)


def test_list_filters(web, party):
    make(web, party, day=TODAY - dt.timedelta(days=40), title="十月大会")
    m = make(web, party, org="group1", meeting_type="party_group", title="小组会")
    client = api(web, "secretary")
    assert [r["title"] for r in client.get(URL, {"organization": party["group1"].code}).json()["results"]] == ["小组会"]
    assert client.get(URL, {"organization": party["branch"].code}).json()["count"] == 2  # its groups too
    assert client.get(URL, {"meeting_type": "party_group"}).json()["results"][0]["id"] == m.pk
    since = (TODAY - dt.timedelta(days=10)).isoformat()
    assert client.get(URL, {"date_from": since}).json()["count"] == 1
    until = (TODAY - dt.timedelta(days=10)).isoformat()
    assert [r["title"] for r in client.get(URL, {"date_to": until}).json()["results"]] == ["十月大会"]
    assert client.get(URL, {"status": "held"}).json()["count"] == 0
    assert client.get(URL, {"status": "nonsense"}).status_code == 400


def test_list_costs_a_fixed_number_of_queries(web, party, django_assert_max_num_queries):
    for i in range(12):
        m = make(web, party, title=f"会议{i}", day=TODAY - dt.timedelta(days=i + 1))
        services.roll_call(actor=web.users["admin"], meeting=m, entries=[{"member": party["a"], "status": "present"}])
    client = api(web, "secretary")
    client.get(URL)  # warm the session/scope caches
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.json()["count"] == 12 and response.json()["results"][0]["attended_count"] == 1


def test_create_retrieve_and_actions(web, party):
    client = api(web, "staff")
    response = client.post(URL, {
        "organization": party["branch"].code, "meeting_type": "general_meeting", "title": "第四季度党员大会",
        "starts_at": at(TODAY - dt.timedelta(days=1)).isoformat(), "location": "会议室",
    }, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["attendance"] == [] and response.json()["minutes"] is None
    response = client.post(f"{URL}{pk}/attendance/", {"entries": [
        {"member": party["a"].pk, "status": "present"},
        {"member": party["b"].pk, "status": "excused", "reason": "出差"},
    ]}, format="json")
    assert response.status_code == 200
    assert {a["name"]: a["status"] for a in response.json()["attendance"]} == {"张建国": "present", "李秀英": "excused"}
    assert client.post(f"{URL}{pk}/held/", {"held_on": (TODAY - dt.timedelta(days=1)).isoformat()},
                       format="json").status_code == 200
    response = client.post(f"{URL}{pk}/minutes/", {"text": "传达学习文件", "decisions": "开展慰问"}, format="json")
    assert response.status_code == 200 and response.json()["minutes"]["text"] == "传达学习文件"
    response = client.post(f"{URL}{pk}/sign-off/")
    assert response.status_code == 200 and response.json()["minutes"]["signed_off_by"] == "staff"
    detail = client.get(f"{URL}{pk}/").json()
    assert detail["status"] == "held" and len(detail["attendance"]) == 5  # 3 unticked marked absent
    assert {a["member"] for a in detail["attendance"]} == {party[k].pk for k in "abcde"}


def test_cancel(web, party):
    m = make(web, party)
    client = api(web, "secretary")
    assert client.post(f"{URL}{m.pk}/cancel/", {"reason": "改期"}, format="json").json()["status"] == "cancelled"


@pytest.mark.parametrize("language, text", [("zh-hans", "召开日期不能晚于今天。"),
                                            ("en", "A meeting cannot be marked held on a day still to come.")])
def test_400_in_the_request_language(web, party, language, text):
    m = make(web, party)
    response = api(web, "secretary", language).post(
        f"{URL}{m.pk}/held/", {"held_on": (TODAY + dt.timedelta(days=2)).isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json() == {"held_on": [text]}


@pytest.mark.parametrize("language, text", [("zh-hans", "请说明王芳请假的原因。"), ("en", "State why 王芳 is excused.")])
def test_roll_call_400(web, party, language, text):
    m = make(web, party)
    before = counts()
    response = api(web, "secretary", language).post(f"{URL}{m.pk}/attendance/", {"entries": [
        {"member": party["c"].pk, "status": "excused"}]}, format="json")
    assert response.status_code == 400 and response.json() == {"entries.0.reason": [text]}
    assert counts() == before


def test_bad_input_is_400_not_500(web, party):
    client = api(web, "secretary")
    m = make(web, party)
    for url, body in [
        (URL, {"organization": "P999", "meeting_type": "general_meeting", "title": "x", "starts_at": "2026-01-01T09:00"}),
        (URL, {"organization": party["branch"].code, "meeting_type": "nope", "title": "", "starts_at": "tomorrow"}),
        (f"{URL}{m.pk}/attendance/", {"entries": [{"member": "x"}]}),
        (f"{URL}{m.pk}/attendance/", {"entries": []}),
        (f"{URL}{m.pk}/held/", {}),
        (f"{URL}{m.pk}/minutes/", {"text": ""}),
        (f"{URL}{m.pk}/sign-off/", {}),  # no minutes yet
        (f"{URL}{m.pk}/cancel/", {}),
    ]:
        response = client.post(url, body, format="json")
        assert response.status_code == 400, (url, body, response.content)
    assert "organization" in client.post(URL, {
        "organization": party["other_branch"].code, "meeting_type": "general_meeting", "title": "x",
        "starts_at": at(TODAY).isoformat()}, format="json").json()  # outside the area: not disclosed


def test_404_outside_the_area(web, party):
    m = make(web, party)
    for role in ("other_worker", "worker", "resident", "nobody", "other_staff"):
        assert api(web, role).get(f"{URL}{m.pk}/").status_code == 404, role
        assert api(web, role).post(f"{URL}{m.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404, role
    for role in ("street", "district", "admin", "secretary", "staff"):
        assert api(web, role).get(f"{URL}{m.pk}/").status_code == 200, role
    assert Meeting.objects.get(pk=m.pk).status == "scheduled"


def test_403_visible_but_not_allowed(web, party):
    """A grid worker sees the organizations set up in their grid (003 L293) but does not record
    organizational life (party.permissions: MEETING_WRITER_ROLES)."""
    from jiayuan.party.models import Member

    from .conftest import make_org

    grid_branch = make_org(web.grid_a, "平庄花园第一网格党支部", "party_branch", 9)
    Member.objects.create(full_name="钱九", organization=grid_branch)
    party["grid_branch"] = grid_branch
    m = make(web, party, org="grid_branch", title="网格支部党员大会")
    client = api(web, "worker")
    assert client.get(f"{URL}{m.pk}/").status_code == 200
    assert api(web, "other_worker").get(f"{URL}{m.pk}/").status_code == 404
    before = counts()
    assert client.post(f"{URL}{m.pk}/cancel/", {"reason": "x"}, format="json").status_code == 403
    assert client.post(f"{URL}{m.pk}/held/", {"held_on": TODAY.isoformat()}, format="json").status_code == 403
    assert client.post(URL, {"organization": grid_branch.code, "meeting_type": "general_meeting", "title": "x",
                             "starts_at": at(TODAY).isoformat()}, format="json").status_code == 403
    assert counts() == before


def test_schema_has_the_meeting_paths(client):
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    for p in ["/api/v1/meetings/", "/api/v1/meetings/{id}/", "/api/v1/meetings/{id}/attendance/",
              "/api/v1/meetings/{id}/held/", "/api/v1/meetings/{id}/minutes/", "/api/v1/meetings/{id}/sign-off/",
              "/api/v1/meetings/{id}/cancel/"]:
        assert p in paths, p
