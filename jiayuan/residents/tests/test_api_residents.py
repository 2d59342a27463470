"""The resident and household API: scope, restricted tags, validation, audit trail, query cost."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiayuan.core.idnumber import make_id_number
from jiayuan.residents import services
from jiayuan.residents.models import Resident, ResidentMove, ResidentTag

from .api_world import A_NUMBER, A_PHONE, B_NUMBER, _fast_api_tests, registry_counts, world  # noqa: F401

NEW_NUMBER = make_id_number("520321", dt.date(1990, 1, 2), 33)  # male
NEW_PHONE = "13700001111"
FORBIDDEN_OUTPUT_KEYS = {"id_number", "phone", "id_number_cipher", "id_number_index", "phone_cipher", "phone_index"}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.data
    return {row["id"] for row in response.data["results"]}


def _new(world, **extra) -> dict:
    return {"name": "王小明", "id_number": NEW_NUMBER, "phone": NEW_PHONE, "household": world.household_a.pk,
            "relation_to_head": "20", **extra}


# -- reading ----------------------------------------------------------------------------------------


def test_lists_never_include_other_grids(world):
    a, b = world.resident_a.pk, world.resident_b.pk
    assert _ids(world.client("worker").get("/api/v1/residents/")) == {a}
    assert _ids(world.client("other_worker").get("/api/v1/residents/")) == {b}
    assert _ids(world.client("staff").get("/api/v1/residents/")) == {a, b}
    assert _ids(world.client("resident").get("/api/v1/residents/")) == {a}
    households = world.client("worker").get("/api/v1/households/")
    assert {h["id"] for h in households.data["results"]} == {world.household_a.pk, world.household_a2.pk}
    # a filter cannot widen the scope
    assert _ids(world.client("worker").get("/api/v1/residents/", {"grid": world.grid_b.code})) == set()
    assert world.client("worker").get(f"/api/v1/residents/{b}/").status_code == 404
    assert world.client("worker").get(f"/api/v1/households/{world.household_b.pk}/").status_code == 404


def test_resident_json_is_masked(world):
    response = world.client("admin").get(f"/api/v1/residents/{world.resident_a.pk}/")
    data = response.data
    assert data["id_number_masked"] == A_NUMBER[:4] + "*" * 10 + A_NUMBER[-4:]
    assert data["phone_masked"] == "138****5678"
    assert data["birth_date"] == "1950-03-04" and data["sex"] == "male"
    assert data["household"] == world.household_a.pk and data["grid_code"] == world.grid_a.code
    assert data["territory_code"] == world.household_a.territory_code and data["status"] == "active"
    assert FORBIDDEN_OUTPUT_KEYS.isdisjoint(data)
    assert A_NUMBER not in response.content.decode() and A_PHONE not in response.content.decode()
    for key in ("name", "ethnicity", "political_status", "residence_type", "education", "employment_status",
                "relation_to_head", "completeness", "tags"):
        assert key in data


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "张建"}, {"a"}),
        ({"q": A_NUMBER}, {"a"}),  # full number through the blind index
        ({"q": "13987654321"}, {"b"}),
        ({"grid": "520371001001002"}, {"b"}),
        ({"place": "520371001001001"}, {"a"}),
        ({"tag": "disabled_person"}, {"b"}),
        ({"incomplete": "true"}, {"a", "b"}),
        ({"status": "moved_out"}, set()),
    ],
)
def test_list_filters(world, params, expected):
    names = {"a": world.resident_a.pk, "b": world.resident_b.pk}
    assert _ids(world.client("admin").get("/api/v1/residents/", params)) == {names[k] for k in expected}


def test_household_filter_and_bad_parameters(world):
    client = world.client("admin")
    assert _ids(client.get("/api/v1/residents/", {"household": world.household_b.pk})) == {world.resident_b.pk}
    assert client.get("/api/v1/residents/", {"household": "abc"}).status_code == 400
    assert client.get("/api/v1/residents/", {"status": "nonsense"}).status_code == 400
    assert client.get("/api/v1/households/", {"hardship_status": "nonsense"}).status_code == 400


# -- restricted tags -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, sees_restricted",
    [("resident", False), ("worker", False), ("staff", False), ("secretary", True), ("admin", True)],
)
def test_restricted_tags_only_for_secretary_and_admin(world, role, sees_restricted):
    tags = world.client(role).get(f"/api/v1/residents/{world.resident_a.pk}/").data["tags"]
    assert ("community_correction" in tags) is sees_restricted
    if role != "resident":
        assert "solitary_elder" in tags
    listed = _ids(world.client(role).get("/api/v1/residents/", {"tag": "community_correction"}))
    assert listed == ({world.resident_a.pk} if sees_restricted else set())


def test_worker_tag_patch_keeps_restricted_tag(world):
    url = f"/api/v1/residents/{world.resident_a.pk}/"
    response = world.client("worker").patch(url, {"tags": ["empty_nest_elder"]}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["tags"] == ["empty_nest_elder"]
    codes = set(ResidentTag.objects.filter(resident=world.resident_a).values_list("group__code", flat=True))
    assert codes == {"empty_nest_elder", "community_correction"}
    assert set(world.client("admin").get(url).data["tags"]) == {"empty_nest_elder", "community_correction"}


def test_worker_cannot_assign_restricted_tag(world):
    before = registry_counts()
    response = world.client("worker").patch(
        f"/api/v1/residents/{world.resident_a.pk}/", {"tags": ["drug_user"]}, format="json"
    )
    assert response.status_code == 400 and "tags" in response.data
    assert registry_counts() == before


# -- validation: 400 with a message per field, nothing written --------------------------------------


FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()
BAD_CHECKSUM = NEW_NUMBER[:17] + ("0" if NEW_NUMBER[17] != "0" else "1")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id_number": BAD_CHECKSUM}, "id_number"),
        ({"id_number": "52032119900102"}, "id_number"),
        ({"id_number": B_NUMBER}, "id_number"),  # already registered
        ({"birth_date": FUTURE}, "birth_date"),
        ({"birth_date": "1990-01-03"}, "birth_date"),  # does not match the number
        ({"birth_date": "not a date"}, "birth_date"),
        ({"sex": "female"}, "sex"),
        ({"ethnicity": "99"}, "ethnicity"),
        ({"education": "55"}, "education"),
        ({"tags": ["no_such_group"]}, "tags"),
        ({"phone": "12345"}, "phone"),
        ({"name": ""}, "name"),
        ({"household": 999999}, "household"),
        ({"household": None, "grid_code": "999999999999999"}, "grid_code"),
    ],
)
def test_create_rejects_bad_input(world, change, field):
    before = registry_counts()
    response = world.client("worker").post("/api/v1/residents/", _new(world, **change), format="json")
    assert response.status_code == 400, response.data
    assert field in response.data and all(isinstance(m, str) and m for m in response.data[field])
    assert registry_counts() == before


def test_places_outside_scope_are_400_naming_the_field(world):
    before = registry_counts()
    client = world.client("worker")
    r = client.post("/api/v1/residents/", _new(world, household=world.household_b.pk), format="json")
    assert r.status_code == 400 and list(r.data) == ["household"]
    r = client.post("/api/v1/residents/", _new(world, household=None, grid_code=world.grid_b.code), format="json")
    assert r.status_code == 400 and list(r.data) == ["grid_code"]
    r = client.post(f"/api/v1/residents/{world.resident_a.pk}/move/",
                    {"kind": "transfer", "to_household": world.household_b.pk}, format="json")
    assert r.status_code == 400 and list(r.data) == ["to_household"]
    r = client.post("/api/v1/households/", {"unit": world.unit_b.code, "room": "301"}, format="json")
    assert r.status_code == 400 and list(r.data) == ["unit"]
    assert registry_counts() == before


def test_error_messages_follow_accept_language(world):
    bad = _new(world, id_number=BAD_CHECKSUM)
    en = world.client("worker", language="en").post("/api/v1/residents/", bad, format="json")
    assert en.status_code == 400
    assert en.data["id_number"] == ["The identity number's check digit is wrong; please check each digit."]
    zh = world.client("worker").post("/api/v1/residents/", bad, format="json")
    with translation.override("zh-hans"):
        expected = gettext("The identity number's check digit is wrong; please check each digit.")
    assert zh.status_code == 400 and zh.data["id_number"] == [expected]
    # DRF's own messages are translated already: Chinese by default, English on request
    zh = world.client("worker").post("/api/v1/residents/", _new(world, ethnicity="99"), format="json")
    assert "不是合法选项" in zh.data["ethnicity"][0]
    en = world.client("worker", language="en").post("/api/v1/residents/", _new(world, ethnicity="99"), format="json")
    assert "is not a valid choice" in en.data["ethnicity"][0]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"birth_date": "1950-03-05"}, "birth_date"),  # only together with a new identity number
        ({"household": None}, "household"),  # moving goes through /move/
        ({"id_number": B_NUMBER}, "id_number"),
        ({"relation_to_head": "99x"}, "relation_to_head"),
    ],
)
def test_patch_rejects_bad_input(world, change, field):
    before = registry_counts()
    response = world.client("worker").patch(f"/api/v1/residents/{world.resident_a.pk}/", change, format="json")
    assert response.status_code == 400 and field in response.data, response.data
    assert registry_counts() == before


# -- writing, and the audit trail -------------------------------------------------------------------


def _plain_number_absent(*numbers: str) -> None:
    for entry in LogEntry.objects.all():
        dumped = json.dumps([entry.changes, entry.changes_text, entry.additional_data, entry.object_repr],
                            ensure_ascii=False)
        for number in numbers:
            assert number not in dumped, entry.pk


def test_create_update_are_audited_with_actor_and_masked_values(world):
    client = world.client("worker")
    created = client.post("/api/v1/residents/", _new(world, tags=["floating_resident"], birth_date="1990-01-02",
                                                     sex="male", ethnicity="01"), format="json")
    assert created.status_code == 201, created.data
    body = created.content.decode()
    assert NEW_NUMBER not in body and NEW_PHONE not in body and FORBIDDEN_OUTPUT_KEYS.isdisjoint(created.data)
    assert created.data["tags"] == ["floating_resident"] and created.data["household"] == world.household_a.pk
    pk = created.data["id"]
    entry = LogEntry.objects.get_for_object(Resident.objects.get(pk=pk)).get(action=LogEntry.Action.CREATE)
    assert entry.actor == world.users["worker"]
    assert entry.cid and entry.cid.startswith("POST /api/v1/residents/")
    assert entry.changes_dict["id_number_masked"][1] == NEW_NUMBER[:4] + "*" * 10 + NEW_NUMBER[-4:]
    assert ResidentMove.objects.filter(resident_id=pk, kind="move_in").count() == 1
    assert LogEntry.objects.filter(content_type__model="residenttag", actor=world.users["worker"]).count() == 1

    patched = client.patch(f"/api/v1/residents/{pk}/", {"phone": "13911112222", "education": "20"}, format="json")
    assert patched.status_code == 200, patched.data
    assert patched.data["phone_masked"] == "139****2222" and patched.data["education"] == "20"
    update = LogEntry.objects.get_for_object(Resident.objects.get(pk=pk)).get(action=LogEntry.Action.UPDATE)
    assert update.actor == world.users["worker"]
    assert update.changes_dict["phone_masked"] == ["137****1111", "139****2222"]
    _plain_number_absent(NEW_NUMBER, NEW_PHONE, "13911112222", A_NUMBER, A_PHONE, B_NUMBER)
    # and the audit API itself shows masked values only
    audit = world.client("admin").get("/api/v1/audit-events/", {"model": "residents.resident"})
    text = audit.content.decode()
    assert NEW_NUMBER not in text and NEW_PHONE not in text and "139****2222" in text


def test_create_in_grid_without_household(world):
    response = world.client("worker").post(
        "/api/v1/residents/", _new(world, household=None, grid_code=world.grid_a.code), format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["household"] is None and response.data["territory_code"] == world.grid_a.code


def test_reveal_logs_one_access_entry_with_purpose(world):
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    url = f"/api/v1/residents/{world.resident_a.pk}/reveal/"
    response = world.client("worker").post(url, {"field": "id_number", "purpose": "核对低保申请材料"}, format="json")
    assert response.status_code == 200
    assert response.data == {"field": "id_number", "value": A_NUMBER}
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert entries.count() == before + 1
    entry = entries.latest("id")
    assert entry.actor == world.users["worker"] and entry.object_pk == str(world.resident_a.pk)
    assert entry.additional_data["purpose"] == "核对低保申请材料" and entry.additional_data["fields"] == ["id_number"]
    assert A_NUMBER not in json.dumps([entry.changes, entry.changes_text, entry.additional_data])
    phone = world.client("admin").post(url, {"field": "phone", "purpose": "电话回访"}, format="json")
    assert phone.data == {"field": "phone", "value": A_PHONE}


@pytest.mark.parametrize("body, field", [({"field": "id_number", "purpose": ""}, "purpose"),
                                         ({"field": "id_number", "purpose": "x"}, "purpose"),
                                         ({"field": "name", "purpose": "核对"}, "field")])
def test_reveal_needs_purpose_and_field(world, body, field):
    before = registry_counts()
    response = world.client("worker").post(f"/api/v1/residents/{world.resident_a.pk}/reveal/", body, format="json")
    assert response.status_code == 400 and field in response.data
    assert registry_counts() == before


def test_move_transfer_and_out(world):
    client = world.client("worker")
    url = f"/api/v1/residents/{world.resident_a.pk}/move/"
    moved = client.post(url, {"kind": "transfer", "to_household": world.household_a2.pk, "reason": "换房"}, format="json")
    assert moved.status_code == 200, moved.data
    assert moved.data["household"] == world.household_a2.pk
    out = client.post(url, {"kind": "move_out", "reason": "迁往外地"}, format="json")
    assert out.status_code == 200 and out.data["status"] == "moved_out"
    assert ResidentMove.objects.filter(resident=world.resident_a).count() == 3
    assert world.resident_a.pk not in _ids(client.get("/api/v1/residents/"))
    assert world.resident_a.pk in _ids(client.get("/api/v1/residents/", {"status": "moved_out"}))
    assert client.get(f"/api/v1/residents/{world.resident_a.pk}/").status_code == 200
    bad = client.post(url, {"kind": "teleport"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.data
    future = client.post(url, {"kind": "move_out", "date": FUTURE}, format="json")
    assert future.status_code == 400 and "date" in future.data


# -- households --------------------------------------------------------------------------------------


def test_household_create_and_detail(world):
    client = world.client("worker")
    created = client.post("/api/v1/households/", {"unit": world.unit_a.code, "room": "502",
                                                  "hardship_status": "hardship", "hardship_cause": "因病"}, format="json")
    assert created.status_code == 201, created.data
    assert created.data["territory_code"] == world.unit_a.code + "0502"
    assert created.data["member_count"] == 0 and created.data["hardship_status"] == "hardship"
    again = client.post("/api/v1/households/", {"unit": world.unit_a.code, "room": "502"}, format="json")
    assert again.status_code == 400 and "room" in again.data
    detail = client.get(f"/api/v1/households/{world.household_a.pk}/").data
    assert detail["member_count"] == 1 and detail["head"] == world.resident_a.pk
    assert detail["address"] == "1栋1单元101" and detail["unit"] == world.unit_a.code
    assert detail["grid_code"] == world.grid_a.code and "completeness" in detail


# -- cost ----------------------------------------------------------------------------------------------


def _add_residents(world, n: int, start: int) -> None:
    for i in range(start, start + n):
        services.resident_create(actor=world.users["admin"], data={
            "name": f"居民{i}", "id_number": make_id_number("520302", dt.date(1980, 1, 1) + dt.timedelta(days=i), 101),
            "household": world.household_a2, "relation_to_head": "80", "tags": ["floating_resident", "disabled_person"],
        })


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["worker", "admin"])
def test_resident_list_query_count_does_not_grow(world, role):
    client = world.client(role)
    _add_residents(world, 4, 0)  # 5 in grid A with resident_a
    small = _count_queries(client, "/api/v1/residents/?grid=" + world.grid_a.code)
    _add_residents(world, 35, 100)  # 40
    large = _count_queries(client, "/api/v1/residents/?grid=" + world.grid_a.code)
    assert client.get("/api/v1/residents/?grid=" + world.grid_a.code).data["count"] == 40
    assert small == large, (small, large)
    assert _count_queries(client, "/api/v1/households/") <= 6


# -- never a 500 ----------------------------------------------------------------------------------------

_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.text(max_size=30),
    st.sampled_from([NEW_NUMBER, BAD_CHECKSUM, "11010519491231002x", FUTURE, "1990-01-02", "01", "99", "male"]),
    st.lists(st.text(max_size=12), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
_bodies = st.dictionaries(
    st.sampled_from(["name", "id_number", "phone", "birth_date", "sex", "ethnicity", "education", "household",
                     "grid_code", "tags", "relation_to_head", "status", "kind", "to_household", "date", "field",
                     "purpose", "unit", "room", "hardship_status"]),
    _values, max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_bodies, target=st.sampled_from(["create", "patch", "move", "reveal", "household"]))
def test_random_input_never_500(world, body, target):
    pk = world.resident_a.pk
    url, method = {
        "create": ("/api/v1/residents/", "post"), "patch": (f"/api/v1/residents/{pk}/", "patch"),
        "move": (f"/api/v1/residents/{pk}/move/", "post"), "reveal": (f"/api/v1/residents/{pk}/reveal/", "post"),
        "household": ("/api/v1/households/", "post"),
    }[target]
    with transaction.atomic():
        response = getattr(world.client("worker"), method)(url, body, format="json")
        transaction.set_rollback(True)
    assert response.status_code < 500, (target, body)
