"""The evaluator and its checks: windows, statuses, evidence, overrides, missing modules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiayuan.norms import checks, periods
from jiayuan.norms.evaluate import evaluate, evaluate_rule
from jiayuan.norms.facts import Evidence, Facts, Subject
from jiayuan.norms.rulebook import rulebook
from jiayuan.norms.services import rule_override_set

TODAY = dt.date(2026, 8, 20)


def meetings(dates_by_type):
    """A stand-in for the meetings module: meetings held on these dates, by type."""

    def provider(subject, window, ctx):
        days = [d for d in dates_by_type.get(ctx["meeting_type"], []) if window.contains(d)]
        return Facts(items=[Evidence(label=f"会议 {d}", url=f"/meetings/{d}", date=d) for d in days])

    return provider


def test_periods_parse_and_reject():
    assert periods.parse_period("2026-Q3") == periods.Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026-Q3")
    assert periods.parse_period("2026-h2").start == dt.date(2026, 7, 1)
    assert periods.parse_period("2026-02").end == dt.date(2026, 2, 28)
    assert periods.parse_period("2024-02").end == dt.date(2024, 2, 29)
    for bad in ["", "26-Q3", "2026-Q5", "2026-13", "2026-00", "1800", "drop table", "2026-Q3x"]:
        with pytest.raises(periods.PeriodError):
            periods.parse_period(bad)


def test_windows_of_a_quarter():
    q3 = periods.parse_period("2026-Q3")
    assert [w.label for w in periods.windows("month", q3, TODAY)] == ["2026-07", "2026-08", "2026-09"]
    assert [w.label for w in periods.windows("half_year", q3, TODAY)] == ["2026-H2"]
    assert [w.label for w in periods.windows("year", q3, TODAY)] == ["2026"]
    assert [w.label for w in periods.windows("two_years", q3, TODAY)] == ["2025-2026"]
    standing = periods.windows("none", q3, TODAY)[0]
    assert (standing.start, standing.end) == (dt.date(2026, 7, 1), TODAY)  # as of today while running


@pytest.mark.django_db
def test_monthly_rule_over_a_quarter(web, provide):
    provide("meetings.held", meetings({"branch_committee": [dt.date(2026, 7, 3)]}))
    subject = Subject.for_place(web.places["community"])
    rule = rulebook()["N-MEET-01"]
    result = evaluate_rule(rule, subject, periods.parse_period("2026-Q3"), today=TODAY)
    # July held, August still running, September not begun: nothing is late yet
    assert [w.status for w in result.windows] == [checks.MET, checks.NOT_DUE, checks.NOT_DUE]
    assert result.status == checks.NOT_DUE and result.due == dt.date(2026, 8, 31)
    assert [e.url for e in result.evidence] == ["/meetings/2026-07-03"]
    # once August is over with no meeting, the quarter is not met
    late = evaluate_rule(rule, subject, periods.parse_period("2026-Q3"), today=dt.date(2026, 9, 2))
    assert late.status == checks.UNMET
    assert "2026-08" in late.explanation


@pytest.mark.django_db
def test_rule_without_its_module_is_not_evaluable(web):
    # N-STD-04b reads training.days, whose module (training) is not built yet (the meetings and
    # cases modules that N-MEET-01 and N-APPEAL-03 need now exist).
    subject = Subject.for_place(web.places["community"])
    result = evaluate_rule(rulebook()["N-STD-04b"], subject, periods.parse_period("2026-Q3"), today=TODAY)
    assert result.status == checks.NOT_EVALUABLE
    assert "参训" in result.explanation or "training" in result.explanation


@pytest.mark.django_db
def test_rule_for_another_kind_of_place_is_not_applicable(web, provide):
    provide("meetings.held", meetings({}), subjects=("community", "street"))
    street = Subject.for_place(web.places["street"])
    result = evaluate_rule(rulebook()["N-MEET-01"], street, periods.parse_period("2026-Q3"), today=TODAY)
    assert result.status == checks.NOT_APPLICABLE


@pytest.mark.django_db
def test_every_rule_gets_a_result(web):
    subject = Subject.for_place(web.places["community"])
    results = evaluate(subject, periods.parse_period("2026-Q3"), today=TODAY)
    assert len(results) == len(rulebook())
    assert {r.status for r in results} <= set(checks.STATUSES)
    assert all(r.explanation for r in results)


@pytest.mark.django_db
def test_override_changes_one_community_only(web, other_community, provide):
    lectures = {"party_lecture": [dt.date(2026, 3, 10)]}  # one lecture in H1, none in H2
    provide("meetings.held", meetings(lectures))
    rule = rulebook()["N-MEET-04"]
    period = periods.parse_period("2026")
    today = dt.date(2027, 1, 5)
    here, there = Subject.for_place(web.places["community"]), Subject.for_place(other_community)
    assert evaluate_rule(rule, here, period, today=today).status == checks.UNMET  # H2 missed
    # 003 L319: "at least one Party lecture a year" adopted by the first community only
    rule_override_set(
        actor=web.users["secretary"], rule_id=rule.id, parameter="period",
        place=web.places["community"], value="year", reason="按 003 L319 每年至少讲一次党课",
    )
    adapted = evaluate_rule(rule, here, period, today=today)
    assert adapted.status == checks.MET
    assert adapted.params["period"].overridden and adapted.params["period"].value == "year"
    untouched = evaluate_rule(rule, there, period, today=today)
    assert not untouched.params["period"].overridden and untouched.params["period"].value == "half_year"
    assert untouched.status == checks.UNMET  # the other community's evidence is the same stand-in


@pytest.mark.django_db
def test_nearest_override_wins(web, provide):
    provide("meetings.held", meetings({}))
    rule = rulebook()["N-MEET-01"]
    admin = web.users["admin"]
    rule_override_set(actor=admin, rule_id=rule.id, parameter="times", place=web.places["district"], value=3, reason="区")
    rule_override_set(actor=admin, rule_id=rule.id, parameter="times", place=web.places["community"], value=2, reason="社区")
    result = evaluate_rule(rule, Subject.for_place(web.places["community"]), periods.parse_period("2026-07"), today=TODAY)
    assert result.params["times"].value == 2
    street = evaluate_rule(rule, Subject.for_place(web.places["street"]), periods.parse_period("2026-07"), today=TODAY)
    assert street.params["times"].value == 3


def _facts(**values):
    return Facts(values=values)


W = periods.parse_period("2026-Q3").as_window()


def test_checks_on_numbers():
    between = checks.CHECKS["value_between"].func
    assert between(_facts(members=7), W, {"value": "members", "min": 5, "max": 9}, TODAY).status == checks.MET
    assert between(_facts(members=4), W, {"value": "members", "min": 5, "max": 9}, TODAY).status == checks.UNMET
    assert between(_facts(), W, {"value": "members", "min": 5, "max": 9}, TODAY).status == checks.UNMET
    per_unit = checks.CHECKS["per_unit_at_least"].func
    ctx = {"value": "area_m2", "base": "households", "rate": Decimal(20), "per": 100}
    ok = per_unit(_facts(area_m2=Decimal("150"), households=630), W, ctx, TODAY)
    assert ok.status == checks.MET and "126" in ok.explanation
    assert per_unit(_facts(area_m2=Decimal("100"), households=630), W, ctx, TODAY).status == checks.UNMET
    na = checks.CHECKS["value_at_least"].func(_facts(applicable=False, reason="无"), W, {"value": "x", "min": 1}, TODAY)
    assert na.status == checks.NOT_APPLICABLE


@pytest.mark.django_db
def test_working_day_deadline_check():
    check = checks.CHECKS["within_workdays"].func
    on_time = Evidence("诉求 1", start=dt.date(2026, 9, 30), done=dt.date(2026, 10, 13))
    late = Evidence("诉求 2", start=dt.date(2026, 9, 30), done=dt.date(2026, 10, 14))
    open_ = Evidence("诉求 3", start=dt.date(2026, 10, 9), done=None)
    outcome = check(Facts(items=[on_time, open_]), W, {"days": 5}, dt.date(2026, 10, 12))
    assert outcome.status == checks.NOT_DUE and outcome.due == dt.date(2026, 10, 15)  # 10-10 is a make-up workday
    outcome = check(Facts(items=[on_time, late]), W, {"days": 5}, dt.date(2026, 11, 1))
    assert outcome.status == checks.UNMET and outcome.evidence[0] is late  # the late one first
    # across the end of the holiday data: provisional, never a crash
    outcome = check(Facts(items=[Evidence("诉求", start=dt.date(2026, 12, 28))]), W, {"days": 10}, dt.date(2026, 12, 29))
    assert outcome.status == checks.NOT_DUE and outcome.provisional


def test_notice_period_check():
    check = checks.CHECKS["duration_at_least"].func
    full = Evidence("公示", start=dt.date(2026, 7, 1), done=dt.date(2026, 7, 8))
    short = Evidence("公示", start=dt.date(2026, 7, 1), done=dt.date(2026, 7, 5))
    assert check(Facts(items=[full]), W, {"days": 7}, TODAY).status == checks.MET
    assert check(Facts(items=[full, short]), W, {"days": 7}, TODAY).status == checks.UNMET
    up = Evidence("公示", start=dt.date(2026, 8, 18))
    assert check(Facts(items=[up]), W, {"days": 7}, TODAY).status == checks.NOT_DUE


def test_term_check():
    check = checks.CHECKS["term_current"].func
    assert check(_facts(elected_on=dt.date(2024, 3, 1)), W, {"value": "elected_on", "years": 3}, TODAY).status == checks.MET
    assert check(_facts(elected_on=dt.date(2023, 3, 1)), W, {"value": "elected_on", "years": 3}, TODAY).status == checks.UNMET
    assert check(_facts(), W, {"value": "elected_on", "years": 3}, TODAY).status == checks.UNMET
    leap = check(_facts(elected_on=dt.date(2024, 2, 29)), W, {"value": "elected_on", "years": 3}, TODAY)
    assert leap.due == dt.date(2027, 2, 28)
