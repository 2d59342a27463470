"""The grid worker's phone page: a grid event inside their own grid, with building, location,
coordinates and photos; refused outside the grid and for everybody else."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiayuan.cases.models import Case
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .conftest import counts, png_bytes


def building_in(grid):
    return Place.objects.filter(kind=PlaceKind.BUILDING, parent=grid).order_by("code").first()


def post(web, role="worker", **extra):
    data = {"grid": web.grid_a.pk, "category": "environment", "building": "", "title": "",
            "description": "3栋门口井盖松动", "location": "3栋东侧", "lat": "", "lng": ""}
    data.update(extra)
    return web.client(role).post("/cases/grid-report/", data)


def test_page_for_grid_workers_only(web):
    r = web.client("worker").get("/cases/grid-report/")
    body = r.content.decode()
    assert r.status_code == 200 and 'name="lat"' in body and "geolocation" in body
    assert building_in(web.grid_a).name in body and building_in(web.grid_b).code not in body
    for role in ("staff", "secretary", "resident", "nobody"):
        assert web.client(role).get("/cases/grid-report/").status_code == 403, role
    assert web.client("anonymous").get("/cases/grid-report/").status_code == 302


def test_grid_worker_reports_with_building_coordinates_and_photo(web):
    building = building_in(web.grid_a)
    r = post(web, building=building.pk, lat="27.734512", lng="106.927391",
             attachments=SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == case.get_absolute_url()
    assert (case.kind, case.channel, case.place_id) == ("grid_event", "grid_worker", building.pk)
    assert case.territory_code.startswith(web.grid_a.code) and str(case.lat) == "27.734512"
    assert case.created_by == web.users["worker"] and case.reporter_user is None
    assert case.attachments.count() == 1 and case.title.startswith("环境卫生")


def test_works_without_coordinates_at_the_grid(web):
    assert post(web).status_code == 302
    case = Case.objects.get()
    assert case.place == web.grid_a and case.lat is None


@pytest.mark.parametrize("extra", [
    lambda web: {"grid": web.grid_b.pk},
    lambda web: {"building": building_in(web.grid_b).pk},
    lambda web: {"grid": web.places["community"].pk},
])
def test_a_place_outside_the_grid_is_refused(web, extra):
    before = counts()
    r = post(web, **extra(web))
    assert r.status_code == 400 and counts() == before


@pytest.mark.parametrize("extra", [
    {"description": ""}, {"category": "property"}, {"lat": "91"}, {"lng": "abc"},
])
def test_bad_input_is_400(web, extra):
    before = counts()
    assert post(web, **extra).status_code == 400 and counts() == before


def test_bad_photo_is_400(web):
    before = counts()
    r = post(web, attachments=SimpleUploadedFile("x.jpg", b"not a jpeg", content_type="image/jpeg"))
    assert r.status_code == 400 and counts() == before


def test_repeat_is_one_case(web):
    assert post(web, idempotency_key="g-1").status_code == 302
    assert post(web, idempotency_key="g-1").status_code == 302
    assert Case.objects.count() == 1
