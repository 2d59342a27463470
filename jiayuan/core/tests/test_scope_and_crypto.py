"""Scope arithmetic and personal-data helpers."""

import pytest
from django.core.exceptions import ValidationError

from jiayuan.accounts.scope import Grant, Scope
from jiayuan.core import crypto
from jiayuan.core.idnumber import parse_id_number
from jiayuan.core.phone import normalise_phone


def test_scope_codes_collapse_and_cover():
    s = Scope(user_id=1, grants=(Grant("grid_worker", "520371001001001"), Grant("community_staff", "520371001001")))
    assert s.codes == ["520371001001"]
    assert s.covers("520371001001002123") and not s.covers("520371001002")
    assert s.max_sensitivity("520371001001001") == 2
    assert s.can_write("520371001001003") and not s.can_write("520371001002001")


def test_empty_scope_denies():
    s = Scope(user_id=1)
    assert not s.covers("") and s.max_sensitivity("5") == 0 and not s.can_reveal("5")


def test_known_id_number():
    info = parse_id_number("11010519491231002x")
    assert info.number.endswith("X") and info.sex == "female" and info.birth_date.isoformat() == "1949-12-31"


@pytest.mark.parametrize("bad", ["", "123", "110105194912310021", "110105194913310028", "11010520991231002X"])
def test_bad_id_numbers(bad):
    with pytest.raises(ValidationError):
        parse_id_number(bad)


def test_phone_normalise_and_mask():
    assert normalise_phone("+86 138 1234 5678") == "13812345678"
    assert normalise_phone("0851-28888888") == "085128888888"
    assert crypto.mask_phone("085128888888") == "0851****8888"
    with pytest.raises(ValidationError):
        normalise_phone("12345")


def test_wrong_key_cannot_decrypt(settings):
    token = crypto.encrypt("13812345678")
    settings.JIAYUAN_FIELD_KEY = "another-key"
    with pytest.raises(ValueError):
        crypto.decrypt(token)
