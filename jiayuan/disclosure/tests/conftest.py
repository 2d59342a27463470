"""The disclosure world: the web-test world plus a second community (桂花社区) with its own
secretary, and helpers that walk an item through maker-checker as ``staff`` and ``secretary``."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from jiayuan.accounts import services as account_services
from jiayuan.accounts.choices import Role
from jiayuan.core.tests.web_world import PASSWORD, _fast_web_tests, web  # noqa: F401
from jiayuan.disclosure import services
from jiayuan.disclosure.models import DisclosureItem
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

ID_NUMBER = "520302195003041118"
PHONE = "13812345678"


def counts() -> dict[str, int]:
    return {"items": DisclosureItem.objects.count(), "log": LogEntry.objects.count()}


def data(**over) -> dict:
    base = {"section": "affairs", "timing": "periodic", "kind": "quarterly", "title": "第一季度党务居务公开",
            "body": "一、重大决策……", "publisher": "礼仪社区居民委员会"}
    base.update(over)
    return base


@pytest.fixture
def other_community(web):
    street = web.places["street"]
    place = Place.objects.create(kind=PlaceKind.COMMUNITY, code=street.code + "002", name="桂花社区", parent=street)
    secretary = account_services.user_create(actor=None, username="secretary2", password=PASSWORD)
    account_services.role_assign(actor=None, user=secretary, role=Role.COMMUNITY_SECRETARY, place=place)
    web.users["secretary2"] = secretary
    return place


@pytest.fixture
def publish(web):
    """``publish(**fields)`` → a published item of the demo community (staff makes, secretary checks)."""

    def make(on: dt.date | None = None, community=None, **over) -> DisclosureItem:
        item = services.item_draft(actor=web.users["staff"], community=community or web.places["community"],
                                   data=data(**over))
        services.item_approve(actor=web.users["secretary"], item=item)
        return services.item_publish(actor=web.users["staff"], item=item, published_on=on or timezone.localdate())

    return make
