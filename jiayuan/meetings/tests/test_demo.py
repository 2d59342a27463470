"""The demo's year of meetings: idempotent, and the rulebook finds the deliberate gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiayuan.meetings.demo import _months, build_meetings
from jiayuan.meetings.models import Meeting, VisitTask
from jiayuan.norms import checks, periods
from jiayuan.norms.evaluate import evaluate_rule
from jiayuan.norms.facts import Subject
from jiayuan.norms.rulebook import rulebook
from jiayuan.residents.demo import COMMUNITY
from jiayuan.territory.models import Place


@pytest.mark.django_db
def test_demo_meetings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", quiet=True)
    counts = build_meetings()
    assert counts["held"] > 60 and counts["attendance"] > 1000 and counts["visit_tasks"] >= 1
    call_command("load_demo", quiet=True)
    assert build_meetings() == counts  # idempotent

    today = timezone.localdate()
    months = _months(today)
    subject = Subject.for_place(Place.objects.get(code=COMMUNITY[0]))
    span = periods.Period(dt.date(*months[0], 1), dt.date(today.year, today.month, 1) - dt.timedelta(days=1), "demo")
    after = today + dt.timedelta(days=400)
    committee = evaluate_rule(rulebook()["N-MEET-01"], subject, span, today=after)
    missing = [w.label for w in committee.windows if w.status == checks.UNMET]
    assert missing == [f"{y}-{m:02d}" for y, m in (months[8], months[11])]
    general = evaluate_rule(rulebook()["N-MEET-03"], subject, span, today=after)
    y, m = months[8]
    assert f"{y}-Q{(m - 1) // 3 + 1}" in [w.label for w in general.windows if w.status == checks.UNMET]
    groups = evaluate_rule(rulebook()["N-MEET-02"], subject, span, today=after)
    assert groups.status == checks.MET  # the groups together met every month
    task = VisitTask.objects.get(reason="missed_meetings", status="open")
    assert "3" in task.trigger
    assert Meeting.objects.filter(status="scheduled", starts_at__gt=timezone.now()).count() == 1
    assert Meeting.objects.filter(status="scheduled", starts_at__lt=timezone.now()).count() == 1
