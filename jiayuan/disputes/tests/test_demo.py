"""The demo disputes: idempotent, built through the services, with the shapes the pages show."""

import pytest
from django.core.management import call_command

from jiayuan.disputes.demo import build_disputes
from jiayuan.disputes.models import Dispute, MediationAgreement


@pytest.mark.django_db
def test_demo_disputes(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", quiet=True)
    counts = build_disputes()
    assert counts["rounds"] == 2 and counts["disputes"] == 12 and counts["street"] == 1
    call_command("load_demo", quiet=True)
    assert build_disputes() == counts
    assert MediationAgreement.objects.filter(signed_at__isnull=False).count() == 1
    statuses = set(Dispute.objects.values_list("status", flat=True))
    assert {"registered", "assigned", "mediating", "followed_up", "closed"} <= statuses
    assert len(set(Dispute.objects.values_list("kind", flat=True))) == 6
    assert Dispute.objects.get(level="street").events.filter(kind="escalated").exists()
