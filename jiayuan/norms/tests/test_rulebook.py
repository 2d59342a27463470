"""The rule files themselves: they load, they hold the rules issue 4 asks for, every quote is the
seed's words at the cited line, every id is a row of norms.md, and the loader rejects broken files
with a message that names the rule. No database is needed."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from jiayuan.norms import checks
from jiayuan.norms.rulebook import ID_RE, RULES_DIR, RulebookError, load_facts, load_rules

# <repo>/../shared: /work/shared beside the checkout /work/main (and beside the clone in CI)
SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SEEDS = SHARED / "seeds"
NORMS_MD = SHARED / "docs" / "norms.md"

# The rules issue 4 asks for at least ("At least these rules encoded: ...").
REQUIRED_IDS = [
    # the checkable parts of the 22 basic norms, 003 L285-343
    "N-STD-01b",
    "N-STD-02a",
    "N-STD-03a",
    "N-STD-03b",
    "N-STD-03c",
    "N-STD-03e",
    "N-STD-03f",  # 两委 composition, 003 L297
    "N-STD-04a",
    "N-STD-04b",
    "N-STD-04c",
    "N-STD-04d",  # secretary / cadre training, 003 L299
    "N-STD-05a",
    "N-STD-05b",
    "N-STD-05d",
    "N-STD-06a",
    "N-STD-06e",
    "N-STD-06f",  # activist and development quotas, 003 L303
    "N-STD-08a",
    "N-STD-08b",
    "N-STD-08c",  # service centre, area per 100 households, 003 L309
    "N-STD-10a",
    "N-STD-12b",
    "N-STD-13a",
    "N-STD-15",
    "N-STD-17a",  # quarterly disclosure, 003 L329
    "N-STD-19a",
    "N-STD-19b",
    "N-STD-19c",  # funding floors, 003 L335
    # 三会一课 and organizational life, 002 L93
    "N-MEET-01",
    "N-MEET-02",
    "N-MEET-03",
    "N-MEET-04",
    "N-MEET-05a",
    "N-MEET-05b",
    "N-DEMO-08",  # 7-day notice of a 4+2 resolution, 002 L163
    "N-APPEAL-02",  # first-inquiry reply within 5 working days, 002 L69
    "N-ORG-03",  # three-year term, 002 L113
]

ROLES = {"community_secretary", "community_staff", "street_staff", "district_staff"}
SUBJECT_KINDS = {"community", "street", "district"}


def _shared_or_skip(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is missing: the shared seeds and docs are expected in <repo>/../shared")
    return path


@cache
def _seed_lines(prefix: str) -> list[str]:
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").splitlines()


def _cited_texts(source: str) -> list[str]:
    """The text of each cited range of ``source`` (``"003 L399-401"``), lines joined without a
    separator because the seeds break lines inside words."""
    prefix, ranges = source.split(" ", 1)
    lines = _seed_lines(prefix)
    texts = []
    for part in ranges.split(", "):
        first, _, last = part.removeprefix("L").partition("-")
        start, end = int(first), int(last or first)
        texts.append("".join(lines[start - 1 : end]))
    return texts


@cache
def _norms_rows() -> dict[str, str]:
    """id → source of every row of norms.md's tables."""
    rows = {}
    for line in NORMS_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and ID_RE.match(cells[0]):
            rows[cells[0]] = cells[3]
    return rows


def _base_id(rule_id: str) -> str:
    """N-MEET-05a → N-MEET-05: a rule split from one norms.md row carries a letter of its own."""
    return re.sub(r"[a-z]$", "", rule_id)


def _norms_row(rule_id: str) -> str | None:
    rows = _norms_rows()
    if rule_id in rows:
        return rule_id
    return _base_id(rule_id) if _base_id(rule_id) in rows else None


# -- the repository's rulebook --------------------------------------------------------------


def test_rulebook_loads():
    rules = load_rules()
    assert 35 <= len(rules) <= 60
    assert {r.file for r in rules.values()} >= {
        "standard.toml",
        "meetings.toml",
        "organization.toml",
        "disclosure.toml",
        "appeals.toml",
    }


def test_required_rules_are_present():
    rules = load_rules()
    missing = [rule_id for rule_id in REQUIRED_IDS if rule_id not in rules]
    assert not missing, f"rules asked for by issue 4 are missing: {missing}"


def test_quotes_are_the_seed_words_at_the_cited_lines():
    _shared_or_skip(SEEDS)
    wrong = []
    for rule in load_rules().values():
        if not any(rule.quote in text for text in _cited_texts(rule.source)):
            wrong.append(f"{rule.id}: {rule.quote!r} is not in {rule.source}")
    assert not wrong, "\n".join(wrong)


def test_no_rule_cites_the_repeat_of_002_in_000():
    # 000 L53-152 repeat 002 L7-205 with the years replaced: cite 002
    for rule in load_rules().values():
        prefix, ranges = rule.source.split(" ", 1)
        if prefix != "000":
            continue
        for part in ranges.split(", "):
            first, _, last = part.removeprefix("L").partition("-")
            assert int(last or first) < 53 or int(first) > 152, f"{rule.id}: cite 002, not {rule.source}"


def test_every_rule_is_a_row_of_norms_md_with_its_source():
    _shared_or_skip(NORMS_MD)
    rows = _norms_rows()
    assert len(rows) > 200  # the tables were read
    for rule in load_rules().values():
        row = _norms_row(rule.id)
        assert row is not None, f"{rule.id} is not a row of norms.md"
        assert rule.source == rows[row], f"{rule.id}: source {rule.source!r}, norms.md says {rows[row]!r}"


def test_every_fact_is_declared_with_a_contract():
    facts = load_facts()
    for rule in load_rules().values():
        assert rule.fact in facts, f"{rule.id}: fact {rule.fact!r} is not declared"
    text = (RULES_DIR / "facts.toml").read_text(encoding="utf-8")
    for name in facts:
        assert f"# CONTRACT {name} " in text, f"facts.toml: {name} has no CONTRACT comment"


def test_rules_are_complete():
    for rule in load_rules().values():
        assert rule.title and "\n" not in rule.title and rule.title_zh and "\n" not in rule.title_zh, rule.id
        assert set(rule.responsible) <= ROLES and rule.responsible, rule.id
        assert set(rule.applies_to) <= SUBJECT_KINDS, rule.id
        for param in rule.params.values():
            assert param.label and param.label_zh, f"{rule.id}: {param.name}"
        if rule.check == "count_at_least":
            assert {"times", "period"} <= set(rule.params), (
                f"{rule.id}: a count per period needs times and period"
            )
        period = rule.params.get("period")
        if period is not None and period.choices:
            assert period.default in period.choices, rule.id
        for name, value in rule.args.items():
            if name in ("value", "base", "only_if"):
                assert isinstance(value, str), f"{rule.id}: {name}"


def test_split_rows_quote_the_same_words():
    rules = load_rules()
    assert rules["N-MEET-05a"].quote == rules["N-MEET-05b"].quote
    assert {rules["N-MEET-05a"].args["meeting_type"], rules["N-MEET-05b"].args["meeting_type"]} == {
        "democratic_life",
        "organizational_life",
    }


def test_fixed_fact_contracts_are_used_as_agreed():
    rules = load_rules()
    assert rules["N-STD-08a"].check == "exists"
    assert rules["N-STD-08b"].args == {"value": "area_m2", "base": "households"}
    assert (rules["N-STD-08c"].check, rules["N-STD-08c"].args["value"]) == ("value_at_most", "rooms_missing")
    funds = {rid: rules[rid] for rid in ("N-STD-19a", "N-STD-19b", "N-STD-19c")}
    assert [r.args["fund"] for r in funds.values()] == [
        "operating_fund",
        "member_activity_fund",
        "livelihood_fund",
    ]
    assert all(r.params["period"].default == "year" for r in funds.values())
    assert funds["N-STD-19a"].defaults() == {"rate": 30, "per": 1, "period": "year"}
    assert funds["N-STD-19b"].args["base"] == "members" and funds["N-STD-19b"].params["rate"].default == 100
    assert (
        funds["N-STD-19c"].params["min"].default == 200000
        and funds["N-STD-19c"].params["min"].type == "decimal"
    )
    assert rules["N-STD-03b"].params["age"].default == 35
    assert rules["N-STD-03f"].args == {"value": "full_time_deputies", "only_if": "dual_role"}
    assert {
        rid: rules[rid].args["value"] for rid in ("N-STD-03a", "N-STD-03b", "N-STD-03c", "N-STD-03e")
    } == {
        "N-STD-03a": "members",
        "N-STD-03b": "under_age",
        "N-STD-03c": "graduates",
        "N-STD-03e": "cross_appointed",
    }


def test_checks_of_the_issue():
    rules = load_rules()
    assert (rules["N-APPEAL-02"].check, rules["N-APPEAL-02"].params["days"].default) == ("within_workdays", 5)
    assert (rules["N-DEMO-08"].check, rules["N-DEMO-08"].params["days"].default) == ("duration_at_least", 7)
    assert (rules["N-ORG-03"].check, rules["N-ORG-03"].params["years"].default) == ("term_current", 3)
    assert rules["N-STD-06e"].defaults() == {"times": 3, "period": "year"}
    assert rules["N-STD-06f"].defaults() == {"times": 1, "period": "two_years"}
    assert rules["N-STD-17a"].defaults() == {"times": 1, "period": "quarter"}
    assert rules["N-MEET-08"].applies_to == ("street",)
    assert all(r.check in checks.CHECKS for r in rules.values())


# -- the loader rejects broken files ----------------------------------------------------------

GOOD = """
[[rule]]
id = "N-TEST-01"
source = "002 L93"
quote = "每月召开1次党小组会"
title = "A test rule"
title_zh = "测试规则"
subject = "party_group"
applies_to = ["community"]
kind = "frequency"
check = "count_at_least"
fact = "meetings.held"
args = { meeting_type = "party_group" }
[rule.params.times]
default = 1
type = "int"
label = "meetings per period"
label_zh = "每期次数"
[rule.params.period]
default = "month"
type = "period"
label = "period"
label_zh = "周期"
"""


@pytest.fixture
def rules_dir(tmp_path):
    shutil.copy(RULES_DIR / "facts.toml", tmp_path / "facts.toml")
    return tmp_path


def test_a_good_file_loads(rules_dir):
    (rules_dir / "test.toml").write_text(GOOD, encoding="utf-8")
    rules = load_rules(rules_dir)
    assert list(rules) == ["N-TEST-01"]
    assert rules["N-TEST-01"].responsible == ("community_secretary", "community_staff")  # default by subject


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "frequency"', 'kind = "frequency"\ncolour = "red"', "unknown keys"),
        ('source = "002 L93"', 'source = "002 line 93"', "source"),
        ('source = "002 L93"', 'source = "005 L93"', "source"),
        ('check = "count_at_least"', 'check = "count_most"', "check 'count_most'"),
        (
            "[rule.params.times]\ndefault = 1\n",
            "[rule.params.often]\ndefault = 1\n",
            "needs parameters ['times']",
        ),
        ('default = 1\ntype = "int"', 'default = "once"\ntype = "int"', "default of 'times' is invalid"),
        ('default = "month"', 'default = "week"', "default of 'period' is invalid"),
        ('fact = "meetings.held"', 'fact = "meetings.sat"', "not declared"),
        ('kind = "frequency"', 'kind = "often"', "kind 'often'"),
        ('label_zh = "每期次数"\n', "", "needs label and label_zh"),
    ],
)
def test_the_loader_rejects_a_broken_rule(rules_dir, old, new, message):
    assert old in GOOD
    (rules_dir / "test.toml").write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        load_rules(rules_dir)
    assert "N-TEST-01" in str(exc.value)
    assert message in str(exc.value)


def test_the_loader_rejects_a_decimal_default_that_is_not_a_number(rules_dir):
    bad = (
        GOOD.replace('check = "count_at_least"', 'check = "value_at_least"').replace(
            'args = { meeting_type = "party_group" }', 'args = { value = "amount" }'
        )
        + '[rule.params.min]\ndefault = "lots"\ntype = "decimal"\nlabel = "amount"\nlabel_zh = "金额"\n'
    )
    (rules_dir / "test.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(RulebookError, match=r"N-TEST-01: default of 'min' is invalid"):
        load_rules(rules_dir)


def test_the_loader_rejects_a_duplicate_id(rules_dir):
    (rules_dir / "a.toml").write_text(GOOD, encoding="utf-8")
    (rules_dir / "b.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RulebookError, match=r"N-TEST-01: defined twice \(a.toml and b.toml\)"):
        load_rules(rules_dir)


def test_the_loader_rejects_a_bad_id_and_bad_toml(rules_dir):
    (rules_dir / "test.toml").write_text(GOOD.replace('"N-TEST-01"', '"N-TEST-1x2"'), encoding="utf-8")
    with pytest.raises(RulebookError, match=r"N-TEST-1x2: id must look like"):
        load_rules(rules_dir)
    (rules_dir / "test.toml").write_text(GOOD.replace("[[rule]]", "[[rule]"), encoding="utf-8")
    with pytest.raises(RulebookError, match=r"test.toml"):
        load_rules(rules_dir)


def test_the_loader_rejects_a_missing_arg_and_a_missing_period(rules_dir):
    (rules_dir / "test.toml").write_text(
        GOOD.replace('args = { meeting_type = "party_group" }\n', "")
        .replace('check = "count_at_least"', 'check = "value_at_most"')
        .replace("[rule.params.times]", "[rule.params.max]"),
        encoding="utf-8",
    )
    with pytest.raises(RulebookError, match=r"N-TEST-01: check 'value_at_most' needs args \['value'\]"):
        load_rules(rules_dir)
    no_period = GOOD[: GOOD.index("[rule.params.period]")]
    (rules_dir / "test.toml").write_text(no_period, encoding="utf-8")
    with pytest.raises(RulebookError, match=r"N-TEST-01: check 'count_at_least' counts per period"):
        load_rules(rules_dir)
