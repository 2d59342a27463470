from __future__ import annotations

import pytest
from django.core.management import call_command

from jiayuan.decisions.demo import TITLE, build_decisions
from jiayuan.decisions.models import DecisionMatter


@pytest.mark.django_db
def test_demo_decision(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", quiet=True)
    counts = build_decisions()
    assert counts == {"matters": 1, "result_published": 1}
    matter = DecisionMatter.objects.get(title=TITLE)
    assert [s.result for s in matter.stages.all()] == ["passed"] * 4
    assert matter.notices.get().objections.count() == 0 and matter.result.text
    assert matter.comments.count() == 2
    vote = matter.stages.get(stage="residents_resolution").resident_vote
    assert vote.meeting.kind == "resident_representative_meeting" and vote.meeting.present == 35
    assert vote.counts == {"yes": 35, "no": 0, "abstain": 0} and vote.result == "passed"  # 全票通过 (002 L163)
    assert vote.is_dual_ballot and vote.household_yes > vote.household_no > 0
    assert build_decisions() == counts  # idempotent
