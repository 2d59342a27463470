"""The row-by-row error report of a refused import, as .xlsx."""

import io

import xlsxwriter
from django.utils.translation import gettext as _


def error_report_xlsx(job, result) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = workbook.add_worksheet(_("Errors")[:31])
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, [_("Row"), _("Column"), _("Problem")], bold)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 70)
    row = 1
    if result.file_error:
        sheet.write_row(row, 0, [1, _("File"), result.file_error])
        row += 1
    for error in result.errors:
        sheet.write_row(row, 0, [error.row, error.column, error.message])
        row += 1
    if result.error_count > len(result.errors):
        sheet.write(row, 2, _("… and {n} more errors.").format(n=result.error_count - len(result.errors)))
    workbook.close()
    return buffer.getvalue()
