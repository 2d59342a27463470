"""The home page of each role, the navigation bar and the language switch."""

import pytest
from django.conf import settings

from jiayuan.core.tests.web_world import _fast_web_tests, web  # noqa: F401


def test_resident_home_shows_their_household(web):
    body = web.client("resident").get("/").content.decode()
    assert "我的家庭" in body
    assert web.household_a.address in body
    assert "张建国" in body and "张小红" in body
    assert "李秀英" not in body  # another household
    assert "138****5678" in body and "13812345678" not in body
    assert 'href="/residents/"' not in body  # no registry navigation for residents


def test_grid_worker_home_shows_grid_counts_and_incomplete_records(web):
    response = web.client("worker").get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert web.grid_a.name in body and web.grid_b.name not in body
    rows = response.context["rows"]
    assert [(r["place"], r["residents"], r["households"], r["complete"]) for r in rows] == [(web.grid_a, 2, 1, 1)]
    assert response.context["totals"]["percent"] == 50
    # 张小红 lacks phone, ethnicity ... : she is on the list to complete, with what is missing.
    assert [r.name for r in response.context["incomplete"]] == ["张小红"]
    assert "待下次走访补全" in body and "缺少" in body and "联系电话" in body
    assert "网格员" in body  # role in the navigation bar


@pytest.mark.parametrize("role", ["staff", "secretary"])
def test_community_home_lists_its_grids(web, role):
    response = web.client(role).get("/")
    rows = {r["place"].code: r for r in response.context["rows"]}
    assert response.context["place"] == web.places["community"]
    assert len(rows) == 4
    assert rows[web.grid_a.code]["residents"] == 2 and rows[web.grid_b.code]["residents"] == 1
    assert "第一网格" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "place_key", "child"), [("street", "street", "community"), ("district", "district", "street")]
)
def test_street_and_district_home_list_the_places_below(web, role, place_key, child):
    response = web.client(role).get("/")
    assert response.context["place"] == web.places[place_key]
    assert [r["place"] for r in response.context["rows"]] == [web.places[child]]
    assert response.context["rows"][0]["residents"] == 3
    assert "登记居民" not in response.content.decode()  # supervisors read, they do not register


def test_admin_home_lists_districts_and_shows_audit_link(web):
    response = web.client("admin").get("/")
    assert [r["place"] for r in response.context["rows"]] == [web.places["district"]]
    body = response.content.decode()
    assert 'href="/audit/"' in body and "系统管理员" in body


def test_user_without_role_sees_an_explanation(web):
    body = web.client("nobody").get("/").content.decode()
    assert "尚未分配角色" in body


def test_navigation_has_language_switch_and_logout_forms(web):
    body = web.client("worker").get("/").content.decode()
    assert 'action="/i18n/setlang/"' in body
    assert 'action="/accounts/logout/"' in body and 'method="post"' in body
    assert "王网格" in body


def test_english_with_the_language_cookie(web):
    client = web.client("worker")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/").content.decode()
    assert "To complete on the next visit" in body and "待下次走访补全" not in body
    assert '<html lang="en">' in body


def test_english_with_accept_language(web):
    body = web.client("staff", language="en").get("/").content.decode()
    assert "Complete records" in body and "Community staff" in body


def test_set_language_switches_to_english(web):
    client = web.client("worker")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "To complete on the next visit" in client.get("/").content.decode()
