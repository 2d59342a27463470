"""A small world for the web-page tests: the demo place tree, one user per role (signed in
with ``force_login``), households in grids 1 and 2 and residents built through the services.

Test modules import the fixtures from here (``from jiayuan.core.tests.web_world import ...``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.test import Client

from jiayuan.accounts import services as account_services
from jiayuan.accounts.choices import Role
from jiayuan.accounts.models import User
from jiayuan.core.idnumber import make_id_number
from jiayuan.core.testing import registry_counts, unit_in  # noqa: F401
from jiayuan.residents import services
from jiayuan.residents.demo import build_places
from jiayuan.residents.models import Household, Resident, ResidentMove, ResidentTag
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

PASSWORD = "correct horse battery"
A_NUMBER = make_id_number("520302", dt.date(1950, 3, 4), 11)
A_PHONE = "13812345678"
A2_NUMBER = make_id_number("520302", dt.date(1980, 5, 6), 24)  # incomplete record in grid 1
B_NUMBER = make_id_number("520303", dt.date(1985, 7, 9), 22)
NEW_NUMBER = make_id_number("520321", dt.date(1990, 1, 2), 33)


@dataclass
class Web:
    places: dict
    users: dict[str, User]
    grid_a: Place
    grid_b: Place
    unit_a: Place
    household_a: Household
    household_b: Household
    resident_a: Resident
    resident_a2: Resident
    resident_b: Resident

    def client(self, role: str, *, language: str | None = None) -> Client:
        """A browser-like client signed in as ``role`` (``anonymous``: not signed in)."""
        client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client




@pytest.fixture(autouse=True)
def _fast_web_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def web(db) -> Web:
    places = build_places()
    community, grid_a, grid_b = places["community"], places["grids"][0], places["grids"][1]

    def user(name: str, role: str | None, place: Place | None = None, full_name: str = "") -> User:
        u = account_services.user_create(actor=None, username=name, password=PASSWORD, full_name=full_name)
        if role:
            account_services.role_assign(actor=None, user=u, role=role, place=place)
        return u

    users = {
        "admin": user("admin", Role.ADMIN, full_name="管理员"),
        "district": user("district", Role.DISTRICT_STAFF, places["district"]),
        "street": user("street", Role.STREET_STAFF, places["street"]),
        "secretary": user("secretary", Role.COMMUNITY_SECRETARY, community),
        "staff": user("staff", Role.COMMUNITY_STAFF, community),
        "worker": user("worker", Role.GRID_WORKER, grid_a, full_name="王网格"),
        "other_worker": user("other_worker", Role.GRID_WORKER, grid_b),
        "resident": user("resident", None),
        "nobody": user("nobody", None),
    }
    admin = users["admin"]
    unit_a = unit_in(grid_a)
    household_a = services.household_create(actor=admin, unit=unit_a, room="101")
    household_b = services.household_create(actor=admin, unit=unit_in(grid_b), room="201")
    resident_a = services.resident_create(actor=admin, data={
        "name": "张建国", "id_number": A_NUMBER, "phone": A_PHONE, "household": household_a,
        "relation_to_head": "02", "ethnicity": "01", "political_status": "01", "residence_type": "registered",
        "education": "60", "employment_status": "retired",
        "tags": ["solitary_elder", "community_correction"],
    })
    resident_a2 = services.resident_create(actor=admin, data={
        "name": "张小红", "id_number": A2_NUMBER, "household": household_a, "relation_to_head": "30",
    })
    resident_b = services.resident_create(actor=admin, data={
        "name": "李秀英", "id_number": B_NUMBER, "phone": "13987654321", "household": household_b,
        "relation_to_head": "02", "ethnicity": "06", "tags": ["disabled_person"],
    })
    Resident.objects.filter(pk=resident_a.pk).update(user=users["resident"])
    account_services.role_assign(actor=None, user=users["resident"], role=Role.RESIDENT)
    return Web(
        places=places, users=users, grid_a=grid_a, grid_b=grid_b, unit_a=unit_a,
        household_a=household_a, household_b=household_b,
        resident_a=Resident.objects.get(pk=resident_a.pk), resident_a2=Resident.objects.get(pk=resident_a2.pk),
        resident_b=Resident.objects.get(pk=resident_b.pk),
    )
