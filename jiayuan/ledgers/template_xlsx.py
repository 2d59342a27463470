"""The blank residents register to download: the Chinese headers in the importer's order, one
example row, and a second sheet explaining every column and the values the importer accepts."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from django.utils.translation import gettext as _

from jiayuan.accounts.scope import get_scope
from jiayuan.core.idnumber import make_id_number
from jiayuan.residents.choices import _ETHNICITIES, _POLITICAL, _RELATIONS
from jiayuan.residents.selectors import special_group_list
from jiayuan.territory import selectors as territory

from .columns import COLUMNS, LABELS, REQUIRED, ZH_HEADERS
from .exporter import _RES

SHEET_DATA = "居民台账"


def _example_grid(user) -> str:
    scope = get_scope(user)
    for grid in territory.grid_list(user=user).select_related(None).only("code"):
        if scope.can_write(grid.code):
            return grid.code
    return "520302001001001"


def _notes(user) -> dict[str, tuple[str, str]]:
    """field -> (what to enter, accepted values)."""
    groups = "、".join(g.name_zh for g in special_group_list(user=user))
    return {
        "name": (_("Full name as on the identity card."), ""),
        "id_number": (
            _("18-character resident identity number (the last character may be X). Residents are matched on it: "
              "importing the same person again updates the record."), "",
        ),
        "phone": (_("Mobile or landline number; may be left empty."), ""),
        "ethnicity": (_("Name of the ethnic group, with or without 族."), "、".join(zh for _c, zh, _en in _ETHNICITIES)),
        "political_status": (_("Political status."), "、".join(zh for _c, zh, _en in _POLITICAL)),
        "relation_to_head": (
            _("Relation to the head of household. The head's own row says 户主 (or 本人)."),
            "、".join(zh for _c, zh, _en in _RELATIONS) + "、本人",
        ),
        "head_id_number": (
            _("Identity number of the head of household; empty on the head's own row. The head must be in the "
              "same file or already registered."), "",
        ),
        "grid_code": (_("The 15-digit code of a grid in your area."), ""),
        "building": (_("Building number from 1 to 999."), "12栋、12"),
        "unit": (_("Unit (entrance) number from 1 to 99."), "2单元、2"),
        "room": (_("Room number from 1 to 9999."), "302"),
        "tags": (
            _("Special groups the person belongs to, separated by 、 or a comma; may be left empty. Only the groups "
              "you may assign are listed."), groups,
        ),
        "residence_type": (_("Residence type; may be left empty."), "、".join(_RES.values())),
    }


def residents_template_xlsx(*, user) -> bytes:
    grid = _example_grid(user)
    head = make_id_number("520302", dt.date(1975, 6, 1), 11)
    example = ["张三", head, "13800000000", "汉族", "群众", "户主", "", grid, "1栋", "1单元", "101", "", "户籍人口"]
    assert len(example) == len(ZH_HEADERS)

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#F3E1DF", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet = workbook.add_worksheet(SHEET_DATA)
    sheet.write_row(0, 0, ZH_HEADERS, bold)
    # Text cells: Excel would turn identity numbers into 5.2E+17 and drop a grid code's digits.
    sheet.set_column(0, len(ZH_HEADERS) - 1, 12, text)
    sheet.set_column(1, 1, 21, text)
    sheet.set_column(6, 7, 21, text)
    sheet.write_row(1, 0, example, text)
    sheet.freeze_panes(1, 0)

    notes = workbook.add_worksheet(_("Instructions")[:31])
    notes.set_column(0, 0, 16)
    notes.set_column(1, 1, 8)
    notes.set_column(2, 2, 60, wrap)
    notes.set_column(3, 3, 60, wrap)
    notes.write_row(0, 0, [_("Column"), _("Required"), _("What to enter"), _("Accepted values")], bold)
    explained = _notes(user)
    for row, (field, zh, _en) in enumerate(COLUMNS, start=1):
        what, values = explained[field]
        label = str(LABELS[field])
        notes.write_row(row, 0, [
            zh if label == zh else f"{zh}（{label}）", _("Yes") if field in REQUIRED else _("No"), what, values,
        ], wrap)
    last = len(COLUMNS) + 2
    notes.write(last, 0, _("Notes"), bold)
    for i, line in enumerate([
        _("Keep the header row as it is; the columns may be in any order. English headers (name, id_number, …) "
          "are accepted too."),
        _("The import is all or nothing: if any row has an error, nothing is written and you get a report of every "
          "problem. Correct the file and upload it again."),
        _("Several values in one cell (人员类别) are separated by 、 or a comma."),
        _("Save as .xlsx, or as CSV in UTF-8 or GB18030 (Excel's “CSV” format)."),
        _("The example row (张三) is only an illustration: delete it before importing."),
    ], start=1):
        notes.merge_range(last + i, 0, last + i, 3, f"{i}. {line}", wrap)
        notes.set_row(last + i, 32)
    workbook.close()
    return buffer.getvalue()
