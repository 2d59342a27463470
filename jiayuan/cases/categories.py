"""The case categories of ``categories.toml``: labels, kinds, routing and deadlines as data.

Why data: which unit a matter goes to (003 L267: 纪检类 → 纪委, 党建类 → 组织部, 民生类 → 群工部)
and how long it may take are local decisions; a district changes the file, not the code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

from .choices import CaseKind, RoutingTarget

CATEGORIES_FILE = Path(__file__).with_name("categories.toml")
DEFAULT_RESOLVE_WORKDAYS = 15


@dataclass(frozen=True)
class Category:
    code: str
    label_zh: str
    label_en: str
    kinds: tuple[str, ...]
    routing: str
    reply_workdays: int | None  # None: the rulebook's N-APPEAL-02 `days` applies
    resolve_workdays: int
    # Taken in only from another app's page that links the case to its own record (``"disclosure"``:
    # feedback on a public item); such a category is not offered on the report forms, Open311 or
    # the demo (``categories_for``), but is known everywhere else (labels, filters, routing).
    linked: str | None = None

    @property
    def label(self) -> str:
        return self.label_zh if (get_language() or "zh-hans").lower().startswith("zh") else self.label_en


@cache
def categories() -> dict[str, Category]:
    """Every category by code, in file order. A malformed file fails at the first call."""
    raw = tomllib.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
    result: dict[str, Category] = {}
    for row in raw.get("category", []):
        kinds = tuple(row["kinds"])
        bad = [k for k in kinds if k not in CaseKind.values]
        if bad or row["routing"] not in RoutingTarget.values or row["code"] in result:
            raise ValueError(f"categories.toml: bad category {row!r}")
        result[row["code"]] = Category(
            code=row["code"], label_zh=row["label_zh"], label_en=row["label_en"], kinds=kinds,
            routing=row["routing"], reply_workdays=row.get("reply_workdays"),
            resolve_workdays=int(row.get("resolve_workdays", DEFAULT_RESOLVE_WORKDAYS)), linked=row.get("linked"),
        )
    return result


def category_get(code: str) -> Category | None:
    return categories().get(code or "")


def categories_for(kind: str) -> list[Category]:
    """The categories offered for ``kind`` on the intake forms (linked-only categories left out)."""
    return [c for c in categories().values() if kind in c.kinds and not c.linked]


def category_choices(kind: str | None = None) -> list[tuple[str, str]]:
    rows = categories_for(kind) if kind else list(categories().values())
    return [(c.code, c.label) for c in rows]


def category_label(code: str) -> str:
    category = category_get(code)
    return category.label if category else code
