"""Reading a register file row by row in bounded memory (CSV or .xlsx).

Excel's own "save as CSV" in China often writes GB18030 rather than UTF-8, so the encoding is
sniffed. A file that is neither a readable CSV nor an .xlsx workbook, or whose header row does
not match the template, is refused before any row is looked at.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from .columns import HEADER_TO_FIELD, REQUIRED

MAX_FILE_BYTES = 300 * 1024 * 1024  # a 3,000,000-row register as CSV is about 300 MB


class FileRefused(Exception):
    """The file as a whole cannot be imported (format, size, headers)."""


def _sniff_encoding(path: Path) -> str:
    head = path.open("rb").read(256 * 1024)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return encoding
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data" or exc.start > len(head) - 8:
                return encoding  # only a multi-byte character cut by the end of the sample
    raise FileRefused(_("The file is neither UTF-8 nor GB18030 text, nor an Excel workbook."))


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _header_fields(header: list[str]) -> list[str | None]:
    fields = [HEADER_TO_FIELD.get((h or "").strip()) for h in header]
    unknown = [h for h, f in zip(header, fields, strict=True) if f is None and (h or "").strip()]
    missing = sorted(REQUIRED - {f for f in fields if f})
    if unknown or missing or len({f for f in fields if f}) != len([f for f in fields if f]):
        from .columns import LABELS, ZH_HEADERS

        parts = []
        if missing:
            parts.append(_("missing columns: {cols}").format(cols="、".join(str(LABELS[m]) for m in missing)))
        if unknown:
            parts.append(_("unknown columns: {cols}").format(cols="、".join(unknown[:10])))
        if not parts:
            parts.append(_("a column appears twice"))
        raise FileRefused(
            _("The header row does not match the template ({problems}). Expected: {expected}.").format(
                problems="; ".join(parts), expected=",".join(ZH_HEADERS)
            )
        )
    return fields


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # Excel stores 302 as 302.0
        value = int(value)
    return str(value).strip()


def iter_rows(path: str | Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(row_number, {field: text})`` for every non-empty data row; row 1 is the header."""
    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FileRefused(_("The file is larger than {mb} MB.").format(mb=MAX_FILE_BYTES // (1024 * 1024)))
    if _is_xlsx(path):
        yield from _iter_xlsx(path)
    else:
        yield from _iter_csv(path)


def _iter_csv(path: Path):
    encoding = _sniff_encoding(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        sample = fh.read(4096)
        if "\x00" in sample:
            raise FileRefused(_("This is not a CSV or Excel file."))
        fh.seek(0)
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise FileRefused(_("The file is empty.")) from None
        except csv.Error as exc:
            raise FileRefused(_("The file cannot be read as CSV: {error}").format(error=exc)) from None
        fields = _header_fields(header)
        try:
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                yield number, {f: row[i].strip() for i, f in enumerate(fields) if f and i < len(row)}
        except csv.Error as exc:
            raise FileRefused(_("The file cannot be read as CSV: {error}").format(error=exc)) from None


def _iter_xlsx(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
        header = next(rows, None)
    except Exception as exc:  # noqa: BLE001 - calamine raises several kinds for a broken workbook
        raise FileRefused(_("The file is not a readable Excel workbook ({error}).").format(error=type(exc).__name__)) from None
    if header is None:
        raise FileRefused(_("The file is empty."))
    fields = _header_fields([_clean(h) for h in header])
    for number, row in enumerate(rows, start=2):
        values = [_clean(v) for v in row]
        if not any(values):
            continue
        yield number, {f: values[i] for i, f in enumerate(fields) if f and i < len(values)}


def count_rows(path: str | Path) -> int:
    """Data rows in the file (cheap for CSV: counts lines; reads the sheet for .xlsx)."""
    path = Path(path)
    try:
        if _is_xlsx(path):
            return sum(1 for _ in iter_rows(path))
    except FileRefused:
        return 0  # the importer reports why
    lines, last = 0, b"\n"
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return max(0, lines - 1)
