"""The case register (诉求台账 / 问题台账, 003 L267 「精准上报问题台账」) as .xlsx, in Chinese like
the paper ledger whatever the page's language. Rows come from the selector (scoped, read by the
view); phones are the masked ones, never the cipher. Every export is logged as an ACCESS entry of
kind ``export`` on the exporting user."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from django.utils import timezone, translation

from jiayuan.core.audit import log_access

from .categories import category_get

HEADERS = [
    "受理编号", "类型", "类别", "渠道", "标题", "地点", "反映人", "联系电话", "受理时间", "状态", "层级",
    "首问责任人", "承办单位", "承办人", "答复期限", "首次答复", "当前期限", "逾期", "办结日期", "评分", "满意",
]


def _value(value):
    if value is None:
        return ""
    return value


def export_cases(*, user, cases: list) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("诉求台账")
    sheet.write_row(0, 0, HEADERS, bold)
    sheet.set_column(0, len(HEADERS) - 1, 14)
    sheet.set_column(4, 4, 30)
    sheet.freeze_panes(1, 0)
    with translation.override("zh-hans"):
        for i, c in enumerate(cases, start=1):
            category = category_get(c.category)
            row = [
                c.tracking_no, c.get_kind_display(), category.label_zh if category else c.category,
                c.get_channel_display(), c.title, c.place.name, c.reporter_name, c.reporter_phone_masked,
                timezone.localtime(c.received_at).date(), c.get_status_display(), c.get_level_display(),
                c.owner.display_name if c.owner else "",
                c.get_assignee_target_display() if c.assignee_target else "",
                c.assignee_user.display_name if c.assignee_user else "", c.reply_due_on, c.replied_on, c.due_on,
                "是" if c.overdue else "", c.resolved_on, c.rating, "" if c.satisfied is None else ("是" if c.satisfied else "否"),
            ]
            for j, v in enumerate(row):
                v = _value(v)
                if v == "":
                    sheet.write_blank(i, j, None)
                elif isinstance(v, dt.date):
                    sheet.write_datetime(i, j, dt.datetime.combine(v, dt.time()), date)
                elif isinstance(v, int):
                    sheet.write_number(i, j, v)
                else:
                    sheet.write_string(i, j, str(v))
    book.close()
    log_access(actor=user, instance=user, kind="export", purpose="", extra={"register": "cases", "rows": len(cases)})
    return buffer.getvalue()
