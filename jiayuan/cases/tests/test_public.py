"""The public pages: anonymous report with the secret shown once, follow-up with tracking number
and secret (no oracle), the reporter's rating, rate limits, refused input, the honeypot, and a
signed-in resident's own cases."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from jiayuan.cases import services
from jiayuan.cases.models import Case, CaseEvent

from .conftest import act, counts, png_bytes, report, walk


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def form(web, **extra) -> dict:
    data = {"kind": "appeal", "category": "environment", "place": web.places["community"].pk,
            "title": "小区垃圾没人清运", "description": "2栋门口垃圾三天没有清运", "reporter_name": "",
            "reporter_phone": "", "website": ""}
    data.update(extra)
    return data


def submit(client, web, **extra):
    return client.post("/report/", form(web, **extra))


def test_report_page_is_public(web):
    r = web.client("anonymous").get("/report/")
    assert r.status_code == 200
    body = r.content.decode()
    assert 'name="website"' in body and "csrfmiddlewaretoken" in body and 'name="attachments"' in body


def test_anonymous_report_shows_tracking_number_and_secret_once(web):
    client = web.client("anonymous")
    before = counts()
    r = submit(client, web, reporter_name="张三", reporter_phone="13812345678",
               attachments=SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))
    assert r.status_code == 302 and r["Location"] == "/report/done/"
    case = Case.objects.get()
    assert case.channel == "web" and case.kind == "appeal" and case.reporter_user is None
    assert case.tracking_no and case.attachments.count() == 1 and case.reporter_phone_masked.startswith("138")
    assert counts()["cases"] == before["cases"] + 1
    done = client.get("/report/done/")
    body = done.content.decode()
    assert done.status_code == 200 and case.tracking_no in body
    secret = body.split('id="secret">')[1].split("<")[0].strip()
    assert len(secret) == 6 and services.case_check_secret(case=case, secret=secret)
    assert "no-store" in done["Cache-Control"] or "no-cache" in done["Cache-Control"]
    again = client.get("/report/done/")
    assert again.status_code == 302 and secret not in again.content.decode()


def test_psychological_and_suggestion_kinds(web):
    client = web.client("anonymous")
    assert submit(client, web, kind="psychological", category="psychological").status_code == 302
    assert submit(client, web, kind="suggestion", category="community_building").status_code == 302
    assert sorted(Case.objects.values_list("kind", flat=True)) == ["psychological", "suggestion"]
    # a category that is not for the kind
    before = counts()
    assert submit(client, web, kind="psychological", category="environment").status_code == 400
    assert counts() == before


def test_repeated_submission_makes_one_case(web):
    client = web.client("anonymous")
    assert submit(client, web, idempotency_key="k-1").status_code == 302
    client.get("/report/done/")
    r = submit(client, web, idempotency_key="k-1")
    assert r.status_code == 302 and Case.objects.count() == 1
    body = client.get("/report/done/").content.decode()
    assert Case.objects.get().tracking_no in body and 'id="secret"' not in body


@pytest.mark.parametrize("extra", [
    {"title": ""},
    {"title": "x" * 201},
    {"description": "x" * 5001},
    {"place": 999999},
    {"place": "grid-of-nowhere"},
    {"kind": "emergency"},
    {"category": "fire"},
    {"reporter_phone": "12345"},
])
def test_malformed_input_is_400_and_writes_nothing(web, extra):
    before = counts()
    r = submit(web.client("anonymous"), web, **extra)
    assert r.status_code == 400 and counts() == before
    assert 'name="title"' in r.content.decode()


def test_a_street_is_not_a_public_place(web):
    before = counts()
    assert submit(web.client("anonymous"), web, place=web.places["street"].pk).status_code == 400
    assert counts() == before


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("evil.png", b"MZ\x90\x00 not an image at all", content_type="image/png"),
    SimpleUploadedFile("doc.txt", b"hello", content_type="text/plain"),
    SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf"),
])
def test_bad_file_is_400_and_writes_nothing(web, upload):
    before = counts()
    r = submit(web.client("anonymous"), web, attachments=upload)
    assert r.status_code == 400 and counts() == before


def test_too_many_files_is_400(web):
    files = [SimpleUploadedFile(f"p{i}.png", png_bytes(), content_type="image/png") for i in range(7)]
    before = counts()
    assert submit(web.client("anonymous"), web, attachments=files).status_code == 400
    assert counts() == before


def test_honeypot_is_refused(web):
    before = counts()
    r = submit(web.client("anonymous"), web, website="http://spam.example")
    assert r.status_code == 400 and counts() == before


def test_csrf_is_enforced(web):
    from django.test import Client

    r = Client(enforce_csrf_checks=True).post("/report/", form(web))
    assert r.status_code == 403 and Case.objects.count() == 0


def test_rate_limit_per_address(web):
    client = web.client("anonymous")
    for i in range(5):
        assert submit(client, web, title=f"第{i}件").status_code == 302
    r = submit(client, web, title="第六件")
    assert r.status_code == 429 and Case.objects.count() == 5
    assert 'id="too-many"' in r.content.decode()
    # another address is not affected
    other = client.post("/report/", form(web, title="别处"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302 and Case.objects.count() == 6


# -- follow-up ------------------------------------------------------------------------------------

def anonymous_case(web, **extra):
    return report(web, actor=None, place=web.places["community"], channel="web", **extra)


def track(client, tracking_no, secret):
    return client.post("/report/track/", {"tracking_no": tracking_no, "secret": secret})


def test_track_with_the_right_secret(web):
    case = anonymous_case(web)
    act(web, case, "reject", comment="不属于社区职责，请拨打12345")
    client = web.client("anonymous")
    r = track(client, case.tracking_no.lower(), case.public_secret.lower())
    assert r.status_code == 302 and r["Location"] == f"/report/track/{case.tracking_no}/"
    page = client.get(r["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and case.title in body and "不属于社区职责" in body


def test_staff_comments_are_not_shown(web):
    case = anonymous_case(web)
    act(web, case, "comment", comment="内部备注：此人多次来访", visibility="staff")
    client = web.client("anonymous")
    track(client, case.tracking_no, case.public_secret)
    assert "内部备注" not in client.get(f"/report/track/{case.tracking_no}/").content.decode()


def test_wrong_secret_and_unknown_number_answer_alike(web):
    case = anonymous_case(web)
    client = web.client("anonymous")
    wrong = track(client, case.tracking_no, "AAAAAA")
    unknown = track(client, "JY2026-999999", "AAAAAA")
    assert wrong.status_code == unknown.status_code == 404

    def strip(r, no):
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", r.content.decode()).replace(no, "")

    assert strip(wrong, case.tracking_no) == strip(unknown, "JY2026-999999")
    # the case page itself is not reachable without the secret
    r = client.get(f"/report/track/{case.tracking_no}/")
    assert r.status_code == 302 and case.title not in r.content.decode()


def test_failed_lookups_are_rate_limited(web):
    case = anonymous_case(web)
    client = web.client("anonymous")
    for _i in range(30):
        assert track(client, case.tracking_no, "AAAAAA").status_code == 404
    assert track(client, case.tracking_no, "BBBBBB").status_code == 429
    # the right secret still works (only failures count)
    assert track(client, case.tracking_no, case.public_secret).status_code == 302


def test_rating_only_when_resolved(web):
    case = anonymous_case(web)
    secret = case.public_secret
    client = web.client("anonymous")
    track(client, case.tracking_no, secret)
    url = f"/report/track/{case.tracking_no}/"
    assert 'id="rate"' not in client.get(url).content.decode()
    r = client.post(url + "rate/", {"rating": "5", "satisfied": "yes", "secret": secret})
    assert r.status_code == 409 and Case.objects.get(pk=case.pk).rating is None
    case = walk(web, Case.objects.get(pk=case.pk), "resolved")
    assert 'id="rate"' in client.get(url).content.decode()
    events = CaseEvent.objects.count()
    bad = client.post(url + "rate/", {"rating": "4", "satisfied": "no", "secret": "WRONG1"})
    assert bad.status_code == 400 and CaseEvent.objects.count() == events
    assert client.post(url + "rate/", {"rating": "9", "satisfied": "no", "secret": secret}).status_code == 400
    ok = client.post(url + "rate/", {"rating": "4", "satisfied": "no", "comment": "还是有味道", "secret": secret})
    assert ok.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.rating, case.satisfied) == ("visited", 4, False)
    last = case.events.order_by("-id").first()
    assert last.kind == "visited" and last.visibility == "public" and last.actor is None
    assert client.post(url + "rate/", {"rating": "5", "satisfied": "yes", "secret": secret}).status_code == 409


def test_public_rate_service_refuses_a_wrong_secret(web):
    from django.core.exceptions import PermissionDenied

    case = walk(web, anonymous_case(web), "resolved")
    with pytest.raises(PermissionDenied):
        services.public_rate(case=case, secret="WRONG1", rating=5, satisfied=True)
    with pytest.raises(PermissionDenied):
        services.public_rate(case=case, user=web.users["nobody"], rating=5, satisfied=True)


# -- signed-in residents --------------------------------------------------------------------------

def test_signed_in_resident_is_linked_and_sees_only_own_cases(web):
    resident = web.client("resident")
    assert submit(resident, web, title="我的诉求").status_code == 302
    mine = Case.objects.get(title="我的诉求")
    assert mine.reporter_user == web.users["resident"]
    anonymous_case(web, title="别人的诉求")
    report(web, title="工作人员登记的")
    page = resident.get("/report/mine/")
    body = page.content.decode()
    assert page.status_code == 200 and "我的诉求" in body and "别人的诉求" not in body and "工作人员登记的" not in body
    # the reporter follows and rates their case without the secret
    assert resident.get(f"/report/track/{mine.tracking_no}/").status_code == 200
    walk(web, mine, "resolved")
    r = resident.post(f"/report/track/{mine.tracking_no}/rate/", {"rating": "5", "satisfied": "yes"})
    assert r.status_code == 302 and Case.objects.get(pk=mine.pk).rating == 5
    # someone else's case is not reachable
    other = Case.objects.get(title="别人的诉求")
    assert web.client("nobody").get(f"/report/track/{other.tracking_no}/").status_code == 302


def test_signed_in_resident_is_not_rate_limited_as_anonymous(web):
    resident = web.client("resident")
    for i in range(6):
        assert submit(resident, web, title=f"第{i}件").status_code == 302
    assert Case.objects.filter(reporter_user=web.users["resident"]).count() == 6


def test_mine_needs_sign_in(web):
    assert web.client("anonymous").get("/report/mine/").status_code == 302


def test_nav_links(web):
    assert "/report/" in web.client("anonymous").get("/report/track/").content.decode()
    assert "/cases/grid-report/" in web.client("worker").get("/cases/").content.decode()
    assert "/cases/grid-report/" not in web.client("staff").get("/cases/").content.decode()


def test_chinese_first_english_alongside(web):
    body = web.client("anonymous").get("/report/").content.decode()
    assert "我要反映" in body and "反映类型" in body and "社区或网格" in body
    assert "Report a matter" in web.client("anonymous", language="en").get("/report/").content.decode()
