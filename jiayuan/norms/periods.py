"""Periods a user asks about (``2026-Q3``) and the windows a rule is counted over inside them.

A monthly rule judged for a quarter is three windows (each month must meet it); a yearly rule
judged for a quarter is the one year that contains the quarter; a two-year quota is the two
years ending with the period; a standing rule (composition, threshold) is judged as of the end
of the period, or today while the period is still running.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .facts import Window

PERIOD_RE = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<q>Q[1-4])|(?P<h>H[12])|(?P<m>\d{2})))?$")


class PeriodError(ValueError):
    """A period the user typed cannot be read (the message is for the user)."""


@dataclass(frozen=True)
class Period:
    """A span of dates a user asked about, with its canonical label."""

    start: dt.date
    end: dt.date
    label: str

    def as_window(self) -> Window:
        return Window(self.start, self.end, self.label)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """``2026``, ``2026-H2``, ``2026-Q3`` or ``2026-07``."""
    match = PERIOD_RE.match((text or "").strip().upper())
    if not match:
        raise PeriodError(_("Write the period as 2026, 2026-H2, 2026-Q3 or 2026-07."))
    year = int(match["y"])
    if not 1949 <= year <= 2200:
        raise PeriodError(_("The year must be between 1949 and 2200."))
    if match["q"]:
        q = int(match["q"][1])
        return Period(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), f"{year}-Q{q}")
    if match["h"]:
        h = int(match["h"][1])
        return Period(dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h), f"{year}-H{h}")
    if match["m"]:
        month = int(match["m"])
        if not 1 <= month <= 12:
            raise PeriodError(_("The month must be between 01 and 12."))
        return Period(dt.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))


def current_period(kind: str = "quarter", today: dt.date | None = None) -> Period:
    """The month, quarter, half-year or year containing ``today``."""
    today = today or dt.date.today()
    if kind == "month":
        return parse_period(f"{today.year}-{today.month:02d}")
    if kind == "year":
        return parse_period(str(today.year))
    if kind == "half_year":
        return parse_period(f"{today.year}-H{1 if today.month <= 6 else 2}")
    return parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")


def _unit(kind: str, day: dt.date) -> Window:
    if kind == "month":
        p = parse_period(f"{day.year}-{day.month:02d}")
    elif kind == "quarter":
        p = parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    elif kind == "half_year":
        p = parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
    else:
        p = parse_period(str(day.year))
    return p.as_window()


def windows(kind: str, period: Period, today: dt.date) -> list[Window]:
    """The windows of a rule whose period is ``kind`` that a question about ``period`` covers."""
    if kind == "none":
        as_of = min(period.end, today)
        as_of = max(as_of, period.start)
        return [Window(period.start, as_of, as_of.isoformat())]
    if kind == "two_years":
        end = dt.date(period.end.year, 12, 31)
        start = dt.date(period.end.year - 1, 1, 1)
        return [Window(start, end, f"{start.year}-{end.year}")]
    result: list[Window] = []
    day = period.start
    while day <= period.end:
        w = _unit(kind, day)
        if not result or result[-1] != w:
            result.append(w)
        day = w.end + dt.timedelta(days=1)
    return result


def window_for_day(kind: str, day: dt.date) -> Window:
    """The window of kind ``kind`` that contains ``day`` (the obligations calendar's unit)."""
    if kind == "two_years":
        return windows(kind, Period(day, day, ""), day)[0]
    if kind == "none":
        return Window(day, day, day.isoformat())
    return _unit(kind, day)
