"""The community registers as .xlsx (xlsxwriter, as ``ledgers.exporter``), in Chinese like the
paper 台账. Each export reads through the selectors (scoped to the user) and is logged as an
ACCESS entry of kind ``export`` on the community. The roster export has the import headers, so
it imports again unchanged."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone

from jiayuan.core.audit import log_access
from jiayuan.territory.models import Place

from . import selectors
from .choices import ZH_COMMITTEE, ZH_FUND, ZH_POST, ZH_ROOM, Fund
from .importer import EDUCATION_ZH, ZH_HEADERS

FUND_HEADERS = ["记录编号", "年度", "经费类别", "金额(元)", "到账日期", "来源", "文号", "备注", "冲正原记录", "冲正原因", "登记人"]
CENTRE_HEADERS = ["社区", "名称", "地址", "面积(平方米)", "启用日期", "功能室", "缺少的必备功能室", "其他功能室及设施"]


class _Book:
    """An in-memory workbook with the formats every sheet uses (the registers are small)."""

    def __init__(self):
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.bold = self.book.add_format({"bold": True})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.money = self.book.add_format({"num_format": "#,##0.00"})
        self.money_bold = self.book.add_format({"num_format": "#,##0.00", "bold": True})
        self.text = self.book.add_format({"num_format": "@"})

    def sheet(self, name: str, headers: list[str], widths: list[int]):
        sheet = self.book.add_worksheet(name)
        sheet.write_row(0, 0, headers, self.bold)
        for i, w in enumerate(widths):
            sheet.set_column(i, i, w)
        sheet.freeze_panes(1, 0)
        return sheet

    def write_date(self, sheet, row: int, col: int, value) -> None:
        if value:
            sheet.write_datetime(row, col, value, self.date)
        else:
            sheet.write_blank(row, col, None)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _log(actor, community: Place, register: str, rows: int) -> None:
    log_access(actor=actor, instance=community, kind="export", purpose="",
               extra={"register": register, "rows": rows, "community": community.code})


def filename(community: Place, register: str) -> str:
    names = {"funds": "经费台账", "seats": "两委名册", "centre": "党员群众服务中心"}
    return f"{community.name}-{names[register]}-{timezone.localdate():%Y%m%d}.xlsx"


def export_funds(*, actor, community: Place) -> tuple[bytes, int]:
    """The fund ledger (every row, reversals included) and a sheet of totals by year and fund."""
    rows = list(selectors.allocation_list(user=actor, community=community))
    book = _Book()
    sheet = book.sheet("经费台账", FUND_HEADERS, [9, 7, 16, 14, 12, 14, 20, 24, 11, 24, 12])
    for i, r in enumerate(sorted(rows, key=lambda r: (r.year, r.received_on, r.pk)), start=1):
        sheet.write_number(i, 0, r.pk)
        sheet.write_number(i, 1, r.year)
        sheet.write_string(i, 2, ZH_FUND[r.fund])
        sheet.write_number(i, 3, float(r.amount), book.money)
        book.write_date(sheet, i, 4, r.received_on)
        sheet.write_string(i, 5, r.source)
        sheet.write_string(i, 6, r.document_no)
        sheet.write_string(i, 7, r.note)
        if r.reverses_id:
            sheet.write_number(i, 8, r.reverses_id)
        sheet.write_string(i, 9, r.reason)
        sheet.write_string(i, 10, r.created_by.display_name if r.created_by else "")
    totals = book.sheet("汇总", ["年度", *[ZH_FUND[f] for f in Fund], "合计"], [8, 18, 18, 18, 18])
    for i, year in enumerate(selectors.fund_table(rows), start=1):
        by_fund = {f["fund"]: f["total"] for f in year["funds"]}
        totals.write_number(i, 0, year["year"])
        for j, fund in enumerate(Fund, start=1):
            totals.write_number(i, j, float(by_fund.get(fund.value, 0)), book.money)
        totals.write_number(i, len(Fund) + 1, float(year["total"]), book.money_bold)
    data = book.close()
    _log(actor, community, "funds", len(rows))
    return data, len(rows)


def export_seats(*, actor, community: Place) -> tuple[bytes, int]:
    """The roster, current and ended seats, with the headers of the roster import."""
    seats = list(selectors.seat_list(user=actor, community=community))
    book = _Book()
    sheet = book.sheet("两委名册", ZH_HEADERS, [12, 12, 12, 10, 12, 12, 12, 30])
    for i, s in enumerate(seats, start=1):
        sheet.write_string(i, 0, ZH_COMMITTEE[s.committee])
        sheet.write_string(i, 1, s.full_name)
        book.write_date(sheet, i, 2, s.birth_date)
        sheet.write_string(i, 3, EDUCATION_ZH.get(s.education, ""))
        sheet.write_string(i, 4, ZH_POST[s.post])
        book.write_date(sheet, i, 5, s.started_on)
        book.write_date(sheet, i, 6, s.ended_on)
        sheet.write_string(i, 7, s.note)
    data = book.close()
    _log(actor, community, "seats", len(seats))
    return data, len(seats)


def export_centre(*, actor, community: Place) -> tuple[bytes, int]:
    centre = selectors.service_center_get(user=actor, community=community)
    book = _Book()
    sheet = book.sheet("党员群众服务中心", CENTRE_HEADERS, [14, 20, 30, 14, 12, 40, 24, 30])
    if centre is not None:
        sheet.write_string(1, 0, community.name)
        sheet.write_string(1, 1, centre.name)
        sheet.write_string(1, 2, centre.address)
        sheet.write_number(1, 3, float(centre.area_m2))
        book.write_date(sheet, 1, 4, centre.opened_on)
        sheet.write_string(1, 5, "、".join(ZH_ROOM[r] for r in centre.rooms))
        sheet.write_string(1, 6, "、".join(ZH_ROOM[r] for r in centre.missing_required_rooms))
        sheet.write_string(1, 7, centre.other_rooms)
    data = book.close()
    rows = 1 if centre else 0
    _log(actor, community, "centre", rows)
    return data, rows
