"""Property tests (Hypothesis) for identity numbers and the personal-data helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from jiayuan.core import crypto
from jiayuan.core.idnumber import check_char, make_id_number, parse_id_number

TODAY = dt.date(2026, 1, 1)
areas = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
seqs = st.integers(min_value=0, max_value=999)
id_numbers = st.builds(make_id_number, areas, births, seqs)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@given(area=areas, birth=births, seq=seqs)
def test_made_numbers_parse_back(area, birth, seq):
    number = make_id_number(area, birth, seq)
    info = parse_id_number(number, today=TODAY)
    assert info.number == number and len(number) == 18
    assert info.birth_date == birth
    assert info.sex == ("male" if seq % 2 else "female")
    assert parse_id_number(" " + number.lower() + " ", today=TODAY) == info


@given(number=id_numbers, position=st.integers(min_value=0, max_value=16), delta=st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_rejected(number, position, delta):
    digit = str((int(number[position]) + delta) % 10)
    changed = number[:position] + digit + number[position + 1:]
    assert check_char(changed[:17]) != number[17]  # MOD 11-2 catches every single-digit error
    with pytest.raises(ValidationError) as exc:
        parse_id_number(changed, today=TODAY)
    if 6 <= position < 14:  # a changed birth date may fail as a date before the checksum is reached
        assert exc.value.code in {"id_checksum", "id_birth_date", "id_future"}
    else:
        assert exc.value.code == "id_checksum"


@given(number=id_numbers)
def test_id_mask_keeps_length_and_shows_only_the_ends(number):
    masked = crypto.mask_id_number(number)
    assert len(masked) == len(number) == 18
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:]
    assert masked[4:-4] == "*" * 10


@given(phone=mobiles)
def test_mobile_mask_shows_three_and_four(phone):
    masked = crypto.mask_phone(phone)
    assert len(masked) == 11
    assert masked == phone[:3] + "****" + phone[-4:]


@given(value=st.text(min_size=1, max_size=40, alphabet="0123456789X"))
def test_generic_mask_keeps_length_and_hides_something(value):
    """The audit log's mask for any sensitive field: never longer, never the whole value."""
    masked = crypto.mask_generic(value)
    assert len(masked) == len(value)
    assert masked.count("*") >= min(len(value), 2)
    if len(value) >= 15:
        assert masked[4:-4] == "*" * (len(value) - 8)


@given(area=st.from_regex(r"0[1-9][0-9]{1,2}", fullmatch=True), local=st.from_regex(r"[2-8][0-9]{6,7}", fullmatch=True))
def test_landline_mask_shows_area_code_and_last_four(area, local):
    phone = area + local
    masked = crypto.mask_phone(phone)
    assert len(masked) == len(phone)
    assert masked[:4] == phone[:4] and masked[-4:] == phone[-4:] and set(masked[4:-4]) == {"*"}


@settings(max_examples=50)
@given(value=st.text(max_size=60, alphabet=st.characters(blacklist_categories=("Cs",))))
def test_encrypt_decrypt_round_trip(value):
    token = crypto.encrypt(value)
    assert crypto.decrypt(token) == value
    if len(value) >= 12:
        assert value not in token


@settings(max_examples=20)
@given(value=st.text(min_size=1, max_size=20, alphabet="0123456789"))
def test_encryption_is_randomised(value):
    assert crypto.encrypt(value) != crypto.encrypt(value)


@given(number=id_numbers)
def test_blind_index_is_stable_and_case_insensitive_for_x(number):
    index = crypto.blind_index(number)
    assert index == crypto.blind_index(number) == crypto.blind_index(number.lower())
    assert index == crypto.blind_index(" " + number + " ")
    assert len(index) == 32 and number not in index
    other = make_id_number(number[:6], dt.date(1999, 9, 9), (int(number[14:17]) + 1) % 1000)
    if other != number:
        assert crypto.blind_index(other) != index


def test_blind_index_x_check_character():
    # 11010519491231002X is the standard's own example with an X check character
    number = "11010519491231002X"
    assert parse_id_number(number.lower()).number == number
    assert crypto.blind_index(number) == crypto.blind_index(number.lower())
