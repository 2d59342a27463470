"""The Party registers as .xlsx (xlsxwriter, as ``community.exporter``), in Chinese like the
paper 台账 whatever the page's language. The rows come from the selectors (scoped to the user,
read by the view); phones are the masked ones, never the cipher. Every export is logged as an
ACCESS entry of kind ``export`` (on the organization when the list is one organization's, else on
the user, as the residents export does)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter
from django.utils import timezone, translation

from jiayuan.core.audit import log_access

from .choices import MemberCategory

NAMES = {
    "members": "党员名册", "transfers": "组织关系接转台账", "dues": "党费收缴台账", "applicants": "发展党员台账",
    "mobile": "流动党员台账", "pocket": "口袋党员排查台账", "posts": "设岗定责台账", "report_ins": "双报到台账",
}


class _Book:
    """An in-memory workbook with the formats every sheet uses."""

    def __init__(self):
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.bold = self.book.add_format({"bold": True})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.money = self.book.add_format({"num_format": "#,##0.00"})

    def sheet(self, name: str, headers: list[str], width: int = 14):
        sheet = self.book.add_worksheet(name)
        sheet.write_row(0, 0, headers, self.bold)
        sheet.set_column(0, len(headers) - 1, width)
        sheet.freeze_panes(1, 0)
        return sheet

    def row(self, sheet, i: int, values: list) -> None:
        for j, value in enumerate(values):
            if value is None or value == "":
                sheet.write_blank(i, j, None)
            elif isinstance(value, dt.date):
                sheet.write_datetime(i, j, value, self.date)
            elif isinstance(value, Decimal):
                sheet.write_number(i, j, float(value), self.money)
            elif isinstance(value, int | float):
                sheet.write_number(i, j, value)
            else:
                sheet.write_string(i, j, str(value))

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def filename(register: str) -> str:
    return f"{NAMES[register]}-{timezone.localdate():%Y%m%d}.xlsx"


def _log(actor, register: str, rows: int, instance=None, filters: dict | None = None) -> None:
    log_access(actor=actor, instance=instance or actor, kind="export", purpose="", extra={
        "register": register, "rows": rows, "filters": {k: v for k, v in (filters or {}).items() if v},
    })


def _categories(member) -> str:
    labels = dict(MemberCategory.choices)
    return "、".join(str(labels.get(c, c)) for c in member.categories or [])


def _simple(actor, register: str, headers: list[str], rows: list[list], instance=None, filters=None) -> bytes:
    book = _Book()
    sheet = book.sheet(NAMES[register], headers)
    for i, values in enumerate(rows, start=1):
        book.row(sheet, i, values)
    data = book.close()
    _log(actor, register, len(rows), instance, filters)
    return data


# -- one function per register (each reads nothing itself: the rows come from the selectors) ----

def export_members(*, actor, members, organization=None, filters=None) -> bytes:
    headers = ["姓名", "性别", "出生日期", "所在党组织", "党小组", "党员类别", "入党日期", "转正日期", "人员类别",
               "管理方式", "工作单位", "联系电话", "月缴党费(元)"]
    with translation.override("zh-hans"):
        rows = [[m.full_name, m.get_sex_display(), m.birth_date, m.organization.name, m.group.name if m.group else "",
                 m.get_status_display(), m.joined_on, m.full_on, _categories(m), m.get_management_mode_display(),
                 m.work_unit, m.phone_masked, m.dues_monthly] for m in members]
    return _simple(actor, "members", headers, rows, organization, filters)


def export_transfers(*, actor, transfers, today) -> bytes:
    from .selectors import transfer_is_lost

    headers = ["党员", "类型", "转出党组织", "转入党组织", "申请日期", "接收日期", "状态", "超期未接收", "回执编号", "备注"]
    with translation.override("zh-hans"):
        rows = [[t.member.full_name, t.get_kind_display(), t.from_label, t.to_label, t.requested_on, t.received_on,
                 t.get_status_display(), "是" if transfer_is_lost(t, today=today) else "", t.receipt_no, t.note]
                for t in transfers]
    return _simple(actor, "transfers", headers, rows)


PAID, UNPAID, REVERSED, NOT_DUE = "paid", "unpaid", "reversed", "not_due"
ZH_CELL = {PAID: "已缴", UNPAID: "未缴", REVERSED: "已冲正", NOT_DUE: ""}


def dues_table(members, lines, *, year: int, today: dt.date) -> list[dict]:
    """The ledger as member × month (no queries): each cell paid, unpaid, reversed (every line of
    the month reversed) or not due (before joining, or a month still to come); ``arrears`` are the
    months before this one left unpaid."""
    net: dict[tuple[int, int], Decimal] = {}
    for line in lines:
        key = (line.member_id, line.month.month)
        net[key] = net.get(key, Decimal("0")) + line.amount
    this_month = today.replace(day=1)
    out = []
    for m in members:
        cells, arrears, total = [], [], Decimal("0")
        joined = m.joined_on.replace(day=1) if m.joined_on else None
        for month in range(1, 13):
            start = dt.date(year, month, 1)
            amount = net.get((m.pk, month))
            if amount is not None:
                total += amount
            if amount is not None and amount > 0:
                state = PAID
            elif start > this_month or (joined and start < joined):
                state = NOT_DUE
            elif amount is not None:
                state = REVERSED
            else:
                state = UNPAID
            if state in (UNPAID, REVERSED) and start < this_month:
                arrears.append(month)
            cells.append({"month": month, "state": state, "amount": amount})
        out.append({"member": m, "cells": cells, "arrears": arrears, "total": total})
    return out


def export_dues(*, actor, members, lines, year: int, today: dt.date) -> bytes:
    book = _Book()
    grid = book.sheet("党费收缴台账", ["姓名", "所在党组织", "月缴党费(元)", *[f"{m}月" for m in range(1, 13)], "合计(元)",
                                 "欠缴月数"], 10)
    table = dues_table(members, lines, year=year, today=today)
    for i, row in enumerate(table, start=1):
        m = row["member"]
        book.row(grid, i, [m.full_name, m.organization.name, m.dues_monthly,
                           *[ZH_CELL[c["state"]] for c in row["cells"]], row["total"], len(row["arrears"])])
    ledger = book.sheet("收缴明细", ["记录编号", "姓名", "月份", "金额(元)", "缴纳日期", "收据编号", "冲正原记录", "备注"])
    for i, line in enumerate(lines, start=1):
        book.row(ledger, i, [line.pk, line.member.full_name, f"{line.month:%Y-%m}", line.amount, line.paid_on,
                             line.receipt_no, line.reverses_id, line.note])
    data = book.close()
    _log(actor, "dues", len(lines), filters={"year": year})
    return data


def export_applicants(*, actor, applicants) -> bytes:
    headers = ["姓名", "党组织", "阶段", "申请日期", "谈话日期", "确定积极分子", "确定发展对象", "集中培训天数", "政审完成",
               "公示开始", "接收预备党员", "转正"]
    with translation.override("zh-hans"):
        rows = [[a.full_name, a.organization.name, a.get_stage_display(), a.applied_on, a.talked_on, a.activist_on,
                 a.candidate_on, a.training_days, a.political_review_on, a.notice_on, a.admitted_on, a.full_on]
                for a in applicants]
    return _simple(actor, "applicants", headers, rows)


def export_mobile(*, actor, records) -> bytes:
    headers = ["党员", "流出党组织", "外出日期", "外出地点", "流入地党组织", "最近联系", "返回日期", "联系次数"]
    rows = [[r.member.full_name, r.outflow_org.name, r.left_on, r.destination, r.inflow_label, r.last_verified_on,
             r.returned_on, len(r.contacts.all())] for r in records]
    return _simple(actor, "mobile", headers, rows)


def export_pocket(*, actor, leads) -> bytes:
    headers = ["姓名", "社区", "发现日期", "组织关系所在", "状态", "走访次数", "接收为党员", "备注"]
    with translation.override("zh-hans"):
        rows = [[lead.full_name, lead.place.name, lead.found_on, lead.relationship_at, lead.get_status_display(),
                 len(lead.follow_ups.all()), lead.member.full_name if lead.member else "", lead.note] for lead in leads]
    return _simple(actor, "pocket", headers, rows)


def export_posts(*, actor, posts) -> bytes:
    headers = ["岗位", "党组织", "岗位职责", "阶段", "党员", "设岗", "认岗", "定岗", "公示", "评岗", "评定结果", "结束"]
    with translation.override("zh-hans"):
        rows = [[p.title, p.organization.name, p.duties, p.get_stage_display(), p.member.full_name if p.member else "",
                 p.designed_on, p.claimed_on, p.confirmed_on, p.announced_on, p.assessed_on, p.get_assessment_display(),
                 p.ended_on] for p in posts]
    return _simple(actor, "posts", headers, rows)


def export_report_ins(*, actor, reports) -> bytes:
    headers = ["党员", "所在党组织", "工作单位", "报到社区", "报到日期", "服务承诺", "反馈日期", "反馈单位党组织的意见", "结束"]
    rows = [[r.member.full_name, r.member.organization.name, r.member.work_unit, r.community.name, r.reported_on,
             r.pledge, r.feedback_sent_on, r.feedback, r.ended_on] for r in reports]
    return _simple(actor, "report_ins", headers, rows)
