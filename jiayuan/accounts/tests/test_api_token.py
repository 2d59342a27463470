"""Signing in to the API with a token, and the login throttle."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from jiayuan.residents.tests.api_world import PASSWORD, _fast_api_tests, registry_counts, world  # noqa: F401

URL = "/api/v1/auth/token/"


@pytest.mark.parametrize("role", ["resident", "other_worker", "worker", "staff", "admin"])
def test_each_role_gets_a_token_that_works(world, role):
    before = registry_counts()
    response = APIClient().post(URL, {"username": world.users[role].username, "password": PASSWORD}, format="json")
    assert response.status_code == 200 and set(response.data) == {"token"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + response.data["token"])
    assert client.get("/api/v1/residents/").status_code == 200
    assert registry_counts() == before


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_only_post(world, method):
    assert getattr(APIClient(), method)(URL).status_code == 405


def test_wrong_password_is_400_and_throttled(world):
    client = APIClient()
    statuses = [
        client.post(URL, {"username": "worker", "password": "wrong"}, format="json").status_code for _ in range(21)
    ]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429


def test_bad_token_is_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/residents/").status_code == 401
