"""Open311 GeoReport v2: services, requests GET (public fields only for anybody, more for staff
of the area), POST with a staff token and an Idempotency-Key, one request, the history
extension, errors as the spec's list of {code, description}, and no personal data out."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token

from jiayuan.cases.models import Case

from .conftest import act, counts, png_bytes, report, walk

BASE = "/open311/v2/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def token_client(web, role) -> Client:
    token, _new = Token.objects.get_or_create(user=web.users[role])
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def anon() -> Client:
    return Client()


def is_error(response, code):
    body = response.json()
    return response.status_code == code and isinstance(body, list) and body[0]["code"] == code \
        and body[0]["description"]


def resident_case(web, **extra):
    return report(web, actor=None, place=web.places["community"], channel="web", reporter_name="张三",
                  reporter_phone="13812345678", **extra)


def test_services(web):
    r = anon().get(BASE + "services.json")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    services = {s["service_code"]: s for s in r.json()}
    assert {"environment", "psychological", "discipline"} <= set(services)
    assert "fire" not in services and "neighbour_dispute" not in services
    env = services["environment"]
    assert set(env) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert env["metadata"] is False and env["type"] == "realtime" and "环境卫生" in env["description"]


def test_requests_get_public_fields_only(web):
    case = resident_case(web, description="我家住3栋201，电话13812345678", lat="27.7", lng="106.9",
                         location="3栋201")
    resident_case(web, kind="psychological", category="psychological", title="心理求助")
    report(web, kind="dispute", category="neighbour_dispute", title="邻里纠纷")
    r = anon().get(BASE + "requests.json")
    assert r.status_code == 200
    rows = r.json()
    assert [row["service_request_id"] for row in rows] == [case.tracking_no]
    row = rows[0]
    assert row["status"] == "open" and row["service_code"] == "environment"
    assert row["description"] == "" and row["lat"] is None and row["long"] is None
    assert row["address"] == web.places["community"].name and row["requested_datetime"]
    text = r.content.decode()
    for secret in ("张三", "13812345678", "138****5678", "3栋201", "心理求助", "邻里纠纷", case.title):
        assert secret not in text, secret


def test_staff_token_gets_the_area_with_details_but_no_reporter(web):
    case = resident_case(web, description="垃圾堆在2栋门口", lat="27.7", lng="106.9")
    psych = resident_case(web, kind="psychological", category="psychological", title="心理求助")
    act(web, case, "reject", comment="已转物业处理")
    rows = token_client(web, "staff").get(BASE + "requests.json").json()
    by_id = {row["service_request_id"]: row for row in rows}
    assert set(by_id) == {case.tracking_no, psych.tracking_no}
    row = by_id[case.tracking_no]
    assert row["status"] == "closed" and "垃圾堆在2栋门口" in row["description"]
    assert row["status_notes"] == "已转物业处理" and row["lat"] == 27.7
    text = json.dumps(rows, ensure_ascii=False)
    assert "张三" not in text and "13812345678" not in text and "5678" not in text
    # another area's staff sees none of it
    assert token_client(web, "other_worker").get(BASE + "requests.json").json() == []


def test_requests_filters(web):
    first = resident_case(web, title="一")
    second = resident_case(web, category="facilities", title="二")
    walk(web, second, "resolved")
    old = resident_case(web, title="旧")
    Case.objects.filter(pk=old.pk).update(received_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    get = lambda **q: [r["service_request_id"] for r in anon().get(BASE + "requests.json", q).json()]  # noqa: E731
    assert get() == [second.tracking_no, first.tracking_no]  # newest first, the last 90 days
    assert get(status="open") == [first.tracking_no]
    assert get(status="closed") == [second.tracking_no]
    assert get(service_code="facilities") == [second.tracking_no]
    assert get(service_request_id=f"{old.tracking_no},{first.tracking_no}") == [first.tracking_no, old.tracking_no]
    assert get(start_date="2019-12-01T00:00:00+08:00", end_date="2020-02-01T00:00:00+08:00") == [old.tracking_no]
    assert is_error(anon().get(BASE + "requests.json", {"start_date": "yesterday"}), 400)
    assert is_error(anon().get(BASE + "requests.json", {"status": "pending"}), 400)


def test_one_request_and_404(web):
    case = resident_case(web)
    r = anon().get(BASE + f"requests/{case.tracking_no}.json")
    assert r.status_code == 200 and r.json()[0]["service_request_id"] == case.tracking_no
    assert is_error(anon().get(BASE + "requests/JY2026-999999.json"), 404)
    psych = resident_case(web, kind="psychological", category="psychological")
    assert is_error(anon().get(BASE + f"requests/{psych.tracking_no}.json"), 404)
    assert token_client(web, "staff").get(BASE + f"requests/{psych.tracking_no}.json").status_code == 200


def test_history(web):
    case = resident_case(web)
    act(web, case, "comment", comment="内部：此人多次来访", visibility="internal")
    walk(web, case, "resolved")
    r = anon().get(BASE + f"requests/{case.tracking_no}/history.json")
    assert r.status_code == 200
    rows = r.json()
    assert [row["event"] for row in rows] == ["reported", "accepted", "assigned", "started", "resolved"]
    assert rows[-1]["status"] == "closed" and rows[0]["status"] == "open" and rows[0]["at"]
    assert all(row["note"] == "" for row in rows) and "内部" not in r.content.decode()
    staff_rows = token_client(web, "staff").get(BASE + f"requests/{case.tracking_no}/history.json").json()
    assert staff_rows[-1]["note"] == "已修好" and "内部" not in json.dumps(staff_rows, ensure_ascii=False)
    assert is_error(anon().get(BASE + "requests/JY2026-999999/history.json"), 404)


def post_data(web, **extra):
    data = {"service_code": "environment", "address_id": web.places["community"].code,
            "description": "小区门口路灯坏了\n已经一周", "first_name": "建国", "last_name": "张",
            "phone": "13812345678", "address_string": "东门", "lat": "27.71", "long": "106.91"}
    data.update(extra)
    return data


def test_post_needs_a_staff_token(web):
    before = counts()
    assert is_error(anon().post(BASE + "requests.json", post_data(web)), 403)
    bad = Client(HTTP_AUTHORIZATION="Token nope").post(BASE + "requests.json", post_data(web))
    assert is_error(bad, 403)
    assert is_error(token_client(web, "resident").post(BASE + "requests.json", post_data(web)), 403)
    assert counts() == before


def test_post_creates_a_case(web):
    r = token_client(web, "staff").post(BASE + "requests.json", post_data(web))
    assert r.status_code == 201, r.content
    body = r.json()[0]
    case = Case.objects.get()
    assert body["service_request_id"] == case.tracking_no and body["service_notice"]
    assert set(body) == {"service_request_id", "service_notice", "account_id", "jiayuan_secret"}
    assert (case.channel, case.kind, case.category, case.place) == ("open311", "appeal", "environment",
                                                                    web.places["community"])
    assert case.title == "小区门口路灯坏了" and case.reporter_name == "张建国" and case.location == "东门"
    assert case.reporter_phone_masked == "138****5678" and str(case.lat) == "27.710000"
    from jiayuan.cases.services import case_check_secret

    assert case_check_secret(case=case, secret=body["jiayuan_secret"])


def test_post_with_media_and_kind(web):
    data = post_data(web, kind="suggestion", title="建议增设路灯",
                     media=SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))
    r = token_client(web, "staff").post(BASE + "requests.json", data)
    assert r.status_code == 201
    case = Case.objects.get()
    assert case.kind == "suggestion" and case.title == "建议增设路灯" and case.attachments.count() == 1


def test_post_idempotency(web):
    client = token_client(web, "staff")
    first = client.post(BASE + "requests.json", post_data(web), HTTP_IDEMPOTENCY_KEY="call-1")
    again = client.post(BASE + "requests.json", post_data(web), HTTP_IDEMPOTENCY_KEY="call-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert again.json()[0]["jiayuan_secret"] is None and Case.objects.count() == 1
    other = client.post(BASE + "requests.json", post_data(web, description="别的事"), HTTP_IDEMPOTENCY_KEY="call-1")
    assert is_error(other, 409) and Case.objects.count() == 1


@pytest.mark.parametrize("extra", [
    {"service_code": "fire"}, {"service_code": "nope"}, {"address_id": "999"}, {"lat": "95"},
    {"phone": "123"}, {"kind": "emergency"}, {"service_code": ""},
])
def test_post_refused_input_is_400(web, extra):
    before = counts()
    r = token_client(web, "staff").post(BASE + "requests.json", post_data(web, **extra))
    assert is_error(r, 400) and counts() == before


def test_post_bad_media_is_400(web):
    before = counts()
    data = post_data(web, media=SimpleUploadedFile("x.png", b"GIF89a....", content_type="image/png"))
    assert is_error(token_client(web, "staff").post(BASE + "requests.json", data), 400)
    assert counts() == before


def test_post_outside_the_area_is_403(web):
    before = counts()
    r = token_client(web, "other_worker").post(BASE + "requests.json", post_data(web, address_id=web.grid_a.code))
    assert is_error(r, 403) and counts() == before
    ok = token_client(web, "other_worker").post(BASE + "requests.json", post_data(web, address_id=web.grid_b.code))
    assert ok.status_code == 201


def test_json_only(web):
    assert anon().get(BASE + "services.xml").status_code == 404
