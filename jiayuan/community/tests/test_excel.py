"""Excel out (a real workbook, logged) and the roster import (all rows or none)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from jiayuan.community.models import TwoCommitteesSeat

from .conftest import Y, register_counts

HEADERS = ["委员会", "姓名", "出生日期", "学历", "职务", "任职日期", "离任日期"]


def _sheets(content: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def url(w, suffix=""):
    return f"/community/{w.places['community'].code}/{suffix}"


def test_funds_export_is_a_workbook_and_is_logged(web, registers):
    response = web.client("street").get(url(web, "funds.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheets = _sheets(response.content)
    ledger = sheets["经费台账"]
    assert ledger[0][:4] == ["记录编号", "年度", "经费类别", "金额(元)"]
    assert len(ledger) == 1 + 4
    assert sorted(row[3] for row in ledger[1:]) == [-90.0, 90.0, 100.0, 120.0]
    assert {row[2] for row in ledger[1:]} == {"社区工作运行经费", "党员活动经费"}
    totals = sheets["汇总"]
    assert totals[1][0] == Y and totals[1][1] == 100.0 and totals[1][2] == 120.0 and totals[1][-1] == 220.0
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, additional_data__kind="export")
    assert entry.actor == web.users["street"] and entry.additional_data["register"] == "funds"
    assert entry.additional_data["rows"] == 4 and entry.object_pk == str(web.places["community"].pk)


def test_seats_and_centre_exports(web, registers):
    client = web.client("staff")
    roster = _sheets(client.get(url(web, "seats.xlsx")).content)["两委名册"]
    assert roster[0][:7] == HEADERS
    assert len(roster) == 1 + 5
    secretary = next(r for r in roster if r[4] == "书记")
    assert secretary[:4] == ["社区党组织", "张建国", dt.date(1950, 3, 4), "普通高中"]
    centre = _sheets(client.get(url(web, "centre.xlsx")).content)["党员群众服务中心"]
    assert centre[1][3] == 30.0 and "电化教育" in centre[1][6]
    kinds = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).values_list("additional_data__register", flat=True)
    assert sorted(kinds) == ["centre", "seats"]


def _xlsx(rows, headers=HEADERS) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, headers)
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(i, j, value, date)
            else:
                sheet.write(i, j, value)
    book.close()
    return buffer.getvalue()


GOOD = [
    ["社区党组织", "杨明", dt.date(1978, 4, 1), "大学本科", "书记", dt.date(Y, 2, 1), None],
    ["居委会", "杨明", "1978/4/1", "本科", "主任", f"{Y}年2月1日", ""],
    ["居委会", "陈小雨", "1999-08-08", "大专", "委员", f"{Y}-02-01", ""],
    ["居委会", "老周", "1960-01-01", "初中", "委员", f"{Y - 3}-01-01", f"{Y}-01-31"],
]


def _upload(client, w, content: bytes, name="roster.xlsx"):
    return client.post(url(w, "seats/import/"), {"file": SimpleUploadedFile(name, content)})


def test_import_a_good_roster(web, other_community):
    client = web.client("secretary")
    response = _upload(client, web, _xlsx(GOOD))
    assert response.status_code == 302, response.content.decode()[:2000]
    seats = TwoCommitteesSeat.objects.order_by("id")
    assert seats.count() == 4
    assert {(s.committee, s.post) for s in seats.filter(full_name="杨明")} == {
        ("community_party_org", "secretary"), ("residents_committee", "director")}
    young = seats.get(full_name="陈小雨")
    assert (young.birth_date, young.education, young.post) == (dt.date(1999, 8, 8), "30", "member")
    assert seats.get(full_name="老周").ended_on == dt.date(Y, 1, 31)
    assert all(s.created_by == web.users["secretary"] for s in seats)
    # the same file again changes nothing; a later file ending a seat ends it
    assert _upload(client, web, _xlsx(GOOD)).status_code == 302
    assert TwoCommitteesSeat.objects.count() == 4
    later = [GOOD[2][:6] + [f"{Y}-09-30"]]
    assert _upload(client, web, _xlsx(later)).status_code == 302
    assert TwoCommitteesSeat.objects.get(full_name="陈小雨").ended_on == dt.date(Y, 9, 30)


def test_exported_roster_imports_unchanged(web, registers):
    client = web.client("staff")
    content = client.get(url(web, "seats.xlsx")).content
    before = register_counts()["seats"]
    response = _upload(client, web, content)
    assert response.status_code == 302
    assert TwoCommitteesSeat.objects.count() == before


def test_csv_in_gb18030_links_the_resident(web, other_community):
    text = f"委员会,姓名,出生日期,学历,职务,任职日期,离任日期\n居委会,张建国,1950-03-04,,委员,{Y}-02-01,\n"
    response = _upload(web.client("staff"), web, text.encode("gb18030"), name="名册.csv")
    assert response.status_code == 302
    seat = TwoCommitteesSeat.objects.get()
    assert seat.resident == web.resident_a and seat.education == "60"


def test_bad_rows_refuse_the_whole_file(web, other_community):
    rows = GOOD + [
        ["居委会", "错职务", "1980-01-01", "", "书记", f"{Y}-02-01", ""],
        ["党委", "", "1980-13-01", "火星学历", "委员", f"{Y}-02-01", f"{Y - 1}-02-01"],
        ["社区党组织", "杨明", "1978-04-01", "", "副书记", f"{Y}-03-01", ""],  # already the secretary
        ["理事会", "某人", "1980-01-01", "", "委员", f"{Y}-02-01", ""],
    ]
    before = register_counts()
    response = _upload(web.client("staff"), web, _xlsx(rows))
    assert response.status_code == 400
    assert register_counts() == before
    errors = response.context["row_errors"]
    numbers = {n for n, _m in errors}
    assert numbers == {6, 7, 8, 9}
    html = response.content.decode()
    assert 'id="row-errors"' in html
    messages = " ".join(m for _n, m in errors)
    for column in ("职务", "姓名", "出生日期", "学历", "委员会"):
        assert column in messages


@pytest.mark.parametrize("content, name", [
    (b"\x00\x01\x02not a spreadsheet", "roster.xlsx"),
    ("姓名,职务\n张三,书记\n".encode(), "roster.csv"),  # headers missing
    (b"PK\x03\x04broken zip", "roster.xlsx"),
    (b"", "roster.csv"),
    (b"whatever", "roster.pdf"),
])
def test_bad_file_is_400_and_writes_nothing(web, other_community, content, name):
    before = register_counts()
    response = _upload(web.client("staff"), web, content, name=name)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert register_counts() == before


def test_readers_may_not_import(web, registers):
    before = register_counts()
    assert _upload(web.client("street"), web, _xlsx(GOOD)).status_code == 403
    assert _upload(web.client("worker"), web, _xlsx(GOOD)).status_code == 404
    assert register_counts() == before
