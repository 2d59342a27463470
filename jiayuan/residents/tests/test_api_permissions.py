"""Permission matrix of every resident and household endpoint and method.

Rows: anonymous / resident (their own household) / worker of another grid / worker of this grid /
community staff / admin. A refused call must change nothing (rows and audit entries).
"""

from __future__ import annotations

import datetime as dt

import pytest

from jiayuan.core.idnumber import make_id_number

from .api_world import _fast_api_tests, assert_matrix, world  # noqa: F401

NEW_NUMBER = make_id_number("520321", dt.date(1990, 1, 2), 33)


def _new_resident(w):
    return {"name": "王小明", "id_number": NEW_NUMBER, "household": w.household_a.pk, "relation_to_head": "20"}


# (method, url(world), body(world) or None, expected status per role in ROLES order)
CASES = {
    "residents list GET": ("GET", lambda w: "/api/v1/residents/", None, [401, 200, 200, 200, 200, 200]),
    "residents list POST": ("POST", lambda w: "/api/v1/residents/", _new_resident, [401, 403, 400, 201, 201, 201]),
    "residents list PUT": ("PUT", lambda w: "/api/v1/residents/", None, [401, 405, 405, 405, 405, 405]),
    "residents list DELETE": ("DELETE", lambda w: "/api/v1/residents/", None, [401, 405, 405, 405, 405, 405]),
    "resident GET": ("GET", lambda w: f"/api/v1/residents/{w.resident_a.pk}/", None, [401, 200, 404, 200, 200, 200]),
    "resident PATCH": (
        "PATCH", lambda w: f"/api/v1/residents/{w.resident_a.pk}/", lambda w: {"education": "20"},
        [401, 403, 404, 200, 200, 200],
    ),
    "resident PUT": (
        "PUT", lambda w: f"/api/v1/residents/{w.resident_a.pk}/", lambda w: {"education": "20"},
        [401, 405, 405, 405, 405, 405],
    ),
    "resident DELETE": ("DELETE", lambda w: f"/api/v1/residents/{w.resident_a.pk}/", None, [401, 405, 405, 405, 405, 405]),
    "resident reveal POST": (
        "POST", lambda w: f"/api/v1/residents/{w.resident_a.pk}/reveal/",
        lambda w: {"field": "id_number", "purpose": "核对低保申请"}, [401, 403, 404, 200, 200, 200],
    ),
    "resident reveal GET": (
        "GET", lambda w: f"/api/v1/residents/{w.resident_a.pk}/reveal/", None, [401, 405, 405, 405, 405, 405],
    ),
    "resident move POST": (
        "POST", lambda w: f"/api/v1/residents/{w.resident_a.pk}/move/",
        lambda w: {"kind": "transfer", "to_household": w.household_a2.pk, "reason": "搬到隔壁"},
        [401, 403, 404, 200, 200, 200],
    ),
    "resident move GET": (
        "GET", lambda w: f"/api/v1/residents/{w.resident_a.pk}/move/", None, [401, 405, 405, 405, 405, 405],
    ),
    "households list GET": ("GET", lambda w: "/api/v1/households/", None, [401, 200, 200, 200, 200, 200]),
    "households list POST": (
        "POST", lambda w: "/api/v1/households/", lambda w: {"unit": w.unit_a.code, "room": "601"},
        [401, 403, 400, 201, 201, 201],
    ),
    "households list DELETE": ("DELETE", lambda w: "/api/v1/households/", None, [401, 405, 405, 405, 405, 405]),
    "household GET": ("GET", lambda w: f"/api/v1/households/{w.household_a.pk}/", None, [401, 200, 404, 200, 200, 200]),
    "household PATCH": (
        "PATCH", lambda w: f"/api/v1/households/{w.household_a.pk}/", lambda w: {"hardship_status": "none"},
        [401, 405, 405, 405, 405, 405],
    ),
    "household PUT": (
        "PUT", lambda w: f"/api/v1/households/{w.household_a.pk}/", lambda w: {"room": "1"},
        [401, 405, 405, 405, 405, 405],
    ),
    "household DELETE": ("DELETE", lambda w: f"/api/v1/households/{w.household_a.pk}/", None, [401, 405, 405, 405, 405, 405]),
}


@pytest.mark.parametrize("case", CASES.keys())
def test_permission_matrix(world, case):
    assert_matrix(world, *CASES[case])


@pytest.mark.parametrize("role", ["secretary", "nobody"])
def test_other_roles_read(world, role):
    """The secretary sees the community; an account without a role sees nothing at all."""
    r = world.client(role).get("/api/v1/residents/")
    assert r.status_code == 200
    assert r.data["count"] == (2 if role == "secretary" else 0)
    assert world.client(role).get(f"/api/v1/residents/{world.resident_a.pk}/").status_code == (
        200 if role == "secretary" else 404
    )


def test_nobody_cannot_create(world):
    before = world.client("nobody").post("/api/v1/residents/", _new_resident(world), format="json")
    assert before.status_code == 403


def test_session_authentication_works(world, client):
    client.force_login(world.users["worker"])
    r = client.get("/api/v1/residents/")
    assert r.status_code == 200 and r.json()["count"] == 1


def test_non_numeric_id_is_404_not_500(world):
    assert world.client("admin").get("/api/v1/residents/abc/").status_code == 404
    assert world.client("admin").get("/api/v1/households/abc/").status_code == 404
