"""The demo community and the completeness task."""

import pytest
from django.core.management import call_command

from jiayuan.accounts.models import User
from jiayuan.residents.models import Household, Resident, ResidentTag
from jiayuan.residents.tasks import refresh_completeness
from jiayuan.territory.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_load_demo_is_complete_and_idempotent():
    call_command("load_demo", quiet=True)
    counts = (Resident.objects.count(), Household.objects.count(), ResidentTag.objects.count())
    assert counts[0] >= 1500
    assert Place.objects.filter(kind="building").count() == 27 and Place.objects.filter(kind="grid").count() == 4
    assert 2.2 <= counts[0] / counts[1] <= 3.0
    names = {"admin", "district", "street", "secretary", "staff", "resident1"} | {f"gridworker{i}" for i in range(1, 5)}
    assert names <= set(User.objects.values_list("username", flat=True))
    assert User.objects.get(username="resident1").resident_profile is not None
    members = Resident.objects.filter(political_status__in=["01", "02"]).count()
    assert 0.04 < members / counts[0] < 0.10
    restricted = ResidentTag.objects.filter(group__sensitivity=3).count()
    assert 0 < restricted < counts[0] * 0.03
    assert Resident.objects.filter(completeness__lt=100).exists()
    call_command("load_demo", quiet=True)
    assert (Resident.objects.count(), Household.objects.count(), ResidentTag.objects.count()) == counts
    assert User.objects.get(username="gridworker1").check_password("jiayuan-demo")


def test_refresh_completeness_repairs_stale_scores():
    call_command("load_demo", quiet=True)
    grid = Place.objects.filter(kind="grid").order_by("code").first()
    Resident.objects.filter(territory_code__startswith=grid.code).update(completeness=0)
    result = refresh_completeness(grid.code)
    assert result["residents_changed"] > 0
    assert not Resident.objects.filter(territory_code__startswith=grid.code, completeness=0).exists()
    assert refresh_completeness(grid.code)["residents_changed"] == 0
