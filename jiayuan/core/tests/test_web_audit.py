"""The audit log page: administrators only, read-only, shows reveals with their purpose."""

import pytest
from auditlog.models import LogEntry

from jiayuan.core.tests.web_world import _fast_web_tests, web  # noqa: F401


@pytest.mark.parametrize("role", ["resident", "other_worker", "worker", "staff", "secretary", "street", "district"])
def test_audit_page_does_not_exist_for_others(web, role):
    assert web.client(role).get("/audit/").status_code == 404


def test_admin_sees_changes_and_reveals(web):
    admin = web.client("admin")
    admin.post(f"/residents/{web.resident_a.pk}/reveal/", {"field": "phone", "purpose": "核实低保申请"})
    response = admin.get("/audit/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "核实低保申请" in body  # the purpose of the reveal
    assert f"POST /residents/{web.resident_a.pk}/reveal/" in body  # request label (cid)
    assert "访问" in body and "创建" in body
    assert "13812345678" not in body


def test_admin_filters_by_action_actor_and_model(web):
    admin = web.client("admin")
    admin.post(f"/residents/{web.resident_a.pk}/reveal/", {"field": "id_number", "purpose": "办理居住证明"})
    access = admin.get("/audit/?action=access").context["page_obj"]
    assert [e.action for e in access] == [LogEntry.Action.ACCESS]
    by_actor = admin.get("/audit/?actor=admin&model=residents.resident").context["page_obj"]
    assert by_actor.paginator.count >= 1
    assert all(e.content_type.model == "resident" for e in by_actor)
    assert admin.get("/audit/?actor=nobody").context["page_obj"].paginator.count == 0


def test_audit_page_is_read_only(web):
    before = LogEntry.objects.count()
    response = web.client("admin").post("/audit/", {"action": "access"})
    assert response.status_code in (200, 405)
    assert LogEntry.objects.count() == before
