"""The evaluator: for a subject and a period, each rule's status with its evidence and reason.

For every rule of the rulebook: not applicable when the rule does not bind this kind of subject;
not evaluable yet when no module records the fact it needs (the reason names the missing
records); otherwise the rule's parameters are taken with the overrides of the subject's area,
the period is cut into the rule's windows, the fact provider is asked once per window and the
check judges each window. The statuses of the windows combine: any window not met → not met;
all met → met; otherwise not yet due, with the next due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from . import checks, periods
from .facts import Evidence, Subject, Window, provider_for
from .models import RuleOverride
from .rulebook import Rule, fact_catalogue, rulebook


@dataclass
class EffectiveParam:
    """A parameter as it applies to one subject: its value and where the value comes from."""

    name: str
    label: str
    value: Any
    default: Any
    override: RuleOverride | None = None

    @property
    def overridden(self) -> bool:
        return self.override is not None


@dataclass
class WindowResult:
    label: str
    start: dt.date
    end: dt.date
    status: str
    explanation: str
    due: dt.date | None = None


@dataclass
class Result:
    """One rule judged for one subject over one period."""

    rule: Rule
    subject: Subject
    status: str
    explanation: str
    evidence: list[Evidence] = field(default_factory=list)
    windows: list[WindowResult] = field(default_factory=list)
    params: dict[str, EffectiveParam] = field(default_factory=dict)
    due: dt.date | None = None
    provisional: bool = False
    period: periods.Period | None = None

    @property
    def colour(self) -> str:
        """green / amber / red / grey for the traffic-light view; amber is "not yet due"."""
        return {
            checks.MET: "green",
            checks.UNMET: "red",
            checks.NOT_DUE: "amber",
        }.get(self.status, "grey")


def overrides_for(codes: list[str]) -> list[RuleOverride]:
    """The overrides that could apply to subjects with these codes (one query)."""
    prefixes = {""}
    for code in codes:
        prefixes |= {code[:n] for n in range(1, len(code) + 1)}
    return list(
        RuleOverride.objects.filter(territory_code__in=prefixes).select_related("set_by", "place").order_by("territory_code")
    )


def effective_params(rule: Rule, subject_code: str, overrides: list[RuleOverride]) -> dict[str, EffectiveParam]:
    """The rule's parameters for a subject: the nearest override (longest prefix) or the default."""
    chosen: dict[str, RuleOverride] = {}
    for o in overrides:
        if o.rule_id != rule.id or o.parameter not in rule.params or not subject_code.startswith(o.territory_code):
            continue
        if o.parameter not in chosen or len(o.territory_code) > len(chosen[o.parameter].territory_code):
            chosen[o.parameter] = o
    result = {}
    for name, param in rule.params.items():
        override = chosen.get(name)
        value = param.from_json(override.value) if override else param.default
        result[name] = EffectiveParam(name, param.display_label(), value, param.default, override)
    return result


def _combine(outcomes: list[tuple[Window, checks.Outcome]]) -> tuple[str, dt.date | None]:
    statuses = [o.status for _, o in outcomes]
    if checks.UNMET in statuses:
        return checks.UNMET, None
    if all(s == checks.NOT_APPLICABLE for s in statuses):
        return checks.NOT_APPLICABLE, None
    judged = [s for s in statuses if s != checks.NOT_APPLICABLE]
    if all(s == checks.MET for s in judged):
        return checks.MET, None
    dues = [o.due for _, o in outcomes if o.status == checks.NOT_DUE and o.due]
    return checks.NOT_DUE, min(dues) if dues else None


def evaluate_rule(
    rule: Rule,
    subject: Subject,
    period: periods.Period,
    *,
    overrides: list[RuleOverride] | None = None,
    today: dt.date | None = None,
) -> Result:
    today = today or timezone.localdate()
    if overrides is None:
        overrides = overrides_for([subject.code])
    params = effective_params(rule, subject.code, overrides)
    if subject.kind not in rule.applies_to:
        return Result(
            rule,
            subject,
            checks.NOT_APPLICABLE,
            _("This rule applies to: {kinds}.").format(kinds=", ".join(_subject_kind_label(k) for k in rule.applies_to)),
            params=params,
            period=period,
        )
    provider = provider_for(rule.fact)
    if provider is None or subject.kind not in provider.subject_kinds:
        info = fact_catalogue()[rule.fact]
        return Result(
            rule,
            subject,
            checks.NOT_EVALUABLE,
            _("Not evaluable yet: Jiayuan does not record {what} yet.").format(what=info.display_label()),
            params=params,
            period=period,
        )
    check = checks.CHECKS[rule.check]
    ctx = {**rule.args, **{name: p.value for name, p in params.items()}}
    # A rule with a 'period' parameter is judged per window of that length (a sum of funds per
    # year); one without is judged once, as of the end of the period (or today).
    kind = ctx.get("period", "none")
    outcomes: list[tuple[Window, checks.Outcome]] = []
    for window in periods.windows(kind, period, today):
        facts = provider(subject, window, ctx)
        only_if = rule.args.get("only_if")
        if only_if and not facts.values.get(only_if):
            reason = facts.values.get("reason") or _("Does not apply here as of {date}.").format(date=window.end.isoformat())
            outcome = checks.Outcome(checks.NOT_APPLICABLE, str(reason), facts.items)
        else:
            outcome = check.func(facts, window, ctx, today)
        if outcome.status == checks.UNMET and check.accumulates and kind != "none" and window.end >= today:
            outcome.status = checks.NOT_DUE
            outcome.due = window.end
            outcome.explanation += _(" (due by {date})").format(date=window.end.isoformat())
        outcomes.append((window, outcome))
    status, due = _combine(outcomes)
    evidence = [e for _w, o in outcomes for e in o.evidence]
    return Result(
        rule=rule,
        subject=subject,
        status=status,
        explanation="; ".join(o.explanation for _w, o in outcomes),
        evidence=evidence,
        windows=[WindowResult(w.label, w.start, w.end, o.status, o.explanation, o.due) for w, o in outcomes],
        params=params,
        due=due,
        provisional=any(o.provisional for _w, o in outcomes),
        period=period,
    )


def evaluate(
    subject: Subject,
    period: periods.Period,
    *,
    rule_ids: list[str] | None = None,
    today: dt.date | None = None,
) -> list[Result]:
    """Every rule (or those named) for ``subject`` over ``period``, in rulebook order."""
    rules = rulebook()
    selected = [rules[r] for r in rule_ids] if rule_ids is not None else list(rules.values())
    overrides = overrides_for([subject.code])
    return [evaluate_rule(rule, subject, period, overrides=overrides, today=today) for rule in selected]


def _subject_kind_label(kind: str) -> str:
    from jiayuan.territory.choices import PlaceKind

    try:
        return str(PlaceKind(kind).label)
    except ValueError:
        return kind
