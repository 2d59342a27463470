"""Facts of the case loop for the rulebook (:mod:`jiayuan.norms.facts`), per the CONTRACTs of
``cases.first_reply`` and ``cases.visits`` in ``norms/rules/facts.toml``.

Choices made where the contract leaves room:

- "appeals" are the kinds residents raise themselves (``choices.RESIDENT_KINDS``: appeal,
  suggestion, psychological request; 002 L69 「群众来访时」); grid events, disputes and emergencies
  have their own rules. A case merged into another is not counted (its reply is the kept case's).
  The reply is ``Case.replied_on``: the first ``reply`` step, or the resolution or reasoned
  rejection when that came first (each is the answer the reporter gets).
- ``visit_day`` (调查走访) items are the ``visited_home`` events (the ``home_visit`` step);
  ``return_visit_day`` (反馈回访) items are the ``visited`` events (the return visit with the
  rating). Each counts on the day it was recorded.

Each provider runs one query whatever the window.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jiayuan.norms.facts import Evidence, Facts, fact

from .choices import RESIDENT_KINDS, CaseStatus, EventKind
from .models import Case, CaseEvent


def _window_bounds(window) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(window.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(window.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


@fact("cases.first_reply", subjects=("community", "street"))
def first_reply(subject, window, ctx) -> Facts:
    """items: one Evidence per appeal received in the window in the subject's area: start = the
    day it was received, done = the day of the first reply (None while unanswered), date =
    start. One query."""
    start, end = _window_bounds(window)
    rows = (
        Case.objects.filter(kind__in=RESIDENT_KINDS, territory_code__startswith=subject.code,
                            received_at__gte=start, received_at__lt=end)
        .exclude(status=CaseStatus.MERGED)
        .values_list("pk", "tracking_no", "title", "received_at", "replied_on")
        .order_by("received_at", "pk")
    )
    items = []
    for pk, tracking_no, title, received_at, replied_on in rows:
        day = timezone.localtime(received_at).date()
        items.append(Evidence(label=f"{tracking_no} {title}", url=reverse("case_detail", args=[pk]), date=day,
                              start=day, done=replied_on))
    return Facts(items=items, values={"count": len(items)})


def _visit_days(year: int, month: int, first_day: int, last_day: int) -> tuple[int, int]:
    """The days of the month that count; a month shorter than ``last_day`` counts its last
    (last_day - first_day + 1) days instead (conflict C-13: February)."""
    length = calendar.monthrange(year, month)[1]
    if length >= last_day:
        return first_day, last_day
    return max(1, length - (last_day - first_day)), length


@fact("cases.visits", subjects=("community", "street"))
def visits(subject, window, ctx) -> Facts:
    """items: one Evidence per visit in the window on the visit days of its month (``visit``:
    ``visit_day`` → 调查走访, ``return_visit_day`` → 反馈回访), date = the visit's day. One query."""
    visit = ctx.get("visit")
    kinds = {"visit_day": EventKind.VISITED_HOME, "return_visit_day": EventKind.VISITED}
    if visit not in kinds:
        raise ValueError(f"cases.visits needs args.visit, one of visit_day, return_visit_day; got {visit!r}")
    first_day, last_day = int(ctx.get("first_day", 1)), int(ctx.get("last_day", 31))
    start, end = _window_bounds(window)
    rows = (
        CaseEvent.objects.filter(kind=kinds[visit], case__territory_code__startswith=subject.code, at__gte=start,
                                 at__lt=end)
        .values_list("case_id", "case__tracking_no", "case__title", "at")
        .order_by("at", "id")
    )
    items = []
    for case_id, tracking_no, title, at in rows:
        day = timezone.localtime(at).date()
        lo, hi = _visit_days(day.year, day.month, first_day, last_day)
        if lo <= day.day <= hi:
            items.append(Evidence(label=f"{tracking_no} {title}", url=reverse("case_detail", args=[case_id]), date=day))
    return Facts(items=items, values={"count": len(items)})
