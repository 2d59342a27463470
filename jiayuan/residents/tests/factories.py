import pytest

from jiayuan.accounts.choices import Role
from jiayuan.accounts.models import RoleAssignment, User
from jiayuan.core.idnumber import make_id_number
from jiayuan.core.testing import unit_in
from jiayuan.residents import demo
from jiayuan.residents.services import household_create
from jiayuan.territory.models import Place


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def places(db):
    return demo.build_places()


def make_user(username, role, place=None):
    user = User.objects.create_user(username=username, password="pw-test-123")
    RoleAssignment.objects.create(user=user, role=role, place=place)
    return user


@pytest.fixture
def users(places):
    g = places["grids"]
    return {
        "admin": make_user("admin", Role.ADMIN),
        "district": make_user("district", Role.DISTRICT_STAFF, places["district"]),
        "staff": make_user("staff", Role.COMMUNITY_STAFF, places["community"]),
        "secretary": make_user("secretary", Role.COMMUNITY_SECRETARY, places["community"]),
        "worker1": make_user("worker1", Role.GRID_WORKER, g[0]),
        "worker2": make_user("worker2", Role.GRID_WORKER, g[1]),
    }




@pytest.fixture
def household1(places, users):
    return household_create(actor=users["staff"], unit=unit_in(places["grids"][0]), room="101")


@pytest.fixture
def household2(places, users):
    return household_create(actor=users["staff"], unit=unit_in(places["grids"][1]), room="202")


_seq = iter(range(1, 999, 2))


def id_number(year=1980):
    import datetime as dt

    return make_id_number("520302", dt.date(year, 5, 17), next(_seq))
