"""The staff pages: scoping per role, the action forms, intake and batch entry (all or
nothing), the Excel register, attachments, query-count guards."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from jiayuan.cases.models import Case, CaseEvent

from .conftest import act, counts, png_bytes, report


@pytest.mark.parametrize("role, status", [
    ("admin", 200), ("street", 200), ("secretary", 200), ("staff", 200), ("worker", 200), ("resident", 403),
    ("nobody", 403),
])
def test_list_page_per_role(web, role, status):
    report(web, title="楼道灯不亮")
    r = web.client(role).get("/cases/")
    assert r.status_code == status
    if status == 200:
        assert ("楼道灯不亮" in r.content.decode()) == (role != "other_worker")


def test_anonymous_is_sent_to_sign_in(web):
    assert web.client("anonymous").get("/cases/").status_code == 302


def test_detail_scoped(web):
    case = report(web)
    assert web.client("staff").get(f"/cases/{case.pk}/").status_code == 200
    assert web.client("worker").get(f"/cases/{case.pk}/").status_code == 200
    assert web.client("other_worker").get(f"/cases/{case.pk}/").status_code == 404
    assert web.client("nobody").get(f"/cases/{case.pk}/").status_code == 404


def test_detail_shows_actions_timeline_and_duplicates(web):
    first = report(web, title="第一")
    second = report(web, title="第二")
    body = web.client("staff").get(f"/cases/{second.pk}/").content.decode()
    assert 'id="act-accept"' in body and 'id="act-merge"' in body and first.tracking_no in body
    body = web.client("worker").get(f"/cases/{second.pk}/").content.decode()
    assert 'id="act-accept"' not in body and 'id="act-comment"' in body


def test_action_form_posts_a_transition(web):
    case = report(web)
    r = web.client("staff").post(f"/cases/{case.pk}/act/", {"action": "accept", "version": "1"})
    assert r.status_code == 302 and Case.objects.get(pk=case.pk).status == "accepted"
    stale = web.client("secretary").post(f"/cases/{case.pk}/act/", {"action": "reject", "comment": "x", "version": "1"})
    assert stale.status_code == 409
    bad = web.client("staff").post(f"/cases/{case.pk}/act/", {"action": "reply", "comment": ""})
    assert bad.status_code == 400
    before = counts()
    assert web.client("worker").post(f"/cases/{case.pk}/act/", {"action": "start"}).status_code == 403
    assert web.client("other_worker").post(f"/cases/{case.pk}/act/", {"action": "comment", "comment": "x"}).status_code == 404
    assert counts() == before
    r = web.client("secretary").post(f"/cases/{case.pk}/act/", {
        "action": "assign", "target": "community", "user": str(web.users["staff"].pk)})
    assert r.status_code == 302 and Case.objects.get(pk=case.pk).assignee_user == web.users["staff"]


def test_new_case_form_with_a_photo(web):
    r = web.client("staff").post("/cases/new/", {
        "kind": "appeal", "category": "facilities", "channel": "walk_in", "place": web.grid_a.pk,
        "title": "电梯异响", "description": "", "reporter_name": "张建国", "reporter_phone": "13812345678",
        "attachments": [SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")],
        "idempotency_key": "form-1",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    case = Case.objects.get()
    assert case.channel == "walk_in" and case.attachments.count() == 1
    assert web.client("staff").get(f"/cases/attachments/{case.attachments.get().pk}/").status_code == 200
    assert web.client("other_worker").get(f"/cases/attachments/{case.attachments.get().pk}/").status_code == 404
    # the same form posted twice (double click) makes one case
    web.client("staff").post("/cases/new/", {
        "kind": "appeal", "category": "facilities", "channel": "walk_in", "place": web.grid_a.pk,
        "title": "电梯异响", "description": "", "reporter_name": "张建国", "reporter_phone": "13812345678",
        "idempotency_key": "form-1"})
    assert Case.objects.count() == 1


def test_new_case_form_refuses_a_fake_photo(web):
    before = counts()
    r = web.client("staff").post("/cases/new/", {
        "kind": "appeal", "category": "facilities", "channel": "walk_in", "place": web.grid_a.pk, "title": "x",
        "attachments": [SimpleUploadedFile("p.png", b"not an image", content_type="image/png")],
    })
    assert r.status_code == 400 and counts() == before


def test_worker_form_offers_only_their_grid(web):
    body = web.client("worker").get("/cases/new/").content.decode()
    assert web.grid_a.code in body and web.grid_b.code not in body


def _batch(web, rows, channel="evening_talk"):
    data = {"channel": channel, "place": web.places["community"].pk}
    for i, (kind, category, title) in enumerate(rows):
        data.update({f"r{i}-kind": kind, f"r{i}-category": category, f"r{i}-title": title, f"r{i}-reporter_name": ""})
    return web.client("staff").post("/cases/batch/", data)


def test_batch_entry_all_or_nothing(web):
    r = _batch(web, [("appeal", "environment", "垃圾站太臭"), ("suggestion", "community_building", "增设健身器材")])
    assert r.status_code == 302 and Case.objects.filter(channel="evening_talk").count() == 2
    before = counts()
    r = _batch(web, [("appeal", "environment", "好的一条"), ("appeal", "fire", "类别不对")])
    assert r.status_code == 400 and counts() == before
    assert web.client("staff").get("/cases/batch/").status_code == 200


def test_export_masks_phones_and_is_logged(web):
    report(web, reporter_phone="13812345678", title="导出测试")
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    r = web.client("staff").get("/cases/export.xlsx")
    assert r.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "受理编号" and rows[1][4] == "导出测试" and rows[1][7] == "138****5678"
    assert "13812345678" not in str(rows)
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 1
    assert web.client("resident").get("/cases/export.xlsx").status_code == 403


def test_list_and_detail_pages_run_fixed_queries(web):
    c = web.client("staff")
    case = act(web, report(web), "accept")
    act(web, case, "comment", comment="a")
    c.get("/cases/")
    with CaptureQueriesContext(connection) as few:
        c.get("/cases/")
    with CaptureQueriesContext(connection) as detail_few:
        c.get(f"/cases/{case.pk}/")
    for i in range(6):
        act(web, act(web, report(web, title=f"c{i}"), "accept"), "comment", comment="b")
        act(web, case, "comment", comment=f"more {i}")
    with CaptureQueriesContext(connection) as many:
        c.get("/cases/")
    with CaptureQueriesContext(connection) as detail_many:
        c.get(f"/cases/{case.pk}/")
    assert len(many) == len(few)
    assert len(detail_many) == len(detail_few)
    assert CaseEvent.objects.filter(case=case).count() == 9
