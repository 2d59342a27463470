"""The territory browser pages."""

import pytest

from jiayuan.core.tests.web_world import _fast_web_tests, web  # noqa: F401


def test_roots_for_a_worker_are_their_grid(web):
    response = web.client("worker").get("/places/")
    assert [r["place"] for r in response.context["rows"]] == [web.grid_a]


def test_grid_page_shows_buildings_workers_and_boundary(web):
    response = web.client("worker").get(f"/places/{web.grid_a.code}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "<polygon" in body  # boundary drawn inline, no map tiles
    assert "&quot;Polygon&quot;" in body  # GeoJSON text (escaped in HTML)
    assert "王网格" in body  # grid worker
    assert "1栋" in body
    assert [p.name for p in response.context["breadcrumb"]] == ["新蒲新区", "礼仪街道", "礼仪社区"]


def test_unit_page_lists_households(web):
    response = web.client("staff").get(f"/places/{web.unit_a.code}/")
    assert list(response.context["households"]) == [web.household_a]
    assert f'href="/households/{web.household_a.pk}/"' in response.content.decode()


def test_community_page_for_a_worker_lists_only_their_grid(web):
    response = web.client("worker").get(f"/places/{web.places['community'].code}/")
    assert response.status_code == 200
    assert [r["place"] for r in response.context["rows"]] == [web.grid_a]


@pytest.mark.parametrize(("role", "status"), [("other_worker", 404), ("worker", 200), ("staff", 200), ("admin", 200)])
def test_grid_page_matrix(web, role, status):
    assert web.client(role).get(f"/places/{web.grid_a.code}/").status_code == status


def test_unknown_place_is_404(web):
    assert web.client("admin").get("/places/999999/").status_code == 404
