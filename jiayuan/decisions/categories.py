"""The decision categories of ``categories.toml`` (002 L161): which matters must use the 4+2 method
is data, so a district extends the file, not the code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

CATEGORIES_FILE = Path(__file__).with_name("categories.toml")


@dataclass(frozen=True)
class Category:
    code: str
    label_zh: str
    label_en: str
    requires_4_2: bool

    @property
    def label(self) -> str:
        return self.label_zh if (get_language() or "zh-hans").lower().startswith("zh") else self.label_en


@cache
def categories() -> dict[str, Category]:
    raw = tomllib.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
    out = {}
    for row in raw["category"]:
        cat = Category(code=row["code"], label_zh=row["label_zh"], label_en=row["label_en"],
                       requires_4_2=bool(row.get("requires_4_2", False)))
        out[cat.code] = cat
    return out


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.label_zh} · {c.label_en}") for c in categories().values()]
