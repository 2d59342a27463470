"""Phone numbers as residents give them: a mainland mobile or a landline with area code."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalise_phone(value: str) -> str:
    """Strip spaces and a +86 prefix; raise ValidationError if it is not a Chinese number."""
    phone = (value or "").strip().replace(" ", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not phone:
        return ""
    if _MOBILE.match(phone):
        return phone
    if _LANDLINE.match(phone):
        return phone.replace("-", "")
    raise ValidationError(
        _("Enter an 11-digit mobile number or a landline with its area code."), code="phone_format"
    )
