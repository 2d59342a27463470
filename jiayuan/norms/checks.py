"""How facts are judged: one function per kind of rule, each giving a status and a reason.

A check is pure: it gets the facts a provider found for one window, the window, the rule's
arguments and effective parameters (``ctx``) and today's date, and returns an ``Outcome``.
Windowed checks (``count_at_least``) distinguish a window that is over (met or not met) from one
still running (met already, or not yet due); standing checks (``value_between``) judge the
state as of the window's end. Explanations are in the user's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .facts import Evidence, Facts, Window

MET, UNMET, NOT_DUE, NOT_APPLICABLE, NOT_EVALUABLE = "met", "unmet", "not_due", "not_applicable", "not_evaluable"
STATUSES = (MET, UNMET, NOT_DUE, NOT_APPLICABLE, NOT_EVALUABLE)

# Deadline checks list at most this many evidence items (the late ones first); the counts in the
# explanation cover all of them.
EVIDENCE_LIMIT = 50


@dataclass
class Outcome:
    """The judgement of one window."""

    status: str
    explanation: str
    evidence: list[Evidence] = field(default_factory=list)
    due: dt.date | None = None  # when a not-yet-due obligation falls due
    provisional: bool = False  # a working-day deadline computed without the year's holiday data


@dataclass(frozen=True)
class Check:
    name: str
    func: Callable[[Facts, Window, dict, dt.date], Outcome]
    params: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    windowed: bool = False  # counted per period window (needs a 'period' parameter)
    # the number only grows while a window runs (a count, a sum of money): a shortfall in a
    # window that is not over yet is "not yet due", not "not met"
    accumulates: bool = False


CHECKS: dict[str, Check] = {}


def _check(name: str, *, params=(), args=(), windowed=False, accumulates=False):
    def decorator(func):
        CHECKS[name] = Check(
            name=name, func=func, params=tuple(params), args=tuple(args), windowed=windowed, accumulates=accumulates
        )
        return func

    return decorator


def _fmt(value) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _not_applicable(facts: Facts) -> Outcome | None:
    """A provider says the rule does not bind this subject now (e.g. no dual-role secretary)."""
    if facts.values.get("applicable", True) is False:
        return Outcome(NOT_APPLICABLE, str(facts.values.get("reason") or _("Does not apply here.")), facts.items)
    return None


@_check("count_at_least", params=("times",), windowed=True, accumulates=True)
def count_at_least(facts: Facts, window: Window, ctx: dict, today: dt.date) -> Outcome:
    """At least ``times`` records in each window (meetings a month, activists a year)."""
    if (na := _not_applicable(facts)) is not None:
        return na
    times = ctx["times"]
    n = len(facts.items)
    counted = _("{label}: {n} of {times} required").format(label=window.label, n=n, times=times)
    if n >= times:
        return Outcome(MET, counted, facts.items)
    if window.end < today:
        return Outcome(UNMET, counted + _(" (the period is over)"), facts.items)
    if window.start > today:
        return Outcome(NOT_DUE, counted + _(" (the period has not begun)"), facts.items, due=window.end)
    return Outcome(
        NOT_DUE, counted + _(" (due by {date})").format(date=window.end.isoformat()), facts.items, due=window.end
    )


@_check("exists", accumulates=True)
def exists(facts: Facts, window: Window, ctx: dict, today: dt.date) -> Outcome:
    """At least one record (a grand Party committee, a service centre)."""
    if (na := _not_applicable(facts)) is not None:
        return na
    if facts.items:
        return Outcome(MET, _("Recorded: {items}").format(items="; ".join(e.label for e in facts.items[:5])), facts.items)
    return Outcome(UNMET, _("Nothing recorded as of {date}.").format(date=window.end.isoformat()))


def _value(facts: Facts, ctx: dict):
    key = ctx["value"]
    if key not in facts.values:
        return None
    return facts.values[key]


@_check("value_between", params=("min", "max"), args=("value",))
def value_between(facts: Facts, window: Window, ctx: dict, today: dt.date) -> Outcome:
    """A number inside ``[min, max]`` (5 to 9 members of the two committees)."""
    if (na := _not_applicable(facts)) is not None:
        return na
    value = _value(facts, ctx)
    if value is None:
        return Outcome(UNMET, _("Nothing recorded as of {date}.").format(date=window.end.isoformat()), facts.items)
    text = _("{value} (required {min} to {max}) as of {date}").format(
        value=_fmt(value), min=_fmt(ctx["min"]), max=_fmt(ctx["max"]), date=window.end.isoformat()
    )
    ok = ctx["min"] <= value <= ctx["max"]
    return Outcome(MET if ok else UNMET, text, facts.items)


@_check("value_at_least", params=("min",), args=("value",), accumulates=True)
def value_at_least(facts: Facts, window: Window, ctx: dict, today: dt.date) -> Outcome:
    """A number at or above ``min`` (at least one cadre under 35)."""
    if (na := _not_applicable(facts)) is not None:
        return na
    value = _value(facts, ctx)
    if value is None:
        return Outcome(UNMET, _("Nothing recorded as of {date}.").format(date=window.end.isoformat()), facts.items)
    text = _("{value} (required at least {min}) as of {date}").format(
        value=_fmt(value), min=_fmt(ctx["min"]), date=window.end.isoformat()
    )
    return Outcome(MET if value >= ctx["min"] else UNMET, text, facts.items)


@_check("value_at_most", params=("max",), args=("value",))
def value_at_most(facts: Facts, window: Window, ctx: dict, today: dt.date) -> Outcome:
    """A number at or below ``max`` (no member without a post)."""
    if (na := _not_applicable(facts)) is not None:
        return na
    value = _value(facts, ctx)
    if value is None:
        return Outcome(UNMET, _("Nothing recorded as of {date}.").format(date=window.end.isoformat()), facts.items)
    text = _("{value} (allowed at most {max}) as of {date}").format(
        value=_fmt(value), max=_fmt(ctx["max"]), date=window.end.isoformat()
    )
    return Outcome(MET if value <= ctx["max"] else UNMET, text, facts.items)


@_check("per_unit_at_least", params=("rate", "per"), args=("value", "base"), accumulates=True)
def per_unit_at_least(facts: Facts, window: Window, ctx: dict, today: dt.date) -> Outcome:
    """``value >= rate × base / per``: 20 m² per 100 households (003 L309), 30 yuan a household
    (003 L335)."""
    if (na := _not_applicable(facts)) is not None:
        return na
    value = facts.values.get(ctx["value"])
    base = facts.values.get(ctx["base"])
    if base is None:
        return Outcome(UNMET, _("Nothing recorded as of {date}.").format(date=window.end.isoformat()), facts.items)
    required = Decimal(str(ctx["rate"])) * Decimal(str(base)) / Decimal(str(ctx["per"]))
    required = required.quantize(Decimal("0.01"))
    if value is None:
        return Outcome(
            UNMET,
            _("Nothing recorded; required {required} for {base} as of {date}.").format(
                required=_fmt(required), base=_fmt(base), date=window.end.isoformat()
            ),
            facts.items,
        )
    text = _("{value} against {required} required ({rate} per {per} × {base}) as of {date}").format(
        value=_fmt(value),
        required=_fmt(required),
        rate=_fmt(ctx["rate"]),
        per=_fmt(ctx["per"]),
        base=_fmt(base),
        date=window.end.isoformat(),
    )
    return Outcome(MET if Decimal(str(value)) >= required else UNMET, text, facts.items)


def _late_first(items: list[tuple[Evidence, bool]]) -> list[Evidence]:
    ordered = [e for e, late in items if late] + [e for e, late in items if not late]
    return ordered[:EVIDENCE_LIMIT]


@_check("within_workdays", params=("days",))
def within_workdays(facts: Facts, window: Window, ctx: dict, today: dt.date) -> Outcome:
    """Each item done within ``days`` China working days of its start (first-inquiry reply within
    5 working days, 002 L69). Items are those whose clock started in the window."""
    from jiayuan.core.workdays import add_workdays

    if (na := _not_applicable(facts)) is not None:
        return na
    if not facts.items:
        return Outcome(NOT_APPLICABLE, _("{label}: nothing started in this period.").format(label=window.label))
    late = pending = on_time = 0
    provisional = False
    judged: list[tuple[Evidence, bool]] = []
    next_due: dt.date | None = None
    for item in facts.items:
        deadline = add_workdays(item.start, ctx["days"])
        provisional |= deadline.provisional
        item.value = deadline.date.isoformat()
        if item.done is not None:
            is_late = item.done > deadline.date
        else:
            is_late = today > deadline.date
            if not is_late:
                pending += 1
                next_due = min(next_due or deadline.date, deadline.date)
        late += is_late
        on_time += (not is_late) and item.done is not None
        judged.append((item, is_late))
    text = _("{label}: {on_time} on time, {late} late, {pending} still open within {days} working days").format(
        label=window.label, on_time=on_time, late=late, pending=pending, days=ctx["days"]
    )
    if provisional:
        text += _(" (provisional: holiday data missing for part of the time)")
    status = UNMET if late else (NOT_DUE if pending else MET)
    return Outcome(status, text, _late_first(judged), due=next_due, provisional=provisional)


@_check("duration_at_least", params=("days",))
def duration_at_least(facts: Facts, window: Window, ctx: dict, today: dt.date) -> Outcome:
    """Each notice stayed up at least ``days`` calendar days (a 4+2 resolution posted for seven
    days, 002 L163). ``start`` is when it went up, ``done`` when it came down (None: still up)."""
    if (na := _not_applicable(facts)) is not None:
        return na
    if not facts.items:
        return Outcome(NOT_APPLICABLE, _("{label}: nothing posted in this period.").format(label=window.label))
    short = running = 0
    judged: list[tuple[Evidence, bool]] = []
    next_due = None
    for item in facts.items:
        end = item.done or today
        days = (end - item.start).days
        item.value = days
        is_short = days < ctx["days"] and item.done is not None
        if item.done is None and days < ctx["days"]:
            running += 1
            due = item.start + dt.timedelta(days=ctx["days"])
            next_due = min(next_due or due, due)
        short += is_short
        judged.append((item, is_short))
    text = _("{label}: {n} notices, {short} shorter than {days} days, {running} still up").format(
        label=window.label, n=len(facts.items), short=short, days=ctx["days"], running=running
    )
    status = UNMET if short else (NOT_DUE if running else MET)
    return Outcome(status, text, _late_first(judged), due=next_due)


@_check("term_current", params=("years",), args=("value",))
def term_current(facts: Facts, window: Window, ctx: dict, today: dt.date) -> Outcome:
    """The last election is less than ``years`` old (three-year term, 002 L113)."""
    if (na := _not_applicable(facts)) is not None:
        return na
    elected = facts.values.get(ctx["value"])
    if elected is None:
        return Outcome(UNMET, _("No election is recorded."), facts.items)
    try:
        expires = elected.replace(year=elected.year + ctx["years"])
    except ValueError:  # 29 February
        expires = elected.replace(year=elected.year + ctx["years"], day=28)
    as_of = window.end
    if as_of >= expires:
        return Outcome(
            UNMET,
            _("Elected {elected}; the term ran out on {expires}.").format(
                elected=elected.isoformat(), expires=expires.isoformat()
            ),
            facts.items,
        )
    return Outcome(
        MET,
        _("Elected {elected}; the next election is due by {expires}.").format(
            elected=elected.isoformat(), expires=expires.isoformat()
        ),
        facts.items,
        due=expires,
    )
