"""Places and grids over the API: permission matrix, scope, counts in fixed queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiayuan.core.idnumber import make_id_number
from jiayuan.residents import services
from jiayuan.residents.tests.api_world import _fast_api_tests, assert_matrix, world  # noqa: F401

CASES = {
    "grids GET": ("GET", lambda w: "/api/v1/grids/", None, [401, 200, 200, 200, 200, 200]),
    "grids POST": ("POST", lambda w: "/api/v1/grids/", lambda w: {"code": "1"}, [401, 405, 405, 405, 405, 405]),
    "places GET": ("GET", lambda w: "/api/v1/places/", None, [401, 200, 200, 200, 200, 200]),
    "places POST": ("POST", lambda w: "/api/v1/places/", lambda w: {"code": "1"}, [401, 405, 405, 405, 405, 405]),
    # the resident sees the chain of places above their household (names for the breadcrumb)
    "place GET": ("GET", lambda w: f"/api/v1/places/{w.grid_a.code}/", None, [401, 200, 404, 200, 200, 200]),
    "place sibling GET": ("GET", lambda w: f"/api/v1/places/{w.grid_b.code}/", None, [401, 404, 200, 404, 200, 200]),
    "place PATCH": (
        "PATCH", lambda w: f"/api/v1/places/{w.grid_a.code}/", lambda w: {"name": "x"}, [401, 405, 405, 405, 405, 405],
    ),
    "place DELETE": ("DELETE", lambda w: f"/api/v1/places/{w.grid_a.code}/", None, [401, 405, 405, 405, 405, 405]),
}


@pytest.mark.parametrize("case", CASES.keys())
def test_permission_matrix(world, case):
    assert_matrix(world, *CASES[case])


def _grids(response) -> dict[str, dict]:
    assert response.status_code == 200
    return {g["code"]: g for g in response.data["results"]}


def test_grid_list_is_scoped_and_counts(world):
    mine = _grids(world.client("worker").get("/api/v1/grids/"))
    assert list(mine) == [world.grid_a.code]
    grid = mine[world.grid_a.code]
    assert grid["name"] == "第一网格" and grid["workers"] == ["worker"]
    assert grid["community_code"] == world.places["community"].code and grid["community_name"] == "礼仪社区"
    assert grid["boundary"]["type"] == "Polygon"
    assert grid["resident_count"] == 1 and grid["complete_count"] == 0 and grid["completeness_percent"] == 0
    assert _grids(world.client("resident").get("/api/v1/grids/")) == {}
    everything = _grids(world.client("admin").get("/api/v1/grids/"))
    assert len(everything) == 4
    assert everything[world.grid_b.code]["workers"] == ["other_worker"]
    assert everything[world.places["grids"][3].code]["resident_count"] == 0


def test_grid_list_queries_do_not_grow(world):
    client = world.client("admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/grids/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i, grid in enumerate(world.places["grids"]):
        services.resident_create(actor=world.users["admin"], data={
            "name": f"网格居民{i}", "id_number": make_id_number("520302", dt.date(1970, 1, 1 + i), 201),
            "grid_code": grid.code,
        })
    assert count() == before


def test_places_are_scoped_and_filtered(world):
    client = world.client("other_worker")
    codes = {p["code"] for p in client.get("/api/v1/places/", {"kind": "grid"}).data["results"]}
    assert codes == {world.grid_b.code}
    children = client.get("/api/v1/places/", {"parent": world.places["community"].code}).data["results"]
    assert [p["code"] for p in children] == [world.grid_b.code]
    assert client.get("/api/v1/places/", {"parent": world.grid_a.code}).data["count"] == 0
    assert client.get("/api/v1/places/", {"kind": "planet"}).status_code == 400
    admin = world.client("admin").get("/api/v1/places/", {"kind": "grid"}).data
    assert admin["count"] == 4
    detail = world.client("worker").get(f"/api/v1/places/{world.unit_a.code}/").data
    assert detail["kind"] == "unit" and detail["parent_code"] == world.unit_a.code[:18]
