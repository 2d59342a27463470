"""China's working days: whether a date is one, and which date is N working days after another.

Why: the seeds set deadlines in working days, e.g. the first-contact reply "并规定时限不超过5个工作日"
(002 L69). In China that is not Monday to Friday: public holidays are off and some weekends are
worked to make up for them (调休), so "5 working days from 30 September" ends on 13 October.

Where the answer for one date comes from, first match wins:

1. a stored ``CalendarDay`` row (an administrator's entry for a year the library does not know, or
   a correction) — not provisional;
2. ``chinesecalendar`` (official holidays and 调休 for 2004–2026 in 1.11.0) — not provisional;
3. Monday to Friday. That is final when a ``CalendarYear(year, complete=True)`` says the stored
   days of that year are the complete official arrangement, and *provisional* otherwise: nobody
   has entered that year's State Council notice yet, so the day may still turn out to be a holiday
   or a make-up working day.

A ``Deadline`` is provisional when any day its count walked over was provisional; modules that
store deadlines keep the flag and recompute provisional ones when the calendar changes.

Public API (keyword names as below; every ``date`` argument also accepts a ``datetime``, whose date
is used):

- ``is_workday(d) -> bool`` and ``day_info(d) -> DayInfo``;
- ``add_workdays(start, n) -> Deadline``: the n-th working day after ``start``;
- ``workdays_between(a, b) -> int``: working days after ``a`` up to and including ``b``;
- ``year_coverage(year) -> str`` and ``year_days(year) -> list[DayInfo]`` (the ``workdays`` command);
- ``clear_cache()`` and ``batched_changes()``;
- the signal ``calendar_changed``.

Signal ``calendar_changed(sender, years: set[int])`` is sent after a ``CalendarDay`` or
``CalendarYear`` row is saved or deleted (sender: that model class), inside the writing
transaction, so a receiver's recomputation commits or rolls back with the change. Inside
``batched_changes()`` one signal is sent at the end of the block for all the rows written in it
(sender: ``CalendarDay``). ``QuerySet.update()``, ``bulk_create()`` and raw SQL send no model
signals: code that writes the tables that way must call ``clear_cache()`` and send the signal
itself.

Cache: the stored rows of a year are read once per process (two queries) and kept in a dict, so
computing thousands of deadlines does not query the database each time. A save or delete in this
process clears it at once (and again on commit; a rolled-back write is noticed and cleared on the
next lookup). Other processes (the huey worker, other app servers) see a change within
``CACHE_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

import chinese_calendar
from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

__all__ = [
    "CACHE_SECONDS",
    "DayInfo",
    "Deadline",
    "add_workdays",
    "batched_changes",
    "calendar_changed",
    "clear_cache",
    "day_info",
    "is_workday",
    "workdays_between",
    "year_coverage",
    "year_days",
]

calendar_changed = Signal()  # kwargs: years: set[int]

# How long another process may keep using a year's stored rows after an administrator changed them.
CACHE_SECONDS = 300.0

# Where a day's answer came from (DayInfo.source).
SOURCE_STORED = "stored"  # a CalendarDay row
SOURCE_LIBRARY = "library"  # chinesecalendar
SOURCE_DECLARED = "declared"  # Monday–Friday in a year declared complete
SOURCE_FALLBACK = "fallback"  # Monday–Friday, provisional

# Coverage of a year (year_coverage).
COVERAGE_LIBRARY = "library"
COVERAGE_COMPLETE = "complete"
COVERAGE_PROVISIONAL = "provisional"

_ONE_DAY = timedelta(days=1)
# The library's Chinese names are short forms; stored names are usually the full ones.
_FULL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


@dataclass(frozen=True)
class DayInfo:
    """One date as the calendar sees it."""

    date: date
    workday: bool
    name: str  # the holiday a day off or a make-up working day belongs to, e.g. "国庆节"; else ""
    provisional: bool  # Monday–Friday guess in a year with no official data yet
    source: str = SOURCE_FALLBACK  # stored | library | declared | fallback


@dataclass(frozen=True)
class Deadline:
    """A date counted in working days, and whether the count crossed a day that is still a guess."""

    date: date
    provisional: bool


# ---------------------------------------------------------------------------------------------
# The library's data, indexed by year once.


@lru_cache(maxsize=1)
def _library_years() -> range:
    """The years chinesecalendar has the official arrangement for (2004–2026 in 1.11.0)."""
    days = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return range(min(days).year, max(days).year + 1)


@cache
def _library_days(year: int) -> dict[date, tuple[bool, str]]:
    """The library's days of ``year`` that are not plain weekdays or weekends: date → (workday, name).

    Mirrors ``chinese_calendar.get_holiday_detail``: its ``workdays`` table wins over ``holidays``.
    Read from the tables directly because the library's functions rescan them on every call.
    """
    days: dict[date, tuple[bool, str]] = {}
    for table, workday in ((chinese_calendar.holidays, False), (chinese_calendar.workdays, True)):
        for d, english in table.items():
            if d.year == year:
                days[d] = (workday, _library_name(english))
    return days


def _library_name(english: Any) -> str:
    try:
        chinese = chinese_calendar.Holiday(english).chinese
    except ValueError:
        return str(english or "")
    return _FULL_NAMES.get(chinese, chinese)


# ---------------------------------------------------------------------------------------------
# Stored rows, cached per year.


@dataclass(frozen=True)
class _Year:
    year: int
    stored: dict[date, tuple[bool, str]]  # CalendarDay rows: date → (workday, name)
    library: dict[date, tuple[bool, str]] | None  # None: the library does not cover the year
    complete: bool  # CalendarYear(complete=True) exists
    loaded_at: float

    def info(self, d: date) -> DayInfo:
        hit = self.stored.get(d)
        if hit is not None:
            return DayInfo(d, hit[0], hit[1], False, SOURCE_STORED)
        if self.library is not None:
            hit = self.library.get(d)
            if hit is not None:
                return DayInfo(d, hit[0], hit[1], False, SOURCE_LIBRARY)
            return DayInfo(d, d.weekday() < 5, "", False, SOURCE_LIBRARY)
        if self.complete:
            return DayInfo(d, d.weekday() < 5, "", False, SOURCE_DECLARED)
        return DayInfo(d, d.weekday() < 5, "", True, SOURCE_FALLBACK)

    def status(self, d: date) -> tuple[bool, bool]:
        """(workday, provisional) of ``d``: ``info`` without building a DayInfo (the hot loop)."""
        hit = self.stored.get(d)
        if hit is not None:
            return hit[0], False
        if self.library is not None:
            hit = self.library.get(d)
            return (hit[0] if hit is not None else d.weekday() < 5), False
        return d.weekday() < 5, not self.complete


_cache: dict[int, _Year] = {}
_generation = 0  # bumped by clear_cache, so a load that raced with a clear is not stored
# Writes inside a transaction not yet committed: (db alias, thread id) → the on_commit hook.
_pending: dict[tuple[str, int], Callable[[], None]] = {}
_batch = threading.local()


def clear_cache() -> None:
    """Forget every cached year (the next lookup reads the database again)."""
    global _generation
    _generation += 1
    _cache.clear()


def _forget_rolled_back() -> None:
    """Clear the cache when a transaction that wrote calendar rows ended without committing.

    A rollback sends no signal; but it drops the transaction's on_commit hooks, so a pending
    write whose hook is gone from its connection was rolled back and the cache may hold its rows.
    """
    if not _pending:
        return
    me = threading.get_ident()
    for key, hook in list(_pending.items()):
        alias, owner = key
        if owner != me:
            continue
        connection = connections[alias]
        if connection.in_atomic_block and any(func is hook for _, func, _ in connection.run_on_commit):
            continue
        _pending.pop(key, None)
        clear_cache()


def _year(year: int) -> _Year:
    _forget_rolled_back()
    now = time.monotonic()
    entry = _cache.get(year)
    if entry is not None and now - entry.loaded_at < CACHE_SECONDS:
        return entry
    generation = _generation
    entry = _load_year(year, now)
    # While another thread's calendar write is uncommitted, do not keep what this thread read.
    if generation == _generation and not any(owner != threading.get_ident() for _, owner in _pending):
        _cache[year] = entry
    return entry


def _load_year(year: int, now: float) -> _Year:
    from jiayuan.core.choices import CalendarDayKind
    from jiayuan.core.models import CalendarDay, CalendarYear

    rows = CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
    stored = {d: (kind == CalendarDayKind.WORKDAY, name) for d, kind, name in rows.values_list("date", "kind", "name")}
    complete = CalendarYear.objects.filter(year=year, complete=True).exists()
    library = _library_days(year) if year in _library_years() else None
    return _Year(year, stored, library, complete, now)


# ---------------------------------------------------------------------------------------------
# Questions.


def _as_date(d: date) -> date:
    if isinstance(d, datetime):
        return d.date()
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {d!r}")
    return d


def _next_day(d: date) -> date:
    try:
        return d + _ONE_DAY
    except OverflowError:
        raise ValueError(f"the count runs past {date.max}, the last date Python supports") from None


def day_info(d: date) -> DayInfo:
    """Whether ``d`` is a working day in China, the holiday it belongs to, and whether that is a guess."""
    d = _as_date(d)
    return _year(d.year).info(d)


def is_workday(d: date) -> bool:
    """True when ``d`` is a working day in China (make-up working days included, holidays excluded)."""
    d = _as_date(d)
    return _year(d.year).status(d)[0]


def add_workdays(start: date, n: int) -> Deadline:
    """The n-th working day after ``start`` (``start`` itself is not counted).

    ``n == 0`` gives ``start`` when it is a working day, else the next working day. The deadline is
    provisional when any day walked over (for n == 0 including ``start``) is provisional. Raises
    ValueError for a negative ``n`` or a count that runs past 9999-12-31.
    """
    start = _as_date(start)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an integer, got {n!r}")
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    d = start
    year = _year(d.year)
    provisional = False
    if n == 0:
        workday, provisional = year.status(d)
        if workday:
            return Deadline(d, provisional)
        n = 1
    while n:
        d = _next_day(d)
        if d.year != year.year:
            year = _year(d.year)
        workday, guessed = year.status(d)
        provisional = provisional or guessed
        if workday:
            n -= 1
    return Deadline(d, provisional)


def workdays_between(a: date, b: date) -> int:
    """How many working days lie after ``a`` up to and including ``b`` (0 when ``b`` is not after ``a``).

    So ``workdays_between(start, add_workdays(start, n).date) == n`` for n > 0, and "replied within
    5 working days" (002 L69) is ``workdays_between(received, replied) <= 5``.
    """
    a, b = _as_date(a), _as_date(b)
    count = 0
    d = a
    year: _Year | None = None
    while d < b:
        d = d + _ONE_DAY
        if year is None or d.year != year.year:
            year = _year(d.year)
        if year.status(d)[0]:
            count += 1
    return count


def year_coverage(year: int) -> str:
    """How ``year`` is known: ``"library"`` (chinesecalendar), ``"complete"`` (declared by an
    administrator) or ``"provisional"`` (Monday–Friday except the stored days)."""
    entry = _year(year)
    if entry.library is not None:
        return COVERAGE_LIBRARY
    return COVERAGE_COMPLETE if entry.complete else COVERAGE_PROVISIONAL


def year_days(year: int) -> list[DayInfo]:
    """The days of ``year`` that are not plain (a named day, a weekday off, a weekend worked, or a
    stored row), in date order."""
    entry = _year(year)
    dates = set(entry.stored) | set(entry.library or ())
    days = [entry.info(d) for d in dates]
    return sorted(
        (i for i in days if i.source == SOURCE_STORED or i.name or i.workday != (i.date.weekday() < 5)),
        key=lambda i: i.date,
    )


# ---------------------------------------------------------------------------------------------
# Keeping the cache right and telling the rest of the system.


@contextmanager
def batched_changes() -> Iterator[None]:
    """Send one ``calendar_changed`` for all the rows written in the block (e.g. a file load),
    when the block ends without an exception."""
    if getattr(_batch, "years", None) is not None:  # nested: the outer block sends
        yield
        return
    _batch.years = set()
    try:
        yield
        years = _batch.years
    finally:
        _batch.years = None
    if years:
        from jiayuan.core.models import CalendarDay

        calendar_changed.send(sender=CalendarDay, years=set(years))


def _on_row_change(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    year = instance.year if sender._meta.model_name == "calendaryear" else instance.date.year
    years = {year}
    loaded = getattr(instance, "_loaded_year", None)
    if loaded is not None:
        years.add(loaded)
    instance._loaded_year = year
    clear_cache()
    connection = connections[using]
    if connection.in_atomic_block:
        key = (using, threading.get_ident())

        def committed() -> None:
            if _pending.get(key) is committed:
                _pending.pop(key, None)
            clear_cache()

        _pending[key] = committed
        transaction.on_commit(committed, using=using)
    batch = getattr(_batch, "years", None)
    if batch is not None:
        batch.update(years)
    else:
        calendar_changed.send(sender=sender, years=years)


post_save.connect(_on_row_change, sender="core.CalendarDay", dispatch_uid="workdays.day.saved")
post_delete.connect(_on_row_change, sender="core.CalendarDay", dispatch_uid="workdays.day.deleted")
post_save.connect(_on_row_change, sender="core.CalendarYear", dispatch_uid="workdays.year.saved")
post_delete.connect(_on_row_change, sender="core.CalendarYear", dispatch_uid="workdays.year.deleted")
