"""Excel out: every register is a real workbook (read back with python-calamine), in Chinese, with
masked phones only, scoped to the user, and logged as an audit access entry."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from python_calamine import CalamineWorkbook

from jiayuan.party import services

from .conftest import Y


def _sheets(content: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _exports() -> list[LogEntry]:
    return list(LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__kind="export"))


def _flat(sheets) -> list:
    return [cell for rows in sheets.values() for row in rows for cell in row]


REGISTERS = {
    "members": ("/party/members.xlsx", "党员名册"),
    "transfers": ("/party/transfers.xlsx", "组织关系接转台账"),
    "dues": (f"/party/dues.xlsx?year={Y}", "党费收缴台账"),
    "applicants": ("/party/applicants.xlsx", "发展党员台账"),
    "mobile": ("/party/mobile.xlsx", "流动党员台账"),
    "pocket": ("/party/pocket.xlsx", "口袋党员排查台账"),
    "posts": ("/party/posts.xlsx", "设岗定责台账"),
    "report_ins": ("/party/report-ins.xlsx", "双报到台账"),
}


@pytest.mark.parametrize("register", list(REGISTERS))
def test_every_register_is_a_logged_workbook(web, party, party_registers, register):
    address, sheet = REGISTERS[register]
    response = web.client("street", language="en").get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "no-store"
    sheets = _sheets(response.content)
    assert sheet in sheets and len(sheets[sheet]) >= 2, sheets
    cells = _flat(sheets)
    assert "13812345678" not in cells and party.members[0].phone_cipher not in cells
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, additional_data__kind="export")
    assert entry.actor == web.users["street"] and entry.additional_data["register"] == register
    assert entry.additional_data["rows"] >= 1


def test_member_roster_is_in_chinese_with_masked_phones_and_filters(web, party, party_registers):
    zhang = party.members[0]
    response = web.client("secretary", language="en").get(f"/party/members.xlsx?organization={party.branch.code}")
    roster = _sheets(response.content)["党员名册"]
    assert roster[0][:4] == ["姓名", "性别", "出生日期", "所在党组织"]
    assert sorted(r[0] for r in roster[1:]) == ["张建国", "王丽"]
    row = next(r for r in roster if r[0] == "张建国")
    assert row[11] == zhang.phone_masked and "*" in row[11]
    assert (row[5], row[8]) == ("正式党员", "离退休、流动")  # labels in Chinese whatever the page language
    assert row[6] == dt.date(1975, 7, 1)
    entry = _exports()[0]
    assert entry.object_pk == str(party.branch.pk) and entry.additional_data["filters"]["organization"] == party.branch.code


def test_exports_are_scoped(web, party, party_registers):
    roster = _sheets(web.client("secretary2").get("/party/members.xlsx").content)["党员名册"]
    assert [r[0] for r in roster[1:]] == ["陈红"]
    transfers = _sheets(web.client("secretary2").get("/party/transfers.xlsx").content)["组织关系接转台账"]
    assert len(transfers) == 1  # headers only
    assert web.client("resident").get("/party/members.xlsx").status_code == 404
    assert not LogEntry.objects.filter(actor=web.users["resident"], action=LogEntry.Action.ACCESS).exists()


def test_dues_workbook_has_the_grid_and_the_lines(web, party, party_registers):
    services.dues_reverse(actor=web.users["secretary"], payment=party_registers.payment, reason="录错")
    sheets = _sheets(web.client("secretary").get(f"/party/dues.xlsx?year={Y}").content)
    grid = sheets["党费收缴台账"]
    assert grid[0][3:6] == ["1月", "2月", "3月"]
    zhang = next(r for r in grid if r[0] == "张建国")
    assert zhang[3:5] == ["已冲正", "未缴"] and zhang[-1] == 12
    lines = sheets["收缴明细"]
    assert sorted(r[3] for r in lines[1:]) == [-14.0, 14.0]


def test_transfers_workbook_flags_the_lost_one(web, party, party_registers):
    rows = _sheets(web.client("secretary").get("/party/transfers.xlsx").content)["组织关系接转台账"]
    lost = {r[0]: r[7] for r in rows[1:]}
    assert lost == {"王丽": "", "刘洋": "是"}
