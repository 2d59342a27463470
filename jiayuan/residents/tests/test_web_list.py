"""The residents list: search, filters, paging, and a query count that does not grow with the page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiayuan.core import crypto
from jiayuan.core.idnumber import make_id_number
from jiayuan.core.tests.web_world import A_NUMBER, A_PHONE, _fast_web_tests, web  # noqa: F401
from jiayuan.residents.models import Resident, ResidentTag, SpecialGroup


def _names(response):
    return {r.name for r, _tags in response.context["rows"]}


def test_search_by_name_or_full_number(web):
    client = web.client("staff")
    cases = [("张", {"张建国", "张小红"}), (A_NUMBER, {"张建国"}), (A_PHONE, {"张建国"}), ("138****5678", set())]
    for query, expected in cases:
        assert _names(client.get("/residents/", {"q": query})) == expected, query


def test_filters(web):
    client = web.client("staff")
    assert _names(client.get("/residents/", {"grid": web.grid_b.code})) == {"李秀英"}
    assert _names(client.get("/residents/", {"tag": "solitary_elder"})) == {"张建国"}
    assert _names(client.get("/residents/", {"incomplete": "1"})) >= {"张小红"}
    assert "张建国" not in _names(client.get("/residents/", {"incomplete": "1"}))


def test_restricted_tag_filter_is_empty_for_a_worker(web):
    assert _names(web.client("worker").get("/residents/", {"tag": "community_correction"})) == set()


def test_htmx_request_gets_only_the_results(web):
    response = web.client("staff").get("/residents/", {"q": "张"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "张建国" in body


def _add_residents(web, n: int) -> None:
    """Bulk rows in grid 1 (the services are exercised elsewhere); some with tags."""
    group = SpecialGroup.objects.get(code="empty_nest_elder")
    rows = []
    for i in range(n):
        number = make_id_number("520322", dt.date(1960, 1, 1) + dt.timedelta(days=i), 2 * i + 1)
        rows.append(Resident(
            name=f"居民{i:03d}", id_number_cipher=crypto.encrypt(number), id_number_index=crypto.blind_index(number),
            id_number_masked=crypto.mask_id_number(number), birth_date=dt.date(1960, 1, 1), sex="male",
            household=web.household_a, territory_code=web.household_a.territory_code, completeness=80,
        ))
    Resident.objects.bulk_create(rows)
    ResidentTag.objects.bulk_create(ResidentTag(resident=r, group=group) for r in rows[::3])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_page(web):
    client = web.client("staff")
    client.get("/residents/")  # warm the session and content types
    _add_residents(web, 7)  # 10 residents in all
    ten = _queries(client, "/residents/")
    Resident.objects.filter(name__startswith="居民").delete()
    _add_residents(web, 47)  # 50 in all, still one page
    fifty = _queries(client, "/residents/")
    assert len(client.get("/residents/").context["rows"]) == 50
    assert ten == fifty


def test_pagination_keeps_filters(web):
    _add_residents(web, 60)
    client = web.client("staff")
    response = client.get("/residents/", {"grid": web.grid_a.code})
    assert len(response.context["rows"]) == 50
    body = response.content.decode()
    assert f"grid={web.grid_a.code}&amp;page=2" in body or f"page=2&amp;grid={web.grid_a.code}" in body
    second = client.get("/residents/", {"grid": web.grid_a.code, "page": 2})
    assert len(second.context["rows"]) == 12
