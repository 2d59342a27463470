"""The rules as data: ``rules/*.toml`` in the repository, read once per process.

Each ``[[rule]]`` table is one checkable rule of ``../shared/docs/norms.md`` with its source
(seed file and line) and the exact Chinese quote. The schema (checked when the files are read,
so a malformed rule fails at start-up and in the test suite, never at evaluation time):

``id``          stable key from norms.md, e.g. ``N-MEET-01`` (unique)
``source``      ``"002 L93"`` or ``"003 L399-401"``: seed prefix and line(s)
``quote``       the seed's words, character for character
``title``       one English line; ``title_zh``: one Chinese line (the UI shows the user's language)
``subject``     glossary identifier of who the rule binds (``party_branch``, ``two_committees``...)
``applies_to``  subject kinds it is evaluated for (``community``, ``street``, ``district``...)
``kind``        frequency | quota | deadline | notice_period | composition | threshold | sequence
``check``       how the facts are judged (see ``checks.CHECKS``)
``fact``        the fact the check reads (declared in ``rules/facts.toml``)
``args``        fixed arguments for the fact and the check (not overridable); ``only_if``
                names a value the provider returns: when it is false the rule is not applicable
``params``      overridable parameters: ``{default, type, min, max, choices, label, label_zh}``;
                a parameter named ``period`` (type ``period``) sets the length of the windows
``responsible`` roles that must act (their home page lists the obligation); default by subject
``note``        optional English note (conflicts C-01..C-13 of norms.md, examples)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

RULES_DIR = Path(__file__).with_name("rules")

KINDS = ("frequency", "quota", "deadline", "notice_period", "composition", "threshold", "sequence")
PERIODS = ("month", "quarter", "half_year", "year", "two_years", "none")
PARAM_TYPES = ("int", "decimal", "bool", "period", "choice")
SOURCE_RE = re.compile(r"^00[0-4] L\d+(-\d+)?(, L\d+(-\d+)?)*$")
ID_RE = re.compile(r"^N-[A-Z]+-\d+[a-z]?$")


class RulebookError(ValueError):
    """A rule file does not follow the schema (raised when the rulebook is read)."""


@dataclass(frozen=True)
class Param:
    """One overridable number (or choice) of a rule, with the seed's value as its default."""

    name: str
    default: Any
    type: str
    label: str
    label_zh: str
    min: Any = None
    max: Any = None
    choices: tuple = ()

    def display_label(self) -> str:
        return self.label_zh if _is_zh() else self.label

    def parse(self, raw: Any) -> Any:
        """The value ``raw`` as this parameter's type, or ``ValueError`` with a message for users."""
        if self.type == "int":
            if isinstance(raw, bool):
                raise ValueError(_("Enter a whole number."))
            try:
                value = int(str(raw).strip())
            except (TypeError, ValueError):
                raise ValueError(_("Enter a whole number.")) from None
        elif self.type == "decimal":
            try:
                value = Decimal(str(raw).strip())
            except (InvalidOperation, TypeError, ValueError):
                raise ValueError(_("Enter a number.")) from None
            if not value.is_finite():
                raise ValueError(_("Enter a number."))
        elif self.type == "bool":
            if isinstance(raw, bool):
                value = raw
            elif str(raw).strip().lower() in {"1", "true", "yes", "on", "是"}:
                value = True
            elif str(raw).strip().lower() in {"0", "false", "no", "off", "否"}:
                value = False
            else:
                raise ValueError(_("Enter yes or no."))
        else:  # period, choice
            value = str(raw).strip()
            allowed = PERIODS if self.type == "period" else self.choices
            if self.type == "period" and self.choices:
                allowed = self.choices
            if value not in allowed:
                raise ValueError(_("Choose one of: {choices}.").format(choices=", ".join(allowed)))
            return value
        if self.min is not None and value < self.min:
            raise ValueError(_("The smallest allowed value is {min}.").format(min=self.min))
        if self.max is not None and value > self.max:
            raise ValueError(_("The largest allowed value is {max}.").format(max=self.max))
        return value

    def to_json(self, value: Any) -> Any:
        """A JSON-storable form of a parsed value (decimals as strings, exact)."""
        return str(value) if isinstance(value, Decimal) else value

    def from_json(self, stored: Any) -> Any:
        return Decimal(stored) if self.type == "decimal" else stored


@dataclass(frozen=True)
class Rule:
    """One rule with a number, from a seed, as the evaluator and the rulebook page use it."""

    id: str
    source: str
    quote: str
    title: str
    title_zh: str
    subject: str
    applies_to: tuple[str, ...]
    kind: str
    check: str
    fact: str
    args: dict = field(default_factory=dict)
    params: dict[str, Param] = field(default_factory=dict)
    responsible: tuple[str, ...] = ()
    note: str = ""
    file: str = ""
    order: int = 0

    def display_title(self) -> str:
        return self.title_zh if _is_zh() else self.title

    def defaults(self) -> dict[str, Any]:
        return {name: p.default for name, p in self.params.items()}

    @property
    def section(self) -> str:
        """``STD``, ``MEET``...: the norms.md section the id belongs to."""
        return self.id.split("-")[1]


def _is_zh() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


DEFAULT_RESPONSIBLE = {
    # who answers for a rule on this subject (their home page lists its obligations)
    "community": ("community_secretary", "community_staff"),
    "street": ("street_staff",),
    "district": ("district_staff",),
}


def _param(rule_id: str, name: str, spec: Any) -> Param:
    if not isinstance(spec, dict) or "default" not in spec:
        raise RulebookError(f"{rule_id}: parameter {name!r} needs a table with a default")
    ptype = spec.get("type") or _infer_type(spec["default"])
    if ptype not in PARAM_TYPES:
        raise RulebookError(f"{rule_id}: parameter {name!r} has unknown type {ptype!r}")
    if name == "period" and ptype != "period":
        raise RulebookError(f"{rule_id}: parameter 'period' must have type 'period'")
    unknown = set(spec) - {"default", "type", "min", "max", "choices", "label", "label_zh"}
    if unknown:
        raise RulebookError(f"{rule_id}: parameter {name!r} has unknown keys {sorted(unknown)}")
    if not spec.get("label") or not spec.get("label_zh"):
        raise RulebookError(f"{rule_id}: parameter {name!r} needs label and label_zh")
    convert = Decimal if ptype == "decimal" else (lambda v: v)
    if ptype == "decimal":
        for key in ("default", "min", "max"):
            if key in spec:
                try:
                    Decimal(str(spec[key]))
                except InvalidOperation:
                    raise RulebookError(f"{rule_id}: {key} of {name!r} is invalid: not a number ({spec[key]!r})") from None
    p = Param(
        name=name,
        default=convert(str(spec["default"])) if ptype == "decimal" else spec["default"],
        type=ptype,
        label=spec["label"],
        label_zh=spec["label_zh"],
        min=convert(str(spec["min"])) if ptype == "decimal" and "min" in spec else spec.get("min"),
        max=convert(str(spec["max"])) if ptype == "decimal" and "max" in spec else spec.get("max"),
        choices=tuple(spec.get("choices", ())),
    )
    try:
        p.parse(p.default)
    except ValueError as exc:
        raise RulebookError(f"{rule_id}: default of {name!r} is invalid: {exc}") from None
    return p


def _infer_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "decimal"
    return "choice"


REQUIRED = ("id", "source", "quote", "title", "title_zh", "subject", "applies_to", "kind", "check", "fact")
OPTIONAL = ("args", "params", "responsible", "note")


def _rule(raw: dict, file: str, order: int, known_facts: dict, known_checks: dict) -> Rule:
    rule_id = raw.get("id", f"{file}#{order}")
    missing = [k for k in REQUIRED if not raw.get(k)]
    if missing:
        raise RulebookError(f"{rule_id}: missing {missing}")
    unknown = set(raw) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise RulebookError(f"{rule_id}: unknown keys {sorted(unknown)}")
    if not ID_RE.match(rule_id):
        raise RulebookError(f"{rule_id}: id must look like N-MEET-01 or N-STD-03b")
    if not SOURCE_RE.match(raw["source"]):
        raise RulebookError(f"{rule_id}: source {raw['source']!r} must look like '002 L93' or '003 L399-401'")
    if raw["kind"] not in KINDS:
        raise RulebookError(f"{rule_id}: kind {raw['kind']!r} is not one of {KINDS}")
    if raw["fact"] not in known_facts:
        raise RulebookError(f"{rule_id}: fact {raw['fact']!r} is not declared in rules/facts.toml")
    check = known_checks.get(raw["check"])
    if check is None:
        raise RulebookError(f"{rule_id}: check {raw['check']!r} is not one of {sorted(known_checks)}")
    params = {name: _param(rule_id, name, spec) for name, spec in raw.get("params", {}).items()}
    args = dict(raw.get("args", {}))
    need_params = set(check.params) - set(params)
    if need_params:
        raise RulebookError(f"{rule_id}: check {raw['check']!r} needs parameters {sorted(need_params)}")
    need_args = set(check.args) - set(args)
    if need_args:
        raise RulebookError(f"{rule_id}: check {raw['check']!r} needs args {sorted(need_args)}")
    if check.windowed and "period" not in params:
        raise RulebookError(f"{rule_id}: check {raw['check']!r} counts per period: add a 'period' parameter")
    applies_to = tuple(raw["applies_to"])
    responsible = tuple(raw.get("responsible", ()))
    if not responsible:
        responsible = tuple(dict.fromkeys(r for kind in applies_to for r in DEFAULT_RESPONSIBLE.get(kind, ())))
    return Rule(
        id=rule_id,
        source=raw["source"],
        quote=raw["quote"],
        title=raw["title"],
        title_zh=raw["title_zh"],
        subject=raw["subject"],
        applies_to=applies_to,
        kind=raw["kind"],
        check=raw["check"],
        fact=raw["fact"],
        args=args,
        params=params,
        responsible=responsible,
        note=raw.get("note", ""),
        file=file,
        order=order,
    )


@dataclass(frozen=True)
class FactInfo:
    """A fact a rule may read: its label and the module expected to record it."""

    name: str
    label: str
    label_zh: str
    module: str

    def display_label(self) -> str:
        return self.label_zh if _is_zh() else self.label


def load_facts(directory: Path = RULES_DIR) -> dict[str, FactInfo]:
    with open(directory / "facts.toml", "rb") as fh:
        raw = tomllib.load(fh)
    facts = {}
    for name, spec in raw.get("fact", {}).items():
        if not {"label", "label_zh", "module"} <= set(spec):
            raise RulebookError(f"facts.toml: {name!r} needs label, label_zh and module")
        facts[name] = FactInfo(name=name, label=spec["label"], label_zh=spec["label_zh"], module=spec["module"])
    return facts


def load_rules(directory: Path = RULES_DIR) -> dict[str, Rule]:
    """Every rule of every ``*.toml`` file but ``facts.toml``, in file then file order."""
    from .checks import CHECKS

    facts = load_facts(directory)
    rules: dict[str, Rule] = {}
    order = 0
    for path in sorted(directory.glob("*.toml")):
        if path.name == "facts.toml":
            continue
        try:
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise RulebookError(f"{path.name}: {exc}") from None
        for item in raw.get("rule", []):
            order += 1
            rule = _rule(item, path.name, order, facts, CHECKS)
            if rule.id in rules:
                raise RulebookError(f"{rule.id}: defined twice ({rules[rule.id].file} and {path.name})")
            rules[rule.id] = rule
    return rules


@cache
def rulebook() -> dict[str, Rule]:
    """The rules of the repository, read once per process."""
    return load_rules()


@cache
def fact_catalogue() -> dict[str, FactInfo]:
    return load_facts()


def rule_get(rule_id: str) -> Rule | None:
    return rulebook().get(rule_id)
