"""Every write of the rulebook: parameter overrides and reminders.

Overrides are how a district, a street or a community adapts a rule's number without a code
change (architecture.md §4.3): "Party lecture every half year" (002 L93) becomes "every year"
(003 L319) for one district. Only the Party-building leadership of a level sets them — the
community secretary for the community, street and district staff for theirs, administrators
anywhere — and every change is in the audit log (django-auditlog on ``RuleOverride``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.accounts.models import RoleAssignment
from jiayuan.accounts.scope import get_scope
from jiayuan.core.audit import acting_as
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from . import checks, periods
from .choices import ReminderKind
from .evaluate import evaluate
from .facts import Subject
from .models import Reminder, RuleOverride
from .rulebook import rulebook
from .selectors import obligations_from

# Who may change a rule's numbers for the place they hold the role over (and below it).
OVERRIDE_ROLES = {Role.COMMUNITY_SECRETARY, Role.STREET_STAFF, Role.DISTRICT_STAFF, Role.ADMIN}
OVERRIDE_PLACE_KINDS = (PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY)
# Days before a due date that the responsible people are reminded (a rule may say otherwise
# with a ``remind_days`` parameter).
REMIND_DAYS = 7


def may_override(user, place: Place | None) -> bool:
    scope = get_scope(user)
    if place is None:
        return scope.is_admin
    return any(g.role in OVERRIDE_ROLES and g.covers(place.code) for g in scope.grants)


def _validated(rule_id: str, parameter: str, place: Place | None, value, reason: str):
    rule = rulebook().get(rule_id)
    if rule is None:
        raise ValidationError({"rule": [_("No such rule.")]})
    param = rule.params.get(parameter)
    if param is None:
        raise ValidationError({"parameter": [_("This rule has no parameter of that name.")]})
    errors: dict[str, list[str]] = {}
    try:
        parsed = param.parse(value)
    except ValueError as exc:
        errors["value"] = [str(exc)]
        parsed = None
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why this rule is changed here (e.g. the document that decides it).")]
    elif len(reason) > 300:
        errors["reason"] = [_("The reason has at most 300 characters.")]
    if place is not None and place.kind not in OVERRIDE_PLACE_KINDS:
        errors["place"] = [_("Rules are adapted for a district, a street or a community.")]
    if errors:
        raise ValidationError(errors)
    return rule, param, parsed, reason


def rule_override_set(*, actor, rule_id: str, parameter: str, place: Place | None, value, reason: str) -> RuleOverride:
    """Set one parameter of one rule for ``place`` and its subtree (``None``: everywhere).

    Setting the seed's default again is allowed (it pins the value against a wider override).
    """
    rule, param, parsed, reason = _validated(rule_id, parameter, place, value, reason)
    if not may_override(actor, place):
        raise PermissionDenied(_("You may not change the rules for this place."))
    code = place.code if place else ""
    stored = param.to_json(parsed)
    with transaction.atomic(), acting_as(actor):
        existing = (
            RuleOverride.objects.select_for_update()
            .filter(rule_id=rule.id, parameter=param.name, territory_code=code)
            .first()
        )
        if existing is None:
            try:
                with transaction.atomic():
                    return RuleOverride.objects.create(
                        rule_id=rule.id,
                        parameter=param.name,
                        territory_code=code,
                        place=place,
                        value=stored,
                        reason=reason,
                        set_by=actor,
                    )
            except IntegrityError:  # set at the same moment by someone else: update theirs
                existing = RuleOverride.objects.select_for_update().get(
                    rule_id=rule.id, parameter=param.name, territory_code=code
                )
        existing.value = stored
        existing.reason = reason
        existing.set_by = actor
        existing.save(update_fields=["value", "reason", "set_by", "updated_at"])
        return existing


def rule_override_clear(*, actor, override: RuleOverride) -> None:
    """Remove an override: the rule goes back to the wider override or the seed's default.
    The audit log keeps the removed value, who removed it and when."""
    if not may_override(actor, override.place):
        raise PermissionDenied(_("You may not change the rules for this place."))
    with transaction.atomic(), acting_as(actor):
        RuleOverride.objects.filter(pk=override.pk).delete()


def reminder_mark_read(*, actor, reminder: Reminder) -> Reminder:
    if reminder.user_id != actor.pk:
        raise PermissionDenied(_("This reminder is not yours."))
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at", "updated_at"])
    return reminder


def _responsible_users(place: Place, roles) -> list[int]:
    return list(
        RoleAssignment.objects.filter(place=place, role__in=roles, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _reminder_counts(subject_code: str) -> dict[str, int]:
    from django.db.models import Count

    rows = Reminder.objects.filter(subject_code=subject_code).values("kind").annotate(n=Count("id"))
    return {r["kind"]: r["n"] for r in rows}


def reminders_sweep(*, today: dt.date | None = None, community_codes: list[str] | None = None) -> dict:
    """Remind the responsible people of obligations due within their rule's reminder days, and
    tell the level above (the street's staff) of obligations now overdue.

    Runs daily (``tasks.daily_reminders``). A reminder is made once per person, rule, subject,
    window and kind, so running the sweep again the same day, or the next, repeats nothing.
    """
    today = today or timezone.localdate()
    communities = Place.objects.filter(kind=PlaceKind.COMMUNITY).select_related("parent").order_by("code")
    if community_codes is not None:
        communities = communities.filter(code__in=community_codes)
    this_q = periods.current_period("quarter", today)
    next_q = periods.current_period("quarter", this_q.end + dt.timedelta(days=1))
    previous = periods.current_period("quarter", this_q.start - dt.timedelta(days=1))
    span = periods.Period(previous.start, next_q.end, "sweep")
    made = {ReminderKind.DUE_SOON.value: 0, ReminderKind.OVERDUE.value: 0}
    for place in communities.iterator():
        subject = Subject.for_place(place)
        rows: list[Reminder] = []
        for ob in obligations_from(evaluate(subject, span, today=today), include_not_evaluable=False):
            remind_days = ob.result.params["remind_days"].value if "remind_days" in ob.result.params else REMIND_DAYS
            if ob.status == checks.NOT_DUE and today <= ob.due <= today + dt.timedelta(days=remind_days):
                kind, users = ReminderKind.DUE_SOON, _responsible_users(place, ob.rule.responsible)
            elif ob.status == checks.UNMET and ob.due < today and place.parent is not None:
                kind, users = ReminderKind.OVERDUE, _responsible_users(place.parent, [Role.STREET_STAFF])
            else:
                continue
            rows.extend(
                Reminder(
                    user_id=uid,
                    kind=kind,
                    rule_id=ob.rule.id,
                    subject_code=subject.code,
                    subject_name=subject.name,
                    window_label=ob.window_label,
                    due_on=ob.due,
                )
                for uid in users
            )
        if rows:
            counts = _reminder_counts(subject.code)
            Reminder.objects.bulk_create(rows, ignore_conflicts=True)  # the unique key drops repeats
            for kind, n in _reminder_counts(subject.code).items():
                made[kind] += n - counts.get(kind, 0)
    return made
