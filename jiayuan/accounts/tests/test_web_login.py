"""Signing in and out through the web pages."""

import pytest

from jiayuan.core.tests.web_world import PASSWORD, _fast_web_tests, web  # noqa: F401


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert 'name="viewport"' in response.content.decode()


def test_login_with_the_right_password_goes_home(web, client):
    response = client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_with_a_wrong_password_stays(web, client):
    response = client.post("/accounts/login/", {"username": "worker", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_follows_next(web, client):
    response = client.post("/accounts/login/?next=/residents/", {"username": "staff", "password": PASSWORD,
                                                                 "next": "/residents/"})
    assert response["Location"] == "/residents/"


def test_logout_is_a_post(web):
    client = web.client("worker")
    assert client.get("/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("url", ["/", "/places/", "/residents/", "/residents/new/", "/audit/"])
def test_anonymous_is_sent_to_login(web, url):
    response = web.client("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
