"""Citizen identity number (公民身份号码, GB 11643-1999): checksum, birth date and sex.

The number is 6 digits of address code, 8 of birth date, 3 of sequence (odd = male) and a
check character computed with ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    birth_date: dt.date
    sex: str  # "male" / "female", the codes of residents.choices.Sex


def normalise(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdNumberInfo:
    """Validate an identity number and derive birth date and sex from it.

    Raises ``ValidationError`` with a message in the active language when the format, the
    birth date or the checksum is wrong.
    """
    number = normalise(value)
    if not _PATTERN.match(number):
        raise ValidationError(
            _("An identity number has 17 digits followed by a digit or X."), code="id_format"
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date inside the identity number is not a real date."), code="id_birth_date"
        ) from None
    today = today or dt.date.today()
    if birth > today:
        raise ValidationError(_("The birth date inside the identity number is in the future."), code="id_future")
    if birth.year < 1880:
        raise ValidationError(_("The birth date inside the identity number is too early."), code="id_birth_date")
    if check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The identity number's check digit is wrong; please check each digit."), code="id_checksum"
        )
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdNumberInfo(number=number, birth_date=birth, sex=sex)


def make_id_number(area: str, birth: dt.date, seq: int) -> str:
    """Build a valid number (used by demo and synthetic data); ``seq`` 0..999, odd = male."""
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)
