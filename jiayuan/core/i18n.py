"""Bilingual labels for code tables (national standards: ethnicity, political status ...).

Code tables carry both names from the standard itself, so they need no .po entries; the label
follows the active language like any gettext_lazy string.
"""

from django.utils.functional import lazy
from django.utils.translation import get_language


def _pick(zh: str, en: str) -> str:
    lang = (get_language() or "zh-hans").lower()
    return en if lang.startswith("en") else zh


bilingual = lazy(_pick, str)
