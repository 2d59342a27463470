"""Create, edit, move and reveal through the web forms: service errors appear next to their
field with HTTP 400 and nothing is written; a reveal is logged once with its purpose."""

import re

from auditlog.models import LogEntry
from django.conf import settings

from jiayuan.core.tests.web_world import (  # noqa: F401
    A_NUMBER,
    A_PHONE,
    NEW_NUMBER,
    _fast_web_tests,
    registry_counts,
    web,
)
from jiayuan.residents.models import Resident, ResidentMove


def _field_errors(body: str, field: str) -> str:
    """The text of the form group holding ``id_<field>`` (label, input and its errors)."""
    start = body.index(f'id="id_{field}"')
    return body[start:start + 1500]


def test_create_registers_and_redirects(web):
    client = web.client("worker")
    response = client.post("/residents/new/", {
        "name": "王小明", "id_number": NEW_NUMBER, "phone": "139 0000 1111", "household": web.household_a.pk,
        "relation_to_head": "20", "tags": ["floating_resident"],
    })
    created = Resident.objects.get(name="王小明")
    assert response.status_code == 302 and response["Location"] == f"/residents/{created.pk}/"
    assert created.household == web.household_a and created.phone_masked == "139****1111"
    assert created.created_by == web.users["worker"]
    follow = client.get(response["Location"])
    assert "已登记" in follow.content.decode()  # success message


def test_create_form_offers_only_households_in_scope(web):
    form = web.client("worker").get("/residents/new/").context["form"]
    assert list(form.fields["household"].queryset) == [web.household_a]
    assert [c for c, _label in form.fields["grid_code"].choices if c] == [web.grid_a.code]


def test_bad_identity_number_is_400_with_chinese_message_and_no_row(web):
    before = registry_counts()
    response = web.client("worker").post("/residents/new/", {
        "name": "王小明", "id_number": "52030219900101123", "household": web.household_a.pk,
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "公民身份号码应为17位数字加1位数字或X" in _field_errors(body, "id_number")
    assert registry_counts() == before


def test_wrong_check_digit_and_bad_phone_are_shown_together(web):
    wrong = NEW_NUMBER[:-1] + ("0" if NEW_NUMBER[-1] != "0" else "1")
    response = web.client("staff").post("/residents/new/", {
        "name": "王小明", "id_number": wrong, "phone": "12345", "household": web.household_a.pk,
    })
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"id_number", "phone"}
    assert "校验码" in errors["id_number"][0]
    assert not Resident.objects.filter(name="王小明").exists()


def test_create_without_household_or_grid_is_400(web):
    response = web.client("worker").post("/residents/new/", {"name": "王小明", "id_number": NEW_NUMBER})
    assert response.status_code == 400
    assert "household" in response.context["form"].errors


def test_create_with_grid_only(web):
    response = web.client("worker").post("/residents/new/", {
        "name": "流动人员", "id_number": NEW_NUMBER, "grid_code": web.grid_a.code,
    })
    assert response.status_code == 302
    assert Resident.objects.get(name="流动人员").territory_code == web.grid_a.code


def test_edit_keeps_numbers_when_left_empty_and_maps_errors(web):
    client = web.client("worker")
    url = f"/residents/{web.resident_a2.pk}/edit/"
    body = client.get(url).content.decode()
    assert A_NUMBER not in body  # the form never shows full numbers
    response = client.post(url, {"name": "张小红", "ethnicity": "01", "phone": "13700001111", "education": "20"})
    assert response.status_code == 302
    r = Resident.objects.get(pk=web.resident_a2.pk)
    assert r.ethnicity == "01" and r.phone_masked == "137****1111" and r.id_number_masked == web.resident_a2.id_number_masked
    before = registry_counts()
    response = client.post(url, {"name": "张小红", "id_number": "123", "phone": "555"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"id_number", "phone"}
    assert "请输入11位手机号码" in _field_errors(response.content.decode(), "phone")
    assert client.post(url, {"name": ""}).status_code == 400
    assert registry_counts() == before
    assert Resident.objects.get(pk=web.resident_a2.pk).phone_masked == "137****1111"


def test_edit_tags_keeps_restricted_tags_the_worker_cannot_see(web):
    client = web.client("worker")
    url = f"/residents/{web.resident_a.pk}/edit/"
    form = client.get(url).context["form"]
    assert "community_correction" not in dict(form.fields["tags"].choices)
    assert form.initial["tags"] == ["solitary_elder"]
    assert client.post(url, {"name": "张建国", "tags": []}).status_code == 302
    codes = set(web.resident_a.tag_links.values_list("group__code", flat=True))
    assert codes == {"community_correction"}


def test_move_out_appends_history(web):
    client = web.client("worker")
    response = client.post(f"/residents/{web.resident_a2.pk}/move/", {"kind": "move_out", "reason": "外出务工"})
    assert response.status_code == 302
    assert ResidentMove.objects.filter(resident=web.resident_a2, kind="move_out").count() == 1
    body = client.get(f"/residents/{web.resident_a2.pk}/").content.decode()
    assert "外出务工" in body and "迁出" in body


def test_move_transfer_needs_a_household(web):
    before = registry_counts()
    response = web.client("worker").post(f"/residents/{web.resident_a2.pk}/move/", {"kind": "transfer"})
    assert response.status_code == 400
    assert "to_household" in response.context["form"].errors
    assert registry_counts() == before


def test_detail_shows_masked_numbers_visible_tags_and_missing_fields(web):
    body = web.client("worker").get(f"/residents/{web.resident_a2.pk}/").content.decode()
    assert web.resident_a2.id_number_masked in body and A_NUMBER not in body
    assert "缺少" in body and "联系电话" in body
    body = web.client("worker").get(f"/residents/{web.resident_a.pk}/").content.decode()
    assert "独居老人" in body and "社区矫正对象" not in body  # restricted tag hidden from workers
    assert "社区矫正对象" in web.client("secretary").get(f"/residents/{web.resident_a.pk}/").content.decode()


def test_reveal_shows_the_number_once_and_logs_one_access_entry(web):
    client = web.client("worker")
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    response = client.post(f"/residents/{web.resident_a.pk}/reveal/", {"field": "phone", "purpose": "通知体检"})
    assert response.status_code == 200
    assert A_PHONE in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert entries.count() == before + 1
    entry = entries.latest("timestamp")
    assert entry.actor == web.users["worker"]
    assert entry.additional_data["purpose"] == "通知体检" and entry.additional_data["fields"] == ["phone"]
    assert entry.cid and "/reveal/" in entry.cid
    # Not kept anywhere: the next page shows the masked number only.
    assert A_PHONE not in client.get(f"/residents/{web.resident_a.pk}/").content.decode()
    assert all(A_PHONE not in str(v) for v in client.session.values())


def test_reveal_without_purpose_is_400_and_not_logged(web):
    before = registry_counts()
    response = web.client("worker").post(f"/residents/{web.resident_a.pk}/reveal/", {"field": "id_number", "purpose": " "})
    assert response.status_code == 400
    assert registry_counts() == before
    assert A_NUMBER not in response.content.decode()
    assert re.search("purpose", str(response.context["reveal_form"].errors))


def test_household_page(web):
    response = web.client("worker").get(f"/households/{web.household_a.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "张建国" in body and "张小红" in body and "138****5678" in body
    assert A_PHONE not in body
    assert settings.LANGUAGE_CODE == "zh-hans"
