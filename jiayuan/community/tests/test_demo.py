"""The demo registers tell the rulebook's story (see community/demo.py) and load idempotently."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiayuan.community.demo import build_community_registers
from jiayuan.community.models import FundAllocation, TwoCommitteesSeat
from jiayuan.norms.facts import Subject, Window, provider_for
from jiayuan.residents.demo import COMMUNITY
from jiayuan.territory.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_figures_and_idempotence():
    call_command("load_demo", quiet=True)
    counts = build_community_registers()
    assert counts == {"centres": 1, "allocations": 8, "seats": 10}
    call_command("load_demo", quiet=True)
    assert build_community_registers() == counts
    subject = Subject.for_place(Place.objects.get(code=COMMUNITY[0]))
    today = timezone.localdate()
    year = Window(dt.date(today.year, 1, 1), today, str(today.year))

    def values(name, **ctx):
        return provider_for(name)(subject, year, ctx).values

    households = values("territory.households")["households"]
    centre = values("community.service_center")
    assert centre["area_m2"] == Decimal("150") and centre["rooms_missing"] == 1
    assert centre["area_m2"] >= Decimal(20) * households / 100  # met
    operating = values("community.funds", fund="operating_fund")
    assert operating["amount"] == Decimal("20000") >= 30 * operating["households"]  # met
    activity = values("community.funds", fund="member_activity_fund")
    assert activity["amount"] == Decimal("8000") < 100 * activity["members"]  # not met
    assert values("community.funds", fund="livelihood_fund")["amount"] == Decimal("200000")
    assert values("community.two_committees") == {
        "members": 7, "under_age": 1, "graduates": 2, "cross_appointed": 2, "dual_role": True, "full_time_deputies": 1,
    }
    assert FundAllocation.objects.filter(reverses__isnull=False).count() == 1
    assert TwoCommitteesSeat.objects.filter(resident__isnull=False).count() == 10
