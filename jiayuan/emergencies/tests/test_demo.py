"""The demo emergency records: idempotent, with a roster gap on a rest day, one incident closed
with its report acknowledged and one open whose report is still being chased."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiayuan.emergencies import services
from jiayuan.emergencies.demo import build_emergencies
from jiayuan.emergencies.models import Incident
from jiayuan.residents.demo import COMMUNITY
from jiayuan.territory.models import Place


@pytest.mark.django_db
def test_demo_emergencies(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", quiet=True)
    counts = build_emergencies()
    assert counts == {"plans": 2, "shifts": 29, "incidents": 2, "unacknowledged": 1}
    call_command("load_demo", quiet=True)
    assert build_emergencies() == counts
    today = timezone.localdate()
    gaps = services.roster_gaps(Place.objects.get(code=COMMUNITY[0]), today, today + timezone.timedelta(days=29))
    assert len(gaps) == 1 and gaps[0]["workday"] is False
    assert set(Incident.objects.values_list("status", flat=True)) == {"closed", "responding"}
