"""The audit-event API: administrators only, read-only, masked values."""

from __future__ import annotations

import pytest

from jiayuan.residents.tests.api_world import (  # noqa: F401
    A_NUMBER,
    _fast_api_tests,
    assert_matrix,
    world,
)

URL = "/api/v1/audit-events/"
CASES = {
    method: (method, lambda w: URL, (lambda w: {"action": "create"}) if method != "DELETE" else None, statuses)
    for method, statuses in {
        "GET": [401, 403, 403, 403, 403, 200],
        "POST": [401, 403, 403, 403, 403, 405],
        "PUT": [401, 403, 403, 403, 403, 405],
        "PATCH": [401, 403, 403, 403, 403, 405],
        "DELETE": [401, 403, 403, 403, 403, 405],
    }.items()
}


@pytest.mark.parametrize("case", CASES.keys())
def test_permission_matrix(world, case):
    assert_matrix(world, *CASES[case])


def test_secretary_is_not_an_administrator(world):
    assert world.client("secretary").get(URL).status_code == 403


def test_events_shape_and_filters(world):
    worker = world.client("worker")
    worker.post(f"/api/v1/residents/{world.resident_a.pk}/reveal/", {"field": "id_number", "purpose": "核对身份"},
                format="json")
    worker.patch(f"/api/v1/residents/{world.resident_a.pk}/", {"education": "30"}, format="json")
    admin = world.client("admin")
    events = admin.get(URL).data
    assert events["count"] > 0
    latest = events["results"][0]
    assert set(latest) == {"id", "timestamp", "action", "actor", "model", "object_id", "object_repr", "changes",
                           "additional_data", "remote_addr", "cid"}
    assert latest["action"] == "update" and latest["actor"] == "worker" and latest["model"] == "residents.resident"
    assert latest["changes"]["education"][1] == "30" and latest["cid"].startswith("PATCH /api/v1/residents/")
    access = admin.get(URL, {"action": "access"}).data["results"]
    assert len(access) == 1
    assert access[0]["additional_data"]["purpose"] == "核对身份" and access[0]["actor"] == "worker"
    assert access[0]["object_id"] == str(world.resident_a.pk) and access[0]["remote_addr"] == "127.0.0.1"
    assert {e["action"] for e in admin.get(URL, {"model": "residents.household"}).data["results"]} <= {"create", "update"}
    assert admin.get(URL, {"actor": "worker"}).data["count"] == 2
    assert admin.get(URL, {"action": "explode"}).status_code == 400
    assert A_NUMBER not in admin.get(URL, {"model": "residents.resident"}).content.decode()
