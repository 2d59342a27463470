"""Services for people and households: allowed, refused, and what they leave behind."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jiayuan.residents.choices import MoveKind, ResidentStatus
from jiayuan.residents.models import Household, Resident, ResidentMove
from jiayuan.residents.selectors import resident_list, visible_tags
from jiayuan.residents.services import (
    household_update,
    resident_create,
    resident_move,
    resident_reveal,
    resident_update,
)

from .factories import _fast_hasher, household1, household2, id_number, places, users  # noqa: F401

pytestmark = pytest.mark.django_db


def _data(household, **extra):
    data = {
        "name": "张三", "id_number": id_number(), "phone": "13812345678", "ethnicity": "01",
        "political_status": "13", "residence_type": "registered", "education": "20",
        "employment_status": "employed", "household": household, "relation_to_head": "02",
    }
    data.update(extra)
    return data


def test_create_encrypts_masks_and_derives(users, household1):
    number = id_number(1975)
    r = resident_create(actor=users["worker1"], data=_data(household1, id_number=number))
    assert r.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert number not in r.id_number_cipher and r.phone_masked == "138****5678"
    assert r.birth_date == dt.date(1975, 5, 17) and r.sex == "male"
    assert r.territory_code == household1.territory_code and r.completeness == 100
    household1.refresh_from_db()
    assert household1.head_id == r.pk
    assert ResidentMove.objects.filter(resident=r, kind=MoveKind.MOVE_IN).count() == 1
    entry = LogEntry.objects.get_for_object(r).get(action=LogEntry.Action.CREATE)
    assert entry.actor == users["worker1"]
    assert number not in str(entry.changes)


def test_create_reports_every_bad_field_and_writes_nothing(users, household1):
    bad = _data(household1, id_number="520302198005170011", birth_date=dt.date(2999, 1, 1), ethnicity="99",
                phone="12345", tags=["no_such_tag"])
    before = (Resident.objects.count(), LogEntry.objects.count())
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        resident_create(actor=users["worker1"], data=bad)
    errors = exc.value.message_dict
    assert {"id_number", "ethnicity", "phone", "tags"} <= set(errors)
    assert "check digit" in errors["id_number"][0]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        resident_create(actor=users["worker1"], data=bad)
    assert exc.value.message_dict["id_number"][0] != errors["id_number"][0]  # translated
    assert (Resident.objects.count(), LogEntry.objects.count()) == before


def test_birth_date_and_sex_must_match_the_number(users, household1):
    with pytest.raises(ValidationError) as exc:
        resident_create(actor=users["worker1"], data=_data(household1, birth_date=dt.date(1981, 1, 1), sex="female"))
    assert {"birth_date", "sex"} <= set(exc.value.message_dict)


def test_duplicate_identity_number_is_refused(users, household1):
    number = id_number()
    resident_create(actor=users["worker1"], data=_data(household1, id_number=number))
    with pytest.raises(ValidationError) as exc:
        resident_create(actor=users["staff"], data=_data(household1, id_number=number.lower(), relation_to_head="10"))
    assert "id_number" in exc.value.message_dict


def test_worker_of_another_grid_cannot_write_there(users, household1):
    with pytest.raises(ValidationError) as exc:
        resident_create(actor=users["worker2"], data=_data(household1))
    assert "household" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        resident_create(actor=users["district"], data=_data(household1))
    assert Resident.objects.count() == 0


def test_update_keeps_history_in_audit_log_with_masked_values(users, household1):
    r = resident_create(actor=users["worker1"], data=_data(household1))
    new_number = id_number(1990)
    resident_update(actor=users["worker1"], resident=r, data={"id_number": new_number, "name": "张三丰"})
    r.refresh_from_db()
    assert r.name == "张三丰" and r.birth_date == dt.date(1990, 5, 17)
    entry = LogEntry.objects.get_for_object(r).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert "id_number_masked" in entry.changes_dict and new_number not in str(entry.changes)
    with pytest.raises(ValidationError):
        resident_update(actor=users["worker1"], resident=r, data={"household": household1})
    with pytest.raises(PermissionDenied):
        resident_update(actor=users["worker2"], resident=r, data={"name": "李四"})


def test_move_appends_history_and_updates_heads(users, household1, household2):
    r = resident_create(actor=users["staff"], data=_data(household1))
    resident_move(actor=users["staff"], resident=r, kind=MoveKind.TRANSFER, to_household=household2, relation_to_head="02")
    r.refresh_from_db()
    household1.refresh_from_db()
    assert r.territory_code == household2.territory_code and household1.head_id is None
    resident_move(actor=users["staff"], resident=r, kind=MoveKind.MOVE_OUT)
    r.refresh_from_db()
    assert r.status == ResidentStatus.MOVED_OUT
    assert list(r.moves.order_by("id").values_list("kind", flat=True)) == ["move_in", "transfer", "move_out"]
    assert not resident_list(user=users["staff"]).filter(pk=r.pk).exists()
    with pytest.raises(ValidationError):
        resident_move(actor=users["staff"], resident=r, kind=MoveKind.MOVE_OUT, date=dt.date(2999, 1, 1))


def test_reveal_logs_purpose_and_respects_scope(users, household1):
    number = id_number()
    r = resident_create(actor=users["worker1"], data=_data(household1, id_number=number))
    assert resident_reveal(actor=users["worker1"], resident=r, field="id_number", purpose="办理低保") == number
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == users["worker1"] and entry.additional_data["purpose"] == "办理低保"
    with pytest.raises(ValidationError):
        resident_reveal(actor=users["worker1"], resident=r, field="id_number", purpose="")
    with pytest.raises(PermissionDenied):
        resident_reveal(actor=users["worker2"], resident=r, field="phone", purpose="看看")
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == 1


def test_restricted_tags_hidden_and_preserved(users, household1):
    r = resident_create(actor=users["secretary"], data=_data(household1, tags=["community_correction", "disabled_person"]))
    r = resident_list(user=users["worker1"]).get(pk=r.pk)
    assert [g.code for g in visible_tags(user=users["worker1"], resident=r)] == ["disabled_person"]
    with pytest.raises(ValidationError):
        resident_create(actor=users["worker1"], data=_data(household1, relation_to_head="10", tags=["drug_user"]))
    resident_update(actor=users["worker1"], resident=r, data={"tags": []})
    assert list(r.tag_links.values_list("group__code", flat=True)) == ["community_correction"]
    r = resident_list(user=users["secretary"]).get(pk=r.pk)
    assert [g.code for g in visible_tags(user=users["secretary"], resident=r)] == ["community_correction"]


def test_completeness_flows_to_household(users, household1):
    r = resident_create(actor=users["worker1"], data=_data(household1, education="", phone=""))
    assert r.completeness == 80
    household_update(actor=users["worker1"], household=household1, hardship_status="none")
    household1.refresh_from_db()
    assert household1.completeness == round((100 + 80) / 2)
    assert Household.objects.get(pk=household1.pk).head_id == r.pk


def test_scope_lists(users, household1, household2):
    a = resident_create(actor=users["worker1"], data=_data(household1))
    b = resident_create(actor=users["worker2"], data=_data(household2))
    assert set(resident_list(user=users["worker1"])) == {a}
    assert set(resident_list(user=users["worker2"])) == {b}
    assert set(resident_list(user=users["staff"])) == {a, b}
    assert set(resident_list(user=users["admin"])) == {a, b}
    from jiayuan.accounts.models import User

    nobody = User.objects.create_user("nobody", password="x")
    assert not resident_list(user=nobody).exists()
