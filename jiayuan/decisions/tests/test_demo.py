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
    assert build_decisions() == counts  # idempotent
