"""Fixtures of the rulebook tests: a second community beside the demo one, and fact providers
standing in for modules that are not built yet (registered for one test only)."""

from __future__ import annotations

import pytest

from jiayuan.accounts import services as account_services
from jiayuan.accounts.choices import Role
from jiayuan.core.tests.web_world import PASSWORD, Web, _fast_web_tests, web  # noqa: F401
from jiayuan.norms import facts
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place


@pytest.fixture
def other_community(web):
    """礼仪街道's second community, with its own secretary."""
    place = Place.objects.create(
        kind=PlaceKind.COMMUNITY, code=web.places["street"].code + "002", name="桂花社区", parent=web.places["street"]
    )
    secretary = account_services.user_create(actor=None, username="secretary2", password=PASSWORD)
    account_services.role_assign(actor=None, user=secretary, role=Role.COMMUNITY_SECRETARY, place=place)
    web.users["secretary2"] = secretary
    return place


@pytest.fixture
def provide(monkeypatch):
    """``provide("meetings.held", func)`` registers a provider for the test's duration."""

    def register(name, func, subjects=("community",)):
        monkeypatch.setitem(facts._registry, name, facts.FactProvider(name, func, frozenset(subjects)))

    return register
