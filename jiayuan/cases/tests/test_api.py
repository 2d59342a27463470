"""The API: wiring, scoping per role, idempotency, 409 on conflicts, 400/403/404, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jiayuan.cases.models import Case, CaseEvent

from .conftest import act, counts, report, walk

URL = "/api/v1/cases/"


def client(web, role, language=None):
    c = APIClient(HTTP_ACCEPT_LANGUAGE=language) if language else APIClient()
    if role != "anonymous":
        c.force_authenticate(web.users[role])
    return c


def payload(web, **extra):
    return {"kind": "appeal", "category": "environment", "channel": "phone", "title": "路灯不亮",
            "description": "小区门口路灯坏了", "place": web.grid_a.code, "reporter_name": "李秀英",
            "reporter_phone": "13987654321", **extra}


def test_create_and_retrieve(web):
    r = client(web, "staff").post(URL, payload(web), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "reported" and body["tracking_no"].startswith("JY")
    assert body["reporter_phone"] == "139****4321" and body["public_secret"]
    assert body["due_at"] == body["reply_due_on"]
    assert [e["kind"] for e in body["events"]] == ["reported"]
    assert "accept" in body["available_actions"]
    r = client(web, "staff").get(f"{URL}{body['id']}/")
    assert r.status_code == 200 and r.json()["public_secret"] == ""


def test_idempotency_key_header(web):
    c = client(web, "staff")
    first = c.post(URL, payload(web), format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    again = c.post(URL, payload(web), format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1
    other = c.post(URL, payload(web, title="别的事"), format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert other.status_code == 409


def test_create_refused(web):
    before = counts()
    r = client(web, "staff", "en").post(URL, payload(web, category="nope"), format="json")
    assert r.status_code == 400 and "category" in r.json()
    r = client(web, "staff", "zh-hans").post(URL, payload(web, title=""), format="json")
    assert r.status_code == 400
    assert client(web, "worker").post(URL, payload(web, place=web.grid_b.code), format="json").status_code == 403
    assert client(web, "anonymous").post(URL, payload(web), format="json").status_code in (401, 403)
    assert client(web, "resident").post(URL, payload(web), format="json").status_code == 400  # phone channel
    assert counts() == before
    assert client(web, "resident").post(URL, payload(web, channel="web"), format="json").status_code == 201


def test_transitions_and_conflicts(web):
    case = report(web)
    c = client(web, "staff", "en")
    url = f"{URL}{case.pk}/transitions/"
    r = c.post(url, {"action": "accept", "version": 1}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["version"] == 2
    stale = client(web, "secretary", "en").post(url, {"action": "reject", "comment": "x", "version": 1}, format="json")
    assert stale.status_code == 409 and "Somebody else" in stale.json()["detail"]
    assert stale.json()["code"] == "stale_version" and stale.json()["version"] == 2
    zh = client(web, "secretary", "zh-hans").post(url, {"action": "resolve", "comment": "x"}, format="json")
    assert zh.status_code == 409 and zh.json()["code"] == "illegal_transition"
    r = client(web, "secretary").post(url, {"action": "assign", "user": "staff", "target": "community"}, format="json")
    assert r.status_code == 200 and r.json()["assignee_user"] == "staff"
    assert client(web, "secretary").post(url, {"action": "assign", "user": "ghost"}, format="json").status_code == 400
    assert c.post(url, {"action": "fly"}, format="json").status_code == 400
    assert client(web, "worker").post(url, {"action": "start"}, format="json").status_code == 403
    assert client(web, "other_worker").post(url, {"action": "start"}, format="json").status_code == 404
    assert client(web, "nobody").post(url, {"action": "start"}, format="json").status_code == 404


def test_merge_by_tracking_number(web):
    first, second = report(web), report(web)
    r = client(web, "staff").post(f"{URL}{second.pk}/transitions/",
                                  {"action": "merge", "into": first.tracking_no, "comment": "重复"}, format="json")
    assert r.status_code == 200 and r.json()["merged_into"] == first.pk


def test_visit_via_api(web):
    case = walk(web, report(web), "resolved")
    r = client(web, "staff").post(f"{URL}{case.pk}/transitions/",
                                  {"action": "visit", "rating": 4, "satisfied": True}, format="json")
    assert r.status_code == 200 and r.json()["rating"] == 4 and r.json()["status"] == "visited"
    r = client(web, "staff").post(f"{URL}{case.pk}/transitions/", {"action": "visit", "rating": 9}, format="json")
    assert r.status_code == 400


@pytest.mark.parametrize("role, expected", [
    # "mine" is the resident's own case, in grid A
    ("admin", {"a", "b", "street", "mine"}), ("district", {"a", "b", "street", "mine"}),
    ("street", {"a", "b", "street", "mine"}), ("secretary", {"a", "b", "mine"}), ("staff", {"a", "b", "mine"}),
    ("worker", {"a", "mine"}), ("other_worker", {"b"}), ("resident", {"mine"}), ("nobody", set()),
])
def test_list_and_retrieve_scoped_per_role(web, role, expected):
    cases = {
        "a": report(web, title="a"), "b": report(web, place=web.grid_b, title="b"),
        "street": report(web, "street", place=web.places["street"], title="street"),
        "mine": report(web, "resident", channel="web", title="mine"),
    }
    r = client(web, role).get(URL)
    assert r.status_code == 200
    assert {row["title"] for row in _rows(r)} == expected
    for name, case in cases.items():
        status = client(web, role).get(f"{URL}{case.pk}/").status_code
        assert status == (200 if name in expected else 404), (name, status)


def test_list_filters_and_fixed_queries(web):
    for i in range(3):
        act(web, report(web, title=f"c{i}"), "accept")
    report(web, kind="grid_event", title="g")
    c = client(web, "staff")
    assert {r["title"] for r in _rows(c.get(URL, {"kind": "grid_event"}))} == {"g"}
    assert len(_rows(c.get(URL, {"status": "accepted"}))) == 3
    assert len(_rows(c.get(URL, {"overdue": "true"}))) == 0
    with CaptureQueriesContext(connection) as few:
        c.get(URL)
    for i in range(5):
        report(web, title=f"more{i}")
    with CaptureQueriesContext(connection) as many:
        c.get(URL)
    assert len(many) == len(few)


def test_events_hide_internal_and_staff_from_the_reporter(web):
    case = report(web, "resident", channel="web")
    act(web, case, "comment", comment="内部备注", visibility="internal")
    act(web, case, "comment", comment="工作人员可见", visibility="staff")
    act(web, case, "comment", comment="公开答复", visibility="public")
    seen = {role: [e["comment"] for e in client(web, role).get(f"{URL}{case.pk}/").json()["events"]]
            for role in ("resident", "worker", "staff")}
    assert seen["resident"] == ["", "公开答复"]
    assert seen["worker"] == ["", "工作人员可见", "公开答复"]
    assert seen["staff"] == ["", "内部备注", "工作人员可见", "公开答复"]
    assert client(web, "resident").get(f"{URL}{case.pk}/").json()["available_actions"] == []


def _rows(response):
    data = response.json()
    return data["results"] if isinstance(data, dict) else data
