"""The territory tree: codes follow the parent, places are scoped, boundaries are checked."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiayuan.residents.tests.factories import _fast_hasher, places, users  # noqa: F401
from jiayuan.territory.models import Place
from jiayuan.territory.selectors import grid_list, place_breadcrumb, place_get, place_list
from jiayuan.territory.services import place_create, place_update

pytestmark = pytest.mark.django_db


def test_demo_tree_shape(places):
    assert Place.objects.filter(kind="grid").count() == 4
    assert Place.objects.filter(kind="building").count() == 27
    assert all(p.code.startswith(p.parent.code) for p in Place.objects.exclude(parent=None).select_related("parent"))
    grid = places["grids"][0]
    assert [p.kind for p in place_breadcrumb(grid)] == ["district", "street", "community", "grid"]


def test_code_must_extend_parent(users, places):
    community = places["community"]
    with pytest.raises(ValidationError) as exc:
        place_create(actor=users["staff"], kind="grid", code="999999999999005", name="错码网格", parent=community)
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError):
        place_create(actor=users["staff"], kind="grid", code=community.code + "5", name="短码", parent=community)
    with pytest.raises(ValidationError):
        place_create(actor=users["staff"], kind="building", code=community.code + "005", name="x", parent=community)
    grid = place_create(actor=users["staff"], kind="grid", code=community.code + "005", name="第五网格", parent=community)
    assert grid.parent == community


def test_boundary_validation(users, places):
    grid = places["grids"][0]
    with pytest.raises(ValidationError):
        place_update(actor=users["staff"], place=grid, boundary={"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]})
    with pytest.raises(ValidationError):
        place_update(actor=users["staff"], place=grid, boundary={"type": "Point", "coordinates": [1, 2]})
    ok = {"type": "Polygon", "coordinates": [[[106.9, 27.7], [106.91, 27.7], [106.91, 27.71], [106.9, 27.7]]]}
    assert place_update(actor=users["staff"], place=grid, boundary=ok).boundary == ok
    with pytest.raises(ValidationError):
        place_update(actor=users["staff"], place=grid, code="520371001001099")


def test_only_editors_above_may_change_the_tree(users, places):
    with pytest.raises(PermissionDenied):
        place_create(actor=users["worker1"], kind="building", code=places["grids"][0].code + "099", name="99栋",
                     parent=places["grids"][0])
    with pytest.raises(PermissionDenied):
        place_update(actor=users["staff"], place=places["street"], name="改名")


def test_place_scoping(users, places):
    g1, g2 = places["grids"][0], places["grids"][1]
    worker = users["worker1"]
    visible = set(place_list(user=worker).values_list("code", flat=True))
    assert {places["district"].code, places["street"].code, places["community"].code, g1.code} <= visible
    assert g2.code not in visible
    assert not any(c.startswith(g2.code) for c in visible)
    assert list(grid_list(user=worker)) == [g1]
    assert len(grid_list(user=users["staff"])) == 4
    from django.http import Http404

    with pytest.raises(Http404):
        place_get(user=worker, code=g2.code)
