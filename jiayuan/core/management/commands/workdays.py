"""``jiayuan workdays``: ask the working-day calendar, and load a year's official arrangement.

- ``add DATE N`` prints the N-th working day after DATE (e.g. the 5-working-day reply deadline of
  002 L69); a provisional result says so after the date.
- ``is DATE`` prints ``DATE workday|holiday|weekend [NAME]``.
- ``year YEAR`` says how the year is known (library / declared complete / provisional) and lists
  its holidays and make-up working days.
- ``load FILE.csv [--complete --source TEXT]`` stores days from a CSV with the headers
  ``date,kind,name`` (kind ``holiday``/``workday`` or ``休息``/``上班``): all rows or none, the same
  file twice changes nothing, ``--complete`` declares the file's years complete.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jiayuan.core import workdays
from jiayuan.core.choices import CalendarDayKind
from jiayuan.core.models import CalendarDay, CalendarYear

MAX_N = 3650  # ten years of working days is more than any deadline in the seeds

KINDS = {
    "holiday": CalendarDayKind.HOLIDAY,
    "休息": CalendarDayKind.HOLIDAY,
    "休": CalendarDayKind.HOLIDAY,
    "放假": CalendarDayKind.HOLIDAY,
    "workday": CalendarDayKind.WORKDAY,
    "上班": CalendarDayKind.WORKDAY,
    "班": CalendarDayKind.WORKDAY,
    "调休上班": CalendarDayKind.WORKDAY,
}
HEADERS = {"date": "date", "日期": "date", "kind": "kind", "类型": "kind", "name": "name", "名称": "name"}
HEADERS.update({"note": "note", "备注": "note"})


def parse_date(text: str) -> date:
    text = text.strip()
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date: {text!r} (expected YYYY-MM-DD, e.g. 2026-09-30)") from None


def parse_n(text: str) -> int:
    try:
        n = int(text.strip())
    except ValueError:
        raise CommandError(f"N must be a whole number of working days, got {text!r}") from None
    if not 0 <= n <= MAX_N:
        raise CommandError(f"N must be between 0 and {MAX_N}, got {n}")
    return n


def parse_year(text: str) -> int:
    try:
        year = int(text.strip())
    except ValueError:
        raise CommandError(f"not a year: {text!r}") from None
    if not date.min.year <= year <= date.max.year:
        raise CommandError(f"the year must be between {date.min.year} and {date.max.year}, got {year}")
    return year


def provisional_note(years: list[int]) -> str:
    return "provisional: no holiday data for {}".format(", ".join(str(y) for y in years))


def describe(info: workdays.DayInfo) -> str:
    """``workday``, ``holiday`` (a day off that is not a plain weekend) or ``weekend``, then the name."""
    if info.workday:
        word = "workday"
    elif info.name or info.date.weekday() < 5:
        word = "holiday"
    else:
        word = "weekend"
    return " ".join(part for part in (info.date.isoformat(), word, info.name) if part)


def read_rows(path: Path) -> list[dict[str, str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CommandError(f"{path} is neither UTF-8 nor GB18030 text")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise CommandError(f"{path} is empty")
    columns = [HEADERS.get(h.strip().lower()) for h in header]
    missing = {"date", "kind"} - set(columns)
    if missing:
        raise CommandError(
            "{}: the header must name the columns date,kind,name (missing: {})".format(path, ", ".join(sorted(missing)))
        )
    rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        row = {"line": str(line)}
        for column, value in zip(columns, values, strict=False):
            if column:
                row[column] = value.strip()
        rows.append(row)
    return rows


class Command(BaseCommand):
    help = "China's working-day calendar: add working days, look up a day or a year, load holiday data."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,is,year,load}")
        add = sub.add_parser("add", help="the N-th working day after DATE")
        add.add_argument("date", help="YYYY-MM-DD")
        add.add_argument("n", help=f"working days, 0 to {MAX_N}")
        is_ = sub.add_parser("is", help="whether DATE is a working day")
        is_.add_argument("date", help="YYYY-MM-DD")
        year = sub.add_parser("year", help="how a year is known, and its holidays and make-up working days")
        year.add_argument("year")
        load = sub.add_parser("load", help="store days from a CSV file with the headers date,kind,name")
        load.add_argument("file")
        load.add_argument("--complete", action="store_true", help="declare the file's years complete")
        load.add_argument("--source", default="", help="the notice the days come from (with --complete)")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "add":
            self.add(parse_date(options["date"]), parse_n(options["n"]))
        elif action == "is":
            info = workdays.day_info(parse_date(options["date"]))
            line = describe(info)
            if info.provisional:
                line += f" ({provisional_note([info.date.year])})"
            self.stdout.write(line)
        elif action == "year":
            self.year(parse_year(options["year"]))
        elif action == "load":
            self.load(Path(options["file"]), complete=options["complete"], source=options["source"])

    def add(self, start: date, n: int) -> None:
        try:
            deadline = workdays.add_workdays(start, n)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        line = deadline.date.isoformat()
        if deadline.provisional:
            first = start if n == 0 else start + timedelta(days=1)  # the walk: start is not counted
            years = [
                y
                for y in range(first.year, deadline.date.year + 1)
                if workdays.year_coverage(y) == workdays.COVERAGE_PROVISIONAL
            ]
            line += f" ({provisional_note(years)})"
        self.stdout.write(line)

    def year(self, year: int) -> None:
        coverage = workdays.year_coverage(year)
        if coverage == workdays.COVERAGE_LIBRARY:
            head = f"{year}: covered by chinesecalendar"
        elif coverage == workdays.COVERAGE_COMPLETE:
            source = CalendarYear.objects.filter(year=year).values_list("source", flat=True).first() or ""
            head = "{}: declared complete{}".format(year, f" ({source})" if source else "")
        else:
            head = f"{year}: provisional (no complete holiday data; Monday to Friday except the days below)"
        self.stdout.write(head)
        days = workdays.year_days(year)
        for info in days:
            suffix = " [stored]" if info.source == workdays.SOURCE_STORED else ""
            self.stdout.write(describe(info) + suffix)
        if not days:
            self.stdout.write("no holidays or make-up working days known")

    def load(self, path: Path, *, complete: bool, source: str) -> None:
        if source and not complete:
            raise CommandError("--source names the notice a complete year comes from: use it with --complete")
        rows = read_rows(path)
        errors, days = [], {}
        for row in rows:
            line = row["line"]
            try:
                d = parse_date(row.get("date", ""))
            except CommandError as exc:
                errors.append(f"line {line}: {exc}")
                continue
            kind = KINDS.get(row.get("kind", "").lower())
            if kind is None:
                errors.append(
                    "line {}: unknown kind {!r} (expected holiday or workday, 休息 or 上班)".format(line, row.get("kind", ""))
                )
                continue
            if d in days:
                errors.append(f"line {line}: {d.isoformat()} appears twice")
                continue
            days[d] = {"kind": kind.value, "name": row.get("name", "")[:64]}
            if row.get("note"):  # a file without notes keeps the notes already stored
                days[d]["note"] = row["note"]
        if errors:
            raise CommandError("{}: nothing loaded.\n{}".format(path, "\n".join(errors)))
        if not days:
            raise CommandError(f"{path}: no days in the file")

        created = changed = unchanged = 0
        years = sorted({d.year for d in days})
        with transaction.atomic(), workdays.batched_changes():
            existing = {row.date: row for row in CalendarDay.objects.filter(date__in=list(days)).select_for_update()}
            for d, values in sorted(days.items()):
                row = existing.get(d)
                if row is not None:
                    if all(getattr(row, k) == v for k, v in values.items()):
                        unchanged += 1
                        continue
                _, was_created = CalendarDay.objects.update_or_create(date=d, defaults=values)
                created += was_created
                changed += not was_created
            if complete:
                for year in years:
                    entry, new = CalendarYear.objects.get_or_create(year=year, defaults={"complete": True, "source": source})
                    if not new and (not entry.complete or (source and entry.source != source)):
                        entry.complete = True
                        entry.source = source or entry.source
                        entry.save()
        summary = "{}: {} days for {} ({} new, {} changed, {} unchanged)".format(
            path.name, len(days), ", ".join(str(y) for y in years), created, changed, unchanged
        )
        if complete:
            summary += "; declared complete"
        self.stdout.write(summary)
