"""The register pages (issue 3): upload and follow an import, the error report, the template,
the export. Real requests through the test client; the background task runs in huey's
immediate mode (in memory: nothing is written to the worker's queue under var/)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from python_calamine import CalamineWorkbook

from jiayuan.core.idnumber import make_id_number
from jiayuan.core.tests.web_world import A_NUMBER, _fast_web_tests, web  # noqa: F401
from jiayuan.ledgers.columns import ZH_HEADERS
from jiayuan.ledgers.models import ResidentImport
from jiayuan.ledgers.services import import_create, import_run
from jiayuan.residents.models import Resident

LOGIN = 302


@pytest.fixture(autouse=True)
def huey_immediate():
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    cache.clear()
    yield HUEY
    HUEY.immediate = before


def number(i: int) -> str:
    return make_id_number("520302", dt.date(1971, 1, 1) + dt.timedelta(days=i), 2 * i + 1)


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ZH_HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def clean_rows(grid_code: str) -> list[list[str]]:
    head = number(1)
    return [
        ["王大山", head, "13800000001", "汉族", "群众", "户主", "", grid_code, "7栋", "1单元", "301", "", "户籍人口"],
        ["李小花", number(2), "", "苗族", "中共党员", "配偶", head, grid_code, "7栋", "1单元", "301", "残疾人", "常住人口"],
        ["王小石", number(3), "", "汉族", "共青团员", "子", head, grid_code, "7栋", "1单元", "301", "", ""],
    ]


def dirty_rows(grid_code: str) -> list[list[str]]:
    rows = clean_rows(grid_code)
    rows[0][1] = rows[0][1][:-1] + ("0" if rows[0][1][-1] != "0" else "1")  # bad checksum, row 2
    rows[1][3] = "火星族"  # row 3
    return rows


def upload(client, content: bytes, name: str = "台账.csv"):
    return client.post("/ledgers/residents/import/", {"file": SimpleUploadedFile(name, content, "text/csv")})


def queued_job(web, role="worker", rows=None) -> ResidentImport:
    """A job as the upload leaves it, before the worker picks it up."""
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "queued.csv"
        path.write_bytes(csv_bytes(rows if rows is not None else clean_rows(web.grid_a.code)))
        return import_create(actor=web.users[role], path=path)


# -- permissions ---------------------------------------------------------------------------------
ROLES = ["anonymous", "resident", "street", "other_worker", "worker", "staff", "admin"]
PAGES = {
    "import": ("/ledgers/residents/import/", [LOGIN, 403, 403, 200, 200, 200, 200]),
    "template": ("/ledgers/residents/template.xlsx", [LOGIN, 403, 403, 200, 200, 200, 200]),
    "export": ("/ledgers/residents/export/", [LOGIN, 403, 200, 200, 200, 200, 200]),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_matrix(web, page):
    url, expected = PAGES[page]
    got = [web.client(role).get(url).status_code for role in ROLES]
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))


def test_job_pages_only_for_their_creator_and_admins(web):
    job = import_run(job=queued_job(web, rows=dirty_rows(web.grid_a.code)))
    assert job.status == "refused" and job.report
    base = f"/ledgers/residents/import/{job.pk}/"
    expected = {"anonymous": LOGIN, "resident": 404, "other_worker": 404, "staff": 404, "worker": 200, "admin": 200}
    for suffix in ("", "progress/", "report.xlsx"):
        got = {role: web.client(role).get(base + suffix).status_code for role in expected}
        assert got == expected, suffix
    assert web.client("resident").post("/ledgers/residents/import/", {}).status_code == 403


def test_navbar_links_by_role(web):
    worker = web.client("worker").get("/residents/").content.decode()
    assert 'href="/ledgers/residents/import/"' in worker
    street = web.client("street").get("/residents/").content.decode()
    assert 'href="/ledgers/residents/import/"' not in street and 'href="/ledgers/residents/export/"' in street
    resident = web.client("resident").get("/").content.decode()
    assert "/ledgers/" not in resident


# -- import --------------------------------------------------------------------------------------
def test_clean_upload_imports_and_shows_the_result(web):
    client = web.client("worker")
    response = upload(client, csv_bytes(clean_rows(web.grid_a.code)))
    job = ResidentImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ledgers/residents/import/{job.pk}/"
    assert job.created_by == web.users["worker"] and job.original_name == "台账.csv"
    assert job.status == "succeeded" and (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
    assert Resident.objects.filter(name__in=["王大山", "李小花", "王小石"]).count() == 3
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 1s"' not in html
    assert [page.context[k] for k in ("done", "total", "percent")] == [3, 3, 100]
    assert "progress-bar" in html and "台账.csv" in html
    listing = client.get("/ledgers/residents/import/")
    assert [j.pk for j in listing.context["jobs"]] == [job.pk]
    # the same file again: nothing changes
    upload(client, csv_bytes(clean_rows(web.grid_a.code)))
    again = ResidentImport.objects.first()
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)


def test_dirty_upload_is_refused_with_errors_and_a_report(web):
    client = web.client("worker")
    before = Resident.objects.count()
    response = upload(client, csv_bytes(dirty_rows(web.grid_a.code)))
    job = ResidentImport.objects.get()
    assert job.status == "refused" and Resident.objects.count() == before
    page = client.get(response["Location"])
    errors = {(e["row"], e["column"]) for e in page.context["errors"]}
    assert (2, "公民身份号码") in errors and (3, "民族") in errors
    html = page.content.decode()
    assert "火星族" in html and f"/ledgers/residents/import/{job.pk}/report.xlsx" in html
    report = client.get(f"/ledgers/residents/import/{job.pk}/report.xlsx")
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(report.streaming_content))).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[0] == ["行号", "列", "问题"] and len(rows) == job.error_count + 1
    assert web.client("other_worker").get(f"/ledgers/residents/import/{job.pk}/report.xlsx").status_code == 404


def test_bad_uploads_are_400(web):
    client = web.client("worker")
    assert upload(client, b"hello", name="notes.txt").status_code == 400
    assert upload(client, b"", name="empty.csv").status_code == 400
    assert client.post("/ledgers/residents/import/", {}).status_code == 400
    assert not ResidentImport.objects.exists()


def test_progress_partial_polls_until_finished(web):
    client = web.client("worker")
    job = queued_job(web)
    partial = client.get(f"/ledgers/residents/import/{job.pk}/progress/")
    assert partial.status_code == 200 and 'hx-trigger="every 1s"' in partial.content.decode()
    assert f'hx-get="/ledgers/residents/import/{job.pk}/progress/"' in partial.content.decode()
    page = client.get(f"/ledgers/residents/import/{job.pk}/")
    assert 'hx-trigger="every 1s"' in page.content.decode()
    import_run(job=job)
    partial = client.get(f"/ledgers/residents/import/{job.pk}/progress/")
    html = partial.content.decode()
    assert partial.status_code == 200 and "hx-trigger" not in html and "hx-get" not in html
    assert partial.context["percent"] == 100 and partial.context["job"].created_count == 3


def test_a_stuck_import_can_run_again(web):
    client = web.client("worker")
    job = queued_job(web)
    ResidentImport.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now() - dt.timedelta(hours=1))
    url = f"/ledgers/residents/import/{job.pk}/"
    # Seen once (this process), then no progress for an hour: stuck.
    assert "rerun" not in client.get(url).content.decode()
    cache.set(f"jiayuan:import:{job.pk}:seen", (0, timezone.now() - dt.timedelta(hours=1)))
    html = client.get(url).content.decode()
    assert f"{url}rerun/" in html and 'hx-trigger="every 1s"' not in html
    assert web.client("other_worker").post(url + "rerun/").status_code == 404
    assert client.post(url + "rerun/").status_code == 302
    job.refresh_from_db()
    assert job.status == "succeeded" and job.created_count == 3
    # A finished (or moving) job is not run again.
    client.post(url + "rerun/")
    assert ResidentImport.objects.get(pk=job.pk).created_count == 3


# -- template ------------------------------------------------------------------------------------
def test_template_is_an_xlsx_with_the_chinese_headers(web):
    response = web.client("worker").get("/ledgers/residents/template.xlsx")
    assert response.status_code == 200 and "filename*=utf-8''" in response["Content-Disposition"].lower()
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert len(book.sheet_names) == 2
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0] == ZH_HEADERS and len(rows) == 2
    assert rows[1][ZH_HEADERS.index("网格编码")] == web.grid_a.code
    notes = book.get_sheet_by_index(1).to_python()
    text = "\n".join(str(c) for row in notes for c in row)
    for needle in ("汉族", "中共党员", "配偶", "流动人口", "独居老人", "、"):
        assert needle in text, needle
    # A grid worker may not assign restricted groups, so the template does not offer them.
    assert "社区矫正对象" not in text


# -- export --------------------------------------------------------------------------------------
def _sheet(response):
    return CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0).to_python()


def test_export_is_masked_by_default(web):
    response = web.client("worker").post("/ledgers/residents/export/", {"grid": ""})
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    rows = _sheet(response)
    assert rows[0] == ZH_HEADERS
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"张建国", "张小红"}
    assert "*" in by_name["张建国"][1] and A_NUMBER not in str(rows)
    assert LogEntry.objects.filter(additional_data__kind="export", actor=web.users["worker"]).count() == 1


def test_full_numbers_need_a_purpose_and_a_role_that_may_see_them(web):
    client = web.client("worker")
    response = client.post("/ledgers/residents/export/", {"full_values": "on", "purpose": ""})
    assert response.status_code == 400 and response.context["form"].errors["purpose"]
    assert not LogEntry.objects.filter(additional_data__kind="export").exists()
    response = client.post("/ledgers/residents/export/", {"full_values": "on", "purpose": "核对低保名单"})
    assert response.status_code == 200 and A_NUMBER in str(_sheet(response))
    entry = LogEntry.objects.get(additional_data__kind="export")
    assert entry.additional_data["purpose"] == "核对低保名单" and entry.additional_data["full_values"] is True
    denied = web.client("resident").post("/ledgers/residents/export/", {"full_values": "on", "purpose": "看看"})
    assert denied.status_code == 403


def test_export_filtered_by_grid(web):
    response = web.client("staff").post("/ledgers/residents/export/", {"grid": web.grid_b.code})
    assert [r[0] for r in _sheet(response)[1:]] == ["李秀英"]
    # a grid outside the area is not a choice
    assert web.client("worker").post("/ledgers/residents/export/", {"grid": web.grid_b.code}).status_code == 400
