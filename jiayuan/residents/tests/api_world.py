"""A small world for API tests: the demo place tree, one user per role, two households in two
grids and residents built through the services.

Test modules import the fixtures they use from here (``from jiayuan.residents.tests.api_world
import ...``); every fixture is function-scoped, so each test starts from the same rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jiayuan.accounts import services as account_services
from jiayuan.accounts.choices import Role
from jiayuan.accounts.models import User
from jiayuan.core.idnumber import make_id_number
from jiayuan.core.testing import registry_counts, unit_in  # noqa: F401
from jiayuan.residents import services
from jiayuan.residents.demo import build_places
from jiayuan.residents.models import Household, Resident, ResidentTag
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

PASSWORD = "correct horse battery"
# The six rows of every permission matrix (architecture.md §4.6).
ROLES = ["anonymous", "resident", "other_worker", "worker", "staff", "admin"]

A_NUMBER = make_id_number("520302", dt.date(1950, 3, 4), 11)  # male, the resident with an account
A_PHONE = "13812345678"
B_NUMBER = make_id_number("520303", dt.date(1985, 7, 9), 22)  # female, grid 2


@dataclass
class World:
    places: dict
    users: dict[str, User]
    tokens: dict[str, str]
    grid_a: Place
    grid_b: Place
    unit_a: Place
    unit_b: Place
    household_a: Household
    household_a2: Household
    household_b: Household
    resident_a: Resident
    resident_b: Resident
    extra: dict = field(default_factory=dict)

    def client(self, role: str, *, language: str | None = None) -> APIClient:
        """An API client signed in (with a token) as the user of ``role``; anonymous has none."""
        client = APIClient()
        if language:
            client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION="Token " + self.tokens[role])
        return client




@pytest.fixture(autouse=True)
def _fast_api_tests(settings):
    """Fast password hashing, and a fresh throttle cache so the login rate never trips."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    places = build_places()
    community = places["community"]
    grid_a, grid_b = places["grids"][0], places["grids"][1]

    def user(name: str, role: str | None, place: Place | None = None) -> User:
        u = account_services.user_create(actor=None, username=name, password=PASSWORD, full_name=name)
        if role:
            account_services.role_assign(actor=None, user=u, role=role, place=place)
        return u

    users = {
        "admin": user("admin", Role.ADMIN),
        "secretary": user("secretary", Role.COMMUNITY_SECRETARY, community),
        "staff": user("staff", Role.COMMUNITY_STAFF, community),
        "worker": user("worker", Role.GRID_WORKER, grid_a),
        "other_worker": user("other_worker", Role.GRID_WORKER, grid_b),
        "resident": user("resident", None),
        "nobody": user("nobody", None),
    }
    admin = users["admin"]
    unit_a, unit_b = unit_in(grid_a), unit_in(grid_b)
    household_a = services.household_create(actor=admin, unit=unit_a, room="101")
    household_a2 = services.household_create(actor=admin, unit=unit_a, room="102")
    household_b = services.household_create(actor=admin, unit=unit_b, room="201")
    resident_a = services.resident_create(actor=admin, data={
        "name": "张建国", "id_number": A_NUMBER, "phone": A_PHONE, "household": household_a,
        "relation_to_head": "02", "ethnicity": "01", "tags": ["solitary_elder", "community_correction"],
    })
    resident_b = services.resident_create(actor=admin, data={
        "name": "李秀英", "id_number": B_NUMBER, "phone": "13987654321", "household": household_b,
        "relation_to_head": "02", "ethnicity": "06", "tags": ["disabled_person"],
    })
    # The resident's own account: linked through Resident.user and given the resident role.
    Resident.objects.filter(pk=resident_a.pk).update(user=users["resident"])
    account_services.role_assign(actor=None, user=users["resident"], role=Role.RESIDENT)
    tokens = {name: Token.objects.create(user=u).key for name, u in users.items()}
    return World(
        places=places, users=users, tokens=tokens, grid_a=grid_a, grid_b=grid_b, unit_a=unit_a, unit_b=unit_b,
        household_a=household_a, household_a2=household_a2, household_b=household_b,
        resident_a=Resident.objects.get(pk=resident_a.pk), resident_b=Resident.objects.get(pk=resident_b.pk),
    )


def call(client: APIClient, method: str, url: str, data=None):
    """One request with a JSON body (for the methods that take one)."""
    fn = getattr(client, method.lower())
    if method.upper() in {"GET", "HEAD", "OPTIONS", "DELETE"} and data is None:
        return fn(url)
    return fn(url, data or {}, format="json")


def assert_matrix_row(world: World, role: str, method: str, url: str, data, expected: int):
    """Call as ``role``; check the status, and that a refused or read-only call wrote nothing."""
    before = registry_counts()
    response = call(world.client(role), method, url, data)
    assert response.status_code == expected, (role, method, url, response.status_code, getattr(response, "data", None))
    if expected >= 400 or method.upper() == "GET":
        assert registry_counts() == before, (role, method, url)
    return response


def assert_matrix(world: World, method: str, url, body, expected: list[int]) -> None:
    """One matrix line: every role of :data:`ROLES` in turn, each on the same starting rows (the
    call runs in a savepoint that is rolled back). ``url`` and ``body`` take the world."""
    assert len(expected) == len(ROLES)
    for role, status in zip(ROLES, expected, strict=True):
        with transaction.atomic():
            assert_matrix_row(world, role, method, url(world), body(world) if body else None, status)
            transaction.set_rollback(True)
