"""Every write of the residents' side of the 4+2 method: the register of resident representatives
and their linked households, resident meetings (居民代表会议, 居民会议, 民主议事), their votes and
dual-ballot voting (双票表决制). One service per state change; views, the API, the demo and the
task call these, nothing else writes the tables.

Why residents and not Party members: stage 4 is "居民代表会议或居民会议决议" (002 L161) and in the
worked example "社区组织35名居民代表召开居民代表大会 … 由全体代表进行投票表决" (002 L163). So the
vote is counted on residents, under the Urban Residents' Committees Organization Law
(《城市居民委员会组织法》 Art. 12), whose numbers are the defaults below:

* quorum — more than half of the residents aged 18+ (``adult_residents``), or more than half of
  the household representatives (``household_representatives``), or at least two thirds of the
  representatives elected by the resident groups (``representatives``): :data:`QUORUM`;
* decision — more than half of those present: :data:`MAJORITY`.

Dual-ballot voting (002 L185 "凡重大事务或居民代表意见分歧大的事务表决,均采用“双票表决制”,由居民
代表所联系的居民户投票表决"): a vote classified ``major`` or ``contested`` cannot be decided on the
representatives' votes alone; the households linked to each representative vote. How the two
are combined is not stated in the seeds (workflows.md W-02 step 4b); we chose (ADR 0007): the
vote passes when the representatives' vote passes AND more than half of the household ballots
cast (abstentions included) are yes: :data:`HOUSEHOLD_MAJORITY`.

Each rule is ``(share, mode)`` with ``share`` an exact fraction (``"2/3"``) and ``mode``
``"more_than"`` or ``"at_least"``. A deployment overrides them in settings
(``JIAYUAN_RESIDENT_QUORUM`` = a dict by basis, ``JIAYUAN_RESIDENT_MAJORITY``,
``JIAYUAN_DUAL_BALLOT_HOUSEHOLD_MAJORITY``); the numbers used are frozen on the vote when it closes.

Monthly deliberation (002 L185 "社区每月10日固定召开“民主议事”活动"): :func:`deliberation_schedule`
creates the month's session on the day of rule N-DEMO-09 (default 10, a district may override it
in the rulebook), idempotently; ``tasks.py`` runs it for next month in every community.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import acting_as
from jiayuan.core.errors import FieldErrors
from jiayuan.residents.choices import ResidentStatus
from jiayuan.residents.models import Household, Resident
from jiayuan.territory.models import Place

from .choices import (
    DUAL_BALLOT,
    MEETING_BASES,
    AttendanceBasis,
    BallotChoice,
    ResidentMeetingKind,
    ResidentMeetingStatus,
    ResidentVoteResult,
    ResidentVoteStatus,
    VoteClassification,
)
from .models import (
    AgendaItem,
    DecisionMatter,
    HouseholdBallot,
    RepresentativeHousehold,
    ResidentMeeting,
    ResidentRepresentative,
    ResidentVote,
)
from .permissions import require_write

MORE_THAN, AT_LEAST = "more_than", "at_least"

# Urban Residents' Committees Organization Law, Art. 12 (defaults; override in settings).
QUORUM: dict[str, tuple[str, str]] = {
    AttendanceBasis.ADULT_RESIDENTS: ("1/2", MORE_THAN),
    AttendanceBasis.HOUSEHOLDS: ("1/2", MORE_THAN),
    AttendanceBasis.REPRESENTATIVES: ("2/3", AT_LEAST),
}
MAJORITY: tuple[str, str] = ("1/2", MORE_THAN)  # of those present
# Dual-ballot aggregation (not in the seeds; ADR 0007): of the household ballots cast.
HOUSEHOLD_MAJORITY: tuple[str, str] = ("1/2", MORE_THAN)
ADULT_AGE = 18
# The day of the monthly deliberation when the rulebook has no N-DEMO-09 (002 L185 "每月10日").
DELIBERATION_DAY = 10
DELIBERATION_RULE = "N-DEMO-09"


# -- parameters ---------------------------------------------------------------------------------

def _rule(spec) -> tuple[Fraction, str]:
    share, mode = spec
    if mode not in (MORE_THAN, AT_LEAST):
        raise ValueError(f"resident meeting rule mode must be {MORE_THAN!r} or {AT_LEAST!r}, not {mode!r}")
    return Fraction(str(share)), mode


def quorum_rule(basis: str) -> tuple[Fraction, str]:
    """The quorum for ``basis``: the law's default unless ``JIAYUAN_RESIDENT_QUORUM`` overrides it."""
    return _rule({**QUORUM, **getattr(settings, "JIAYUAN_RESIDENT_QUORUM", {})}[basis])


def majority_rule() -> tuple[Fraction, str]:
    return _rule(getattr(settings, "JIAYUAN_RESIDENT_MAJORITY", MAJORITY))


def household_rule() -> tuple[Fraction, str]:
    return _rule(getattr(settings, "JIAYUAN_DUAL_BALLOT_HOUSEHOLD_MAJORITY", HOUSEHOLD_MAJORITY))


def reaches(count: int, total: int, rule: tuple[Fraction, str]) -> bool:
    """``count`` is more than (or at least) ``share`` × ``total``, exactly (no rounding)."""
    share, mode = rule
    if total <= 0:
        return False
    return count * share.denominator >= share.numerator * total if mode == AT_LEAST \
        else count * share.denominator > share.numerator * total


def quorate(meeting: ResidentMeeting) -> bool:
    """Whether the held meeting had its quorum (on its attendance basis)."""
    if not meeting.basis or meeting.eligible is None or meeting.present is None:
        return False
    return reaches(meeting.present, meeting.eligible, quorum_rule(meeting.basis))


def _dec(f: Fraction) -> Decimal:
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal("0.0001"))


def _today() -> dt.date:
    return timezone.localdate()


def _text(value, limit: int | None = None) -> str:
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def _date(value, field: str, errors: FieldErrors, *, default: dt.date | None = None) -> dt.date | None:
    if value in (None, ""):
        if default is None:
            errors.add(field, _("Give the date."))
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
        return None


def _int(value, field: str, errors: FieldErrors, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("Enter a whole number."))
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors.add(field, _("Enter a whole number."))
        return None
    if number < 0:
        errors.add(field, _("Enter zero or more."))
        return None
    return number


def _in_community(code: str, place: Place) -> bool:
    return bool(code) and code.startswith(place.code)


# -- the register of representatives -------------------------------------------------------------

def representative_appoint(*, actor, place: Place, resident: Resident | None, group_label: str = "",
                           elected_on: dt.date | str | None = None) -> ResidentRepresentative:
    """Enter an elected resident representative (居民代表, 002 L163) of ``place``. The resident must
    live in that community; one active term per resident."""
    require_write(actor, place.code)
    errors = FieldErrors()
    if place.kind != "community":
        errors.add("place", _("Representatives belong to a community."))
    if not isinstance(resident, Resident):
        errors.add("resident", _("Choose the resident."))
    elif not _in_community(resident.territory_code, place) or resident.status != ResidentStatus.ACTIVE:
        errors.add("resident", _("The representative must be a resident living in this community."))
    elif ResidentRepresentative.objects.filter(resident=resident, ended_on__isnull=True).exists():
        errors.add("resident", _("This resident is already a representative."))
    elected = _date(elected_on, "elected_on", errors, default=_today())
    if elected and elected > _today():
        errors.add("elected_on", _("The election date cannot be in the future."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        return ResidentRepresentative.objects.create(place=place, resident=resident, elected_on=elected,
                                                     group_label=_text(group_label, 64), created_by=actor)


def representative_end(*, actor, representative: ResidentRepresentative,
                       ended_on: dt.date | str | None = None) -> ResidentRepresentative:
    """End a representative's term; the household links end the same day (the households then
    need a new representative, W-02 "every representative must have a registered list")."""
    require_write(actor, representative.territory_code)
    errors = FieldErrors()
    ended = _date(ended_on, "ended_on", errors, default=_today())
    with transaction.atomic(), acting_as(actor):
        rep = ResidentRepresentative.objects.select_for_update().get(pk=representative.pk)
        if rep.ended_on is not None:
            errors.add("ended_on", _("This term has already ended."))
        elif ended and ended < rep.elected_on:
            errors.add("ended_on", _("The term cannot end before the election."))
        errors.raise_if_any()
        rep.ended_on = ended
        rep.save(update_fields=["ended_on", "updated_at"])
        for link in rep.household_links.filter(unlinked_on__isnull=True):
            link.unlinked_on = ended
            link.save(update_fields=["unlinked_on", "updated_at"])
    return rep


def household_link(*, actor, representative: ResidentRepresentative, household: Household | None,
                   on: dt.date | None = None) -> RepresentativeHousehold:
    """Register a household the representative links (居民代表所联系的居民户, 002 L185). The household
    must be in the representative's community and not linked to another active representative."""
    require_write(actor, representative.territory_code)
    errors = FieldErrors()
    if not isinstance(household, Household):
        errors.add("household", _("Choose the household."))
    elif not _in_community(household.territory_code, representative.place):
        errors.add("household", _("The household must be in the representative's community."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        representative = ResidentRepresentative.objects.select_for_update().select_related("place").get(
            pk=representative.pk)
        if not representative.is_active:
            errors.add("representative", _("This representative's term has ended."))
            errors.raise_if_any()
        current = RepresentativeHousehold.objects.select_for_update().filter(
            household=household, unlinked_on__isnull=True).select_related("representative__resident").first()
        if current is not None:
            errors.add("household", _("This household is already linked to representative {name}.").format(
                name=current.representative.resident.name))
            errors.raise_if_any()
        try:
            with transaction.atomic():
                return RepresentativeHousehold.objects.create(
                    representative=representative, household=household, linked_on=on or _today(), created_by=actor)
        except IntegrityError:
            errors.add("household", _("This household is already linked to a representative."))
            errors.raise_if_any()
            raise


def household_unlink(*, actor, representative: ResidentRepresentative, household: Household,
                     on: dt.date | None = None) -> RepresentativeHousehold:
    """End the link (kept, so old household ballots still show who carried them)."""
    require_write(actor, representative.territory_code)
    with transaction.atomic(), acting_as(actor):
        link = RepresentativeHousehold.objects.select_for_update().filter(
            representative=representative, household=household, unlinked_on__isnull=True).first()
        if link is None:
            raise ValidationError({"household": [_("This household is not linked to this representative.")]})
        link.unlinked_on = on or _today()
        link.save(update_fields=["unlinked_on", "updated_at"])
    return link


def active_representatives(place: Place, on: dt.date | None = None):
    on = on or _today()
    return ResidentRepresentative.objects.filter(territory_code=place.code, elected_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def eligible_count(place: Place, basis: str, on: dt.date | None = None) -> int:
    """Who counts for the quorum on ``basis`` in ``place`` on ``on``: active residents aged 18+,
    households with someone living there, or the active representatives."""
    on = on or _today()
    if basis == AttendanceBasis.REPRESENTATIVES:
        return active_representatives(place, on).count()
    residents = Resident.objects.filter(territory_code__startswith=place.code, status=ResidentStatus.ACTIVE)
    if basis == AttendanceBasis.ADULT_RESIDENTS:
        try:
            born_by = on.replace(year=on.year - ADULT_AGE)
        except ValueError:  # 29 February
            born_by = on.replace(year=on.year - ADULT_AGE, day=28)
        return residents.filter(birth_date__lte=born_by).count()
    return residents.exclude(household__isnull=True).values("household").distinct().count()


# -- resident meetings ---------------------------------------------------------------------------

def _default_title(kind: str, day: dt.date) -> str:
    return _("{kind} {date}").format(kind=ResidentMeetingKind(kind).label, date=day.isoformat())


def resident_meeting_schedule(*, actor, place: Place, kind: str, scheduled_on, title: str = "", location: str = "",
                              agenda: list[str] | tuple[str, ...] = ()) -> ResidentMeeting:
    """Call a resident meeting with its agenda (议程, W-02 step 2: items tabled before it).
    ``actor`` None is the system (the monthly task)."""
    if actor is not None:
        require_write(actor, place.code)
    errors = FieldErrors()
    if place.kind != "community":
        errors.add("place", _("Resident meetings belong to a community."))
    if kind not in ResidentMeetingKind.values:
        errors.add("kind", _("Choose the kind of meeting."))
    day = _date(scheduled_on, "scheduled_on", errors)
    errors.raise_if_any()
    items = [_text(a, 200) for a in agenda if _text(a)]
    with transaction.atomic(), acting_as(actor):
        meeting = ResidentMeeting.objects.create(
            place=place, kind=kind, scheduled_on=day, title=_text(title, 200) or _default_title(kind, day),
            location=_text(location, 200), created_by=actor)
        AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, position=i, title=t, created_by=actor)
                                        for i, t in enumerate(items, start=1)])
    return meeting


def agenda_item_add(*, actor, meeting: ResidentMeeting, title: str) -> AgendaItem:
    """Table one more item (W-02 step 2)."""
    require_write(actor, meeting.territory_code)
    title = _text(title, 200)
    if not title:
        raise ValidationError({"title": [_("Write the agenda item.")]})
    with transaction.atomic(), acting_as(actor):
        last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0
        return AgendaItem.objects.create(meeting=meeting, position=last + 1, title=title, created_by=actor)


def resident_meeting_hold(*, actor, meeting: ResidentMeeting, held_on, basis: str, present, eligible=None,
                          minutes: str = "", outcomes: dict | None = None) -> ResidentMeeting:
    """Record that the meeting was held: the day, whom the quorum counts (``basis``), how many were
    eligible (default: counted from the registers on that day) and present, the minutes and what
    was said on each agenda item (``outcomes``: item id → text). Votes are recorded after this."""
    require_write(actor, meeting.territory_code)
    errors = FieldErrors()
    day = _date(held_on, "held_on", errors)
    if day and day > _today():
        errors.add("held_on", _("A meeting is recorded as held today or on an earlier day."))
    if basis not in MEETING_BASES.get(meeting.kind, set()):
        errors.add("basis", _("Choose whom the attendance of this kind of meeting counts."))
    n_present = _int(present, "present", errors)
    n_eligible = _int(eligible, "eligible", errors, required=False)
    errors.raise_if_any()
    if n_eligible is None:
        n_eligible = eligible_count(meeting.place, basis, day)
    if n_eligible == 0:
        errors.add("eligible", _("Nobody is eligible on this basis: enter the number eligible."))
    elif n_present > n_eligible:
        errors.add("present", _("More present ({present}) than eligible ({eligible}).").format(
            present=n_present, eligible=n_eligible))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        locked = ResidentMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != ResidentMeetingStatus.SCHEDULED:
            raise ValidationError({"__all__": [_("This meeting is already recorded as held.")]})
        locked.status, locked.held_on, locked.basis = ResidentMeetingStatus.HELD, day, basis
        locked.eligible, locked.present, locked.minutes = n_eligible, n_present, _text(minutes)
        locked.save(update_fields=["status", "held_on", "basis", "eligible", "present", "minutes", "updated_at"])
        for item in locked.agenda_items.all():
            text = _text((outcomes or {}).get(item.pk) or (outcomes or {}).get(str(item.pk)))
            if text:
                item.outcome = text
                item.save(update_fields=["outcome", "updated_at"])
    return locked


# -- votes ---------------------------------------------------------------------------------------

def resident_vote_record(*, actor, meeting: ResidentMeeting, question: str, classification: str = "ordinary",
                         reason: str = "", yes=0, no=0, abstain=0, matter: DecisionMatter | None = None,
                         agenda_item: AgendaItem | None = None) -> ResidentVote:
    """Record a vote at a held meeting with the counts of those present (W-02 steps 3-4). A major
    or contested classification needs its reason (the seeds do not define "分歧大", so a person
    states why). The vote stays open until :func:`resident_vote_close`, so household ballots can
    be entered for a dual-ballot vote."""
    require_write(actor, meeting.territory_code)
    errors = FieldErrors()
    question = _text(question, 300)
    if not question:
        errors.add("question", _("Write the question put to the vote."))
    if classification not in VoteClassification.values:
        errors.add("classification", _("Choose the classification."))
    reason = _text(reason, 300)
    if classification in DUAL_BALLOT and not reason:
        errors.add("classification_reason", _("Say why the matter is major or contested."))
    if meeting.status != ResidentMeetingStatus.HELD:
        errors.add("meeting", _("Record the meeting as held before its votes."))
    if matter is not None and matter.territory_code != meeting.territory_code:
        errors.add("matter", _("The matter must be of the meeting's community."))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors.add("agenda_item", _("No such item on this meeting's agenda."))
    counts = {k: _int(v, k, errors) for k, v in (("yes", yes), ("no", no), ("abstain", abstain))}
    errors.raise_if_any()
    if meeting.present is not None and sum(counts.values()) > meeting.present:
        errors.add("yes", _("More votes ({n}) than people present ({present}).").format(
            n=sum(counts.values()), present=meeting.present))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        return ResidentVote.objects.create(
            meeting=meeting, question=question, classification=classification, classification_reason=reason,
            matter=matter, agenda_item=agenda_item, created_by=actor, **counts)


def _lock_open(vote: ResidentVote) -> ResidentVote:
    locked = ResidentVote.objects.select_for_update(of=("self",)).select_related("meeting__place").get(pk=vote.pk)
    if locked.status != ResidentVoteStatus.OPEN:
        raise ValidationError({"__all__": [_("The vote is already closed.")]})
    return locked


def household_ballots_record(*, actor, vote: ResidentVote, representative: ResidentRepresentative,
                             choices: dict) -> list[HouseholdBallot]:
    """Enter the ballots of the households ``representative`` links (002 L185 "由居民代表所联系的居民户
    投票表决"): ``choices`` maps a household (or its id) to yes/no/abstain; households left out
    did not vote. Only for a major or contested vote, only households actively linked to this
    representative, one ballot per household (a ballot is never changed)."""
    require_write(actor, vote.meeting.territory_code)
    errors = FieldErrors()
    with transaction.atomic(), acting_as(actor):
        locked = _lock_open(vote)
        if not locked.is_dual_ballot:
            errors.add("__all__", _("Household ballots are taken only for major or contested matters."))
        if representative.territory_code != locked.meeting.territory_code:
            errors.add("representative", _("The representative must be of the meeting's community."))
        errors.raise_if_any()
        linked = {link.household_id: link.household for link in RepresentativeHousehold.objects.filter(
            representative=representative, unlinked_on__isnull=True).select_related("household")}
        voted = set(HouseholdBallot.objects.filter(vote=locked).values_list("household_id", flat=True))
        rows = []
        for key, choice in choices.items():
            hid = key.pk if isinstance(key, Household) else (int(key) if str(key).isdigit() else None)
            choice = _text(choice)
            if not choice:
                continue
            if hid not in linked:
                errors.add("household", _("Household {id} is not linked to this representative.").format(id=key))
            elif choice not in BallotChoice.values:
                errors.add("choice", _("Choose yes, no or abstain."))
            elif hid in voted:
                errors.add("household", _("{address} has already voted.").format(address=linked[hid].address))
            else:
                rows.append(HouseholdBallot(vote=locked, household=linked[hid], representative=representative,
                                            choice=choice, created_by=actor))
                voted.add(hid)
        if not rows and not errors.errors:
            errors.add("choice", _("Enter at least one household's ballot."))
        errors.raise_if_any()
        HouseholdBallot.objects.bulk_create(rows)
    return rows


def resident_vote_close(*, actor, vote: ResidentVote) -> ResidentVote:
    """Close and decide the vote. No quorum when the meeting's attendance did not reach
    :func:`quorum_rule`; else the representatives' (residents') vote passes with more yes than
    :func:`majority_rule` of those present. A dual-ballot vote also needs household ballots —
    closing without any is refused — and passes only when both the representatives' vote and
    the households (:func:`household_rule` of the ballots cast) say yes."""
    require_write(actor, vote.meeting.territory_code)
    with transaction.atomic(), acting_as(actor):
        locked = _lock_open(vote)
        meeting = locked.meeting
        totals = {c: 0 for c in BallotChoice.values}
        for choice in locked.household_ballots.values_list("choice", flat=True):
            totals[choice] += 1
        if locked.is_dual_ballot and not sum(totals.values()):
            raise ValidationError({"household_ballots": [_(
                "This matter is major or contested: it cannot be decided on the representatives' votes alone. "
                "Record the ballots of the households each representative links first (双票表决制).")]})
        q_share, q_mode = quorum_rule(meeting.basis)
        majority, households = majority_rule(), household_rule()
        if not quorate(meeting):
            reps = ResidentVoteResult.NO_QUORUM
        elif reaches(locked.yes, meeting.present, majority):
            reps = ResidentVoteResult.PASSED
        else:
            reps = ResidentVoteResult.REJECTED
        result = reps
        if locked.is_dual_ballot and reps == ResidentVoteResult.PASSED:
            ok = reaches(totals["yes"], sum(totals.values()), households)
            result = ResidentVoteResult.PASSED if ok else ResidentVoteResult.REJECTED
        locked.status, locked.result, locked.representatives_result = ResidentVoteStatus.CLOSED, result, reps
        locked.household_yes, locked.household_no, locked.household_abstain = (
            totals["yes"], totals["no"], totals["abstain"])
        locked.quorum_ratio, locked.quorum_inclusive = _dec(q_share), q_mode == AT_LEAST
        locked.majority_ratio = _dec(majority[0])
        locked.household_ratio = _dec(households[0]) if locked.is_dual_ballot else None
        locked.closed_at = timezone.now()
        locked.save()
    return locked


# -- the monthly deliberation (002 L185) ----------------------------------------------------------

def deliberation_day(place: Place) -> int:
    """The day of the month of rule N-DEMO-09 for ``place`` (overrides apply), else 10."""
    from jiayuan.norms.evaluate import effective_params, overrides_for
    from jiayuan.norms.rulebook import rule_get

    rule = rule_get(DELIBERATION_RULE)
    if rule is None or "day_of_month" not in rule.params:
        return DELIBERATION_DAY
    return int(effective_params(rule, place.code, overrides_for([place.code]))["day_of_month"].value)


def deliberation_date(place: Place, year: int, month: int) -> dt.date:
    return dt.date(year, month, min(deliberation_day(place), calendar.monthrange(year, month)[1]))


def deliberation_schedule(*, actor, place: Place, year: int, month: int,
                          agenda: list[str] | tuple[str, ...] = ()) -> tuple[ResidentMeeting, bool]:
    """The month's democratic deliberation session (民主议事) of ``place`` on its fixed day
    (002 L185 "社区每月10日固定召开"). Idempotent: when the community already has a session that
    month, it is returned (``created`` False) and nothing is written. Holiday shifts are not
    stated in the seeds, so the day is not moved."""
    first, last = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    existing = ResidentMeeting.objects.filter(
        territory_code=place.code, kind=ResidentMeetingKind.DELIBERATION,
        scheduled_on__gte=first, scheduled_on__lte=last).order_by("scheduled_on", "id").first()
    if existing is not None:
        return existing, False
    day = deliberation_date(place, year, month)
    meeting = resident_meeting_schedule(
        actor=actor, place=place, kind=ResidentMeetingKind.DELIBERATION, scheduled_on=day,
        title=_("Democratic deliberation (民主议事) {month}").format(month=f"{year}-{month:02d}"),
        agenda=agenda)
    return meeting, True


def deliberations_schedule_next_month(*, today: dt.date | None = None) -> dict[str, int]:
    """For every community: next month's deliberation session (the periodic task's body)."""
    today = today or _today()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    created = existing = 0
    for place in Place.objects.filter(kind="community").order_by("code"):
        _meeting, new = deliberation_schedule(actor=None, place=place, year=year, month=month)
        created += new
        existing += not new
    return {"created": created, "existing": existing}


__all__ = [
    "HOUSEHOLD_MAJORITY", "MAJORITY", "QUORUM", "agenda_item_add", "deliberation_schedule",
    "deliberations_schedule_next_month", "eligible_count", "household_ballots_record", "household_link",
    "household_unlink", "quorate", "representative_appoint", "representative_end", "resident_meeting_hold",
    "resident_meeting_schedule", "resident_vote_close", "resident_vote_record",
]
