"""The dispute register as .xlsx (矛盾纠纷排查台账), in Chinese like the paper 台账 whatever the
page's language. Rows come from the selector (scoped to the user); phones are the masked ones.
Every export is logged as an ACCESS entry of kind ``export`` on the user."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone, translation

from jiayuan.core.audit import log_access

NAME = "矛盾纠纷排查台账"
HEADERS = ["编号", "纠纷名称", "类型", "来源", "排查轮次", "发现日期", "地点", "当事人", "调解方式", "调处层级",
           "状态", "牵头领导", "工作班子", "关联诉求编号"]


def filename() -> str:
    return f"{NAME}-{timezone.localdate():%Y%m%d}.xlsx"


def register_xlsx(*, actor, disputes, filters: dict | None = None) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold, date = book.add_format({"bold": True}), book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(NAME)
    sheet.write_row(0, 0, HEADERS, bold)
    sheet.set_column(0, len(HEADERS) - 1, 14)
    sheet.freeze_panes(1, 0)
    n = 0
    with translation.override("zh-hans"):
        for n, d in enumerate(disputes, start=1):
            parties = "、".join(f"{p.name}{' ' + p.phone_masked if p.phone_masked else ''}" for p in d.parties.all())
            values = [d.number, d.title, str(d.get_kind_display()), str(d.get_intake_mode_display()),
                      d.screening_round.title if d.screening_round else "", d.found_on, d.place.name, parties,
                      str(d.get_mediation_kind_display()), str(d.get_level_display()), str(d.get_status_display()),
                      d.leader_name, "、".join(d.team or []), d.case_ref or ""]
            for j, v in enumerate(values):
                if j == 5:
                    sheet.write_datetime(n, j, v, date)
                else:
                    sheet.write_string(n, j, v or "")
    book.close()
    log_access(actor=actor, instance=actor, kind="export", extra={
        "register": "disputes", "rows": n, "filters": {k: str(v) for k, v in (filters or {}).items() if v},
    })
    return buf.getvalue()
