"""The rulebook facts ``cases.first_reply`` and ``cases.visits`` against N-APPEAL-02..04.

Dates are set with ``QuerySet.update`` after the services wrote the rows (test-only back-dating:
the services stamp ``timezone.now()``)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jiayuan.cases.models import Case, CaseEvent
from jiayuan.norms import checks, periods
from jiayuan.norms.evaluate import evaluate_rule
from jiayuan.norms.facts import Subject, Window, provider_for
from jiayuan.norms.rulebook import rulebook

from .conftest import act, report, walk

AFTER = dt.date(2027, 6, 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def received(case, day: dt.date, replied: dt.date | None):
    Case.objects.filter(pk=case.pk).update(received_at=at(day), replied_on=replied)


def test_first_reply_within_5_working_days_across_the_national_day(web):
    on_time = act(web, report(web, title="按时"), "accept")
    late = act(web, report(web, title="超时"), "accept")
    other_kind = report(web, kind="grid_event", title="网格事件")
    received(on_time, dt.date(2026, 9, 30), dt.date(2026, 10, 13))  # the 5th working day after 30 Sep
    received(late, dt.date(2026, 9, 30), dt.date(2026, 10, 14))
    received(other_kind, dt.date(2026, 9, 30), None)
    subject = Subject.for_place(web.places["community"])
    rule = rulebook()["N-APPEAL-02"]
    result = evaluate_rule(rule, subject, periods.parse_period("2026-Q3"), today=AFTER)
    assert result.status == checks.UNMET
    assert "1" in result.explanation
    assert [e.label.split(" ", 1)[1] for e in result.evidence] == ["超时", "按时"]  # late first
    Case.objects.filter(pk=late.pk).update(replied_on=dt.date(2026, 10, 12))
    assert evaluate_rule(rule, subject, periods.parse_period("2026-Q3"), today=AFTER).status == checks.MET


def test_unanswered_appeal_is_not_due_then_late(web):
    case = report(web)
    received(case, dt.date(2026, 9, 30), None)
    subject = Subject.for_place(web.places["community"])
    rule = rulebook()["N-APPEAL-02"]
    assert evaluate_rule(rule, subject, periods.parse_period("2026-Q3"), today=dt.date(2026, 10, 9)).status == checks.NOT_DUE
    assert evaluate_rule(rule, subject, periods.parse_period("2026-Q3"), today=dt.date(2026, 10, 14)).status == checks.UNMET


def test_merged_duplicates_are_not_counted(web):
    kept, dup = report(web), report(web)
    act(web, dup, "merge", into=kept)
    facts = provider_for("cases.first_reply")(Subject.for_place(web.places["community"]),
                                              Window(timezone.localdate(), timezone.localdate(), "t"), {"days": 5})
    assert [e.label.split(" ")[0] for e in facts.items] == [kept.tracking_no]


def test_visit_days_and_return_visit_days(web):
    case = act(web, report(web), "accept")
    case = act(web, case, "home_visit", comment="入户了解情况")
    other = act(web, act(web, report(web), "accept"), "home_visit", comment="第二次走访")
    CaseEvent.objects.filter(case=case, kind="visited_home").update(at=at(dt.date(2026, 8, 5)))
    CaseEvent.objects.filter(case=other, kind="visited_home").update(at=at(dt.date(2026, 8, 10)))
    subject = Subject.for_place(web.places["community"])
    visit_rule = rulebook()["N-APPEAL-03"]
    result = evaluate_rule(visit_rule, subject, periods.parse_period("2026-08"), today=AFTER)
    assert result.status == checks.MET and len(result.evidence) == 1
    assert evaluate_rule(visit_rule, subject, periods.parse_period("2026-07"), today=AFTER).status == checks.UNMET

    done = walk(web, report(web), "visited")
    # February has 28 days: the return-visit days 29-30 become its last two days, 27-28 (C-13)
    CaseEvent.objects.filter(case=done, kind="visited").update(at=at(dt.date(2026, 2, 27)))
    return_rule = rulebook()["N-APPEAL-04"]
    assert evaluate_rule(return_rule, subject, periods.parse_period("2026-02"), today=AFTER).status == checks.MET
    CaseEvent.objects.filter(case=done, kind="visited").update(at=at(dt.date(2026, 3, 27)))
    assert evaluate_rule(return_rule, subject, periods.parse_period("2026-03"), today=AFTER).status == checks.UNMET


def test_facts_run_one_query(web):
    for i in range(3):
        act(web, act(web, report(web, title=f"c{i}"), "accept"), "home_visit")
    subject = Subject.for_place(web.places["community"])
    window = Window(timezone.localdate() - dt.timedelta(days=40), timezone.localdate(), "t")
    with CaptureQueriesContext(connection) as q:
        provider_for("cases.first_reply")(subject, window, {"days": 5})
    assert len(q) == 1
    with CaptureQueriesContext(connection) as q:
        provider_for("cases.visits")(subject, window, {"visit": "visit_day", "first_day": 1, "last_day": 31})
    assert len(q) == 1
