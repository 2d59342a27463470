"""Nothing personal leaks from the public board (issue 7, "Nothing personal leaks").

Staff may type an identity number or a mobile number into an item's body; every public
rendering (board, item page, PDF, plain text, anonymous API) passes the text through
:func:`mask_personal`, which finds

- 18-character resident identity numbers (GB 11643: 17 digits and a digit or X) and the old
  15-digit ones, not inside a longer run of digits, and masks them with
  :func:`jiayuan.core.crypto.mask_id_number` (``5203**********1234``);
- mainland mobile numbers (11 digits starting 13-19, optionally written 138-1234-5678 or
  138 1234 5678 or after +86), masked with :func:`jiayuan.core.crypto.mask_phone`
  (``138****5678``).

Masking happens on render, so the stored text is what staff typed (the audit log has it).
"""

from __future__ import annotations

import re

from jiayuan.core.crypto import mask_id_number, mask_phone

ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")


def mask_personal(text: str) -> str:
    """``text`` with every identity and mobile number masked."""
    if not text:
        return text or ""
    text = ID_RE.sub(lambda m: mask_id_number(m.group(1)), str(text))
    return PHONE_RE.sub(lambda m: mask_phone(m.group(1)), text)
