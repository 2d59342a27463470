"""The demo's year of cases: idempotent, every kind, the sweep escalates the overdue ones, and the
rulebook finds on-time and late first replies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiayuan.cases import services
from jiayuan.cases.choices import CaseChannel, CaseKind, CaseStatus
from jiayuan.cases.demo import build_cases
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.norms import checks, periods
from jiayuan.norms.evaluate import evaluate_rule
from jiayuan.norms.facts import Subject
from jiayuan.norms.rulebook import rulebook
from jiayuan.residents.demo import COMMUNITY
from jiayuan.territory.models import Place


@pytest.mark.django_db
def test_demo_cases(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", quiet=True)
    counts = build_cases()
    assert counts["cases"] > 80 and counts["closed"] > 50 and counts["overdue_now"] == 3
    call_command("load_demo", quiet=True)
    assert build_cases() == counts  # idempotent

    today = timezone.localdate()
    assert set(Case.objects.values_list("kind", flat=True)) == set(CaseKind.values)
    assert set(Case.objects.values_list("channel", flat=True)) >= set(CaseChannel.values) - {"web", "open311"}
    assert Case.objects.filter(status=CaseStatus.MERGED).count() == 0  # merged then closed
    assert Case.objects.filter(merged_into__isnull=False).count() == 1
    assert CaseEvent.objects.filter(kind="reopened").count() == 1
    assert Case.objects.filter(level="street").count() == 1
    assert Case.objects.exclude(rating=None).count() > 40
    assert not CaseEvent.objects.filter(at__date__gt=today).exists()
    assert not Case.objects.filter(received_at__date__gt=today).exists()

    subject = Subject.for_place(Place.objects.get(code=COMMUNITY[0]))
    year = periods.Period(today - dt.timedelta(days=365), today - dt.timedelta(days=28), "demo")
    result = evaluate_rule(rulebook()["N-APPEAL-02"], subject, year, today=today)
    assert result.status == checks.UNMET  # mostly on time, about one in ten late
    assert len(result.evidence) > 10
    visits = evaluate_rule(rulebook()["N-APPEAL-04"], subject, year, today=today)
    assert any(w.status == checks.MET for w in visits.windows)

    swept = services.overdue_sweep()
    assert swept["escalated"] == 3 and swept["reminders"] >= 3
    assert services.overdue_sweep() == {"overdue": 0, "escalated": 0, "reminders": 0}
