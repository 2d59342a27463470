"""Every write to the meetings tables goes through here (one write path per change).

Each service is keyword-only and takes the acting user. It checks first that the actor may
record organizational life where the meeting is (``party.permissions.require_meeting_write``:
the community secretary and staff, the street and district, administrators), then validates
everything with :class:`~jiayuan.core.errors.FieldErrors` so a refused call writes nothing, and
writes in one transaction with ``acting_as(actor)`` (django-auditlog keeps every field change)
plus one :class:`~.models.MeetingEvent` row per step (003 L331 全程记实).

Two services are for members themselves, not staff: :func:`sign_in_with_code` and
:func:`vote_cast` (a member's own secret ballot). Their actor must be a signed-in user whose
resident record is linked to a live Party member expected at the meeting.

The "missed meetings" must-visit (002 L111 「党员不参加活动必访」) is opened by
:func:`must_visit_check` whenever a meeting is marked held. The seeds give no number of misses;
we use ``settings.JIAYUAN_MUST_VISIT_AFTER_MISSED`` (default 3 consecutive held meetings the member
was expected at, excused absences not counted) and a visit deadline of
``settings.JIAYUAN_MUST_VISIT_DUE_DAYS`` (default 14 days; W-17: "visit deadline: not stated").
A setting rather than a rulebook parameter because the rulebook's parameters belong to rules
that are judged per period, and this is a trigger, not a rule with a period.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import acting_as
from jiayuan.core.errors import FieldErrors
from jiayuan.party.choices import MemberStatus, OrgType
from jiayuan.party.models import Member, Organization, OrganizationOfficer
from jiayuan.party.permissions import require_meeting_write

from .choices import (
    ATTENDED,
    DEFAULT_OPTIONS,
    INVITING_TYPES,
    OFFICER_MEETING_TYPES,
    AttendanceMethod,
    AttendanceStatus,
    MeetingEventKind,
    MeetingStatus,
    MeetingType,
    MotionResult,
    MotionStatus,
    VisitReason,
    VisitStatus,
    VoteMethod,
    VoteOption,
)
from .models import (
    Attendance,
    BallotReceipt,
    Meeting,
    MeetingAttachment,
    MeetingEvent,
    Minutes,
    MinutesAddendum,
    Motion,
    MotionTally,
    NamedBallot,
    SecretBallot,
    VisitTask,
)

SIGNIN_CODE_DIGITS = 6
# Signing in later than this after the start counts as late (迟到). Not in the seeds; a local habit.
LATE_AFTER = dt.timedelta(minutes=15)


def must_visit_after_missed() -> int:
    return int(getattr(settings, "JIAYUAN_MUST_VISIT_AFTER_MISSED", 3))


def must_visit_due_days() -> int:
    return int(getattr(settings, "JIAYUAN_MUST_VISIT_DUE_DAYS", 14))


def _text(value, limit: int | None = None) -> str:
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def _full_clean(obj, errors: FieldErrors, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.merge(exc)


def _event(meeting: Meeting, kind: str, actor, note: str = "") -> None:
    MeetingEvent.objects.create(meeting=meeting, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                                note=_text(note, 300))


def _locked(meeting: Meeting) -> Meeting:
    # FOR UPDATE OF the meeting row only: PostgreSQL refuses to lock the nullable side of the
    # outer join that select_related would add.
    return Meeting.objects.select_for_update(of=("self",)).select_related("organization").get(pk=meeting.pk)


# -- who is expected ----------------------------------------------------------------------------

def expected_members(meeting: Meeting):
    """The live members expected at a meeting (a queryset, one query when read).

    A Party group: the members of the group (``Member.group``). A general branch or committee:
    its members and those of the branches directly under it. Any other organization: its members.
    The branch committee and the democratic life meeting are meetings of the leadership: their
    expected attendees are the organization's officers on the day, when it has any recorded.
    """
    org = meeting.organization
    day = meeting.held_on or timezone.localdate(meeting.starts_at)
    if meeting.meeting_type in OFFICER_MEETING_TYPES:
        officers = OrganizationOfficer.objects.filter(organization=org, started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )
        if officers.exists():
            return Member.objects.filter(pk__in=officers.values("member_id"), left_on__isnull=True).order_by(
                "full_name", "id")
    if org.org_type == OrgType.PARTY_GROUP:
        q = Q(group=org)
    elif org.org_type in (OrgType.GENERAL_PARTY_BRANCH, OrgType.PARTY_COMMITTEE, OrgType.JOINT_PARTY_COMMITTEE,
                          OrgType.GRAND_PARTY_COMMITTEE):
        q = Q(organization=org) | Q(organization__parent=org)
    else:
        q = Q(organization=org)
    return Member.objects.filter(q, left_on__isnull=True).order_by("full_name", "id")


def _may_attend(meeting: Meeting, member: Member, expected_ids: set[int]) -> bool:
    """Expected, or — at a meeting that calls people from below (the street Party working
    committee, to which community secretaries come, 003 L301; joint meetings) — a live member
    from inside the meeting's area."""
    return member.pk in expected_ids or (
        meeting.meeting_type in INVITING_TYPES and member.left_on is None
        and member.territory_code.startswith(meeting.territory_code)
    )


# -- schedule, change, cancel -------------------------------------------------------------------

MEETING_FIELDS = ("meeting_type", "title", "starts_at", "ends_at", "location", "agenda", "lecturer")


def _check_meeting(meeting: Meeting, errors: FieldErrors) -> None:
    if meeting.starts_at is not None and timezone.is_naive(meeting.starts_at):
        errors.add("starts_at", _("Give the time with its time zone."))
    if meeting.ends_at is not None and timezone.is_naive(meeting.ends_at):
        errors.add("ends_at", _("Give the time with its time zone."))
    if errors.errors:
        return
    _full_clean(meeting, errors, exclude=["organization"])
    org = meeting.organization
    if meeting.meeting_type == MeetingType.PARTY_GROUP and org.org_type != OrgType.PARTY_GROUP:
        errors.add("meeting_type", _("A Party group meeting belongs to the Party group: schedule it for the group."))
    if org.org_type == OrgType.PARTY_GROUP and meeting.meeting_type != MeetingType.PARTY_GROUP:
        if meeting.meeting_type not in (MeetingType.THEMED_PARTY_DAY, MeetingType.COLLECTIVE_ACTIVITY,
                                        MeetingType.VOLUNTEER_SERVICE_DAY):
            errors.add("meeting_type", _("A Party group holds Party group meetings and activities, not this kind."))
    if meeting.meeting_type == MeetingType.PARTY_LECTURE and not meeting.lecturer:
        errors.add("lecturer", _("Name who gives the Party lecture."))


def meeting_schedule(
    *, actor, organization: Organization, meeting_type: str, title: str, starts_at: dt.datetime,
    ends_at: dt.datetime | None = None, location: str = "", agenda: str = "", lecturer: str = "",
) -> Meeting:
    """Put a meeting on an organization's calendar (or record one already held: the date may be
    in the past, then mark it held). A dissolved organization holds no meetings."""
    require_meeting_write(actor, organization.territory_code)
    meeting = Meeting(
        organization=organization, meeting_type=meeting_type or "", title=_text(title, 200), starts_at=starts_at,
        ends_at=ends_at, location=_text(location, 200), agenda=_text(agenda), lecturer=_text(lecturer, 64),
        created_by=actor,
    )
    errors = FieldErrors()
    if organization.dissolved_on is not None:
        errors.add("organization", _("This organization has been dissolved."))
    _check_meeting(meeting, errors)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        meeting.save()
        _event(meeting, MeetingEventKind.SCHEDULED, actor)
    return meeting


def meeting_update(*, actor, meeting: Meeting, **changes) -> Meeting:
    """Change a scheduled meeting (its type, title, times, place, agenda, lecturer). A held or
    cancelled meeting is a record and no longer changes."""
    require_meeting_write(actor, meeting.territory_code)
    errors = FieldErrors()
    for key in changes:
        if key not in MEETING_FIELDS:
            errors.add(key, _("This field cannot be changed here."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        meeting = _locked(meeting)
        if meeting.status != MeetingStatus.SCHEDULED:
            errors.add("__all__", _("Only a scheduled meeting can be changed."))
            errors.raise_if_any()
        for key, value in changes.items():
            if key in ("title", "location", "lecturer"):
                value = _text(value, {"title": 200, "location": 200, "lecturer": 64}[key])
            elif key == "agenda":
                value = _text(value)
            setattr(meeting, key, value)
        _check_meeting(meeting, errors)
        errors.raise_if_any()
        meeting.save()
        _event(meeting, MeetingEventKind.UPDATED, actor, ", ".join(sorted(changes)))
    return meeting


def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Call off a scheduled meeting, saying why (the calendar keeps it, struck out)."""
    require_meeting_write(actor, meeting.territory_code)
    reason = _text(reason, 200)
    errors = FieldErrors()
    if not reason:
        errors.add("reason", _("State why the meeting is cancelled."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        meeting = _locked(meeting)
        if meeting.status != MeetingStatus.SCHEDULED:
            errors.add("__all__", _("Only a scheduled meeting can be cancelled."))
            errors.raise_if_any()
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_reason = reason
        meeting.signin_code = ""
        meeting.save(update_fields=["status", "cancelled_reason", "signin_code"])
        _event(meeting, MeetingEventKind.CANCELLED, actor, reason)
    return meeting


# -- attendance ---------------------------------------------------------------------------------

def _new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(SIGNIN_CODE_DIGITS))


def meeting_open_signin(*, actor, meeting: Meeting) -> str:
    """Open sign-in by phone: a fresh 6-digit code, shown large (and as a QR code) in the room,
    unique among the meetings open for sign-in. Opening again replaces the code."""
    require_meeting_write(actor, meeting.territory_code)
    errors = FieldErrors()
    with transaction.atomic(), acting_as(actor):
        meeting = _locked(meeting)
        if meeting.status != MeetingStatus.SCHEDULED:
            errors.add("__all__", _("Sign-in can be opened only for a scheduled meeting."))
            errors.raise_if_any()
        for _attempt in range(20):
            code = _new_code()
            if not Meeting.objects.filter(signin_code=code, status=MeetingStatus.SCHEDULED).exists():
                break
        meeting.signin_code = code
        meeting.save(update_fields=["signin_code"])
        _event(meeting, MeetingEventKind.SIGNIN_OPENED, actor)
    return code


def member_for_user(user) -> Member | None:
    """The live Party member whose resident record belongs to this user, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Member.objects.filter(resident__user=user, left_on__isnull=True)
        .select_related("organization", "group").order_by("id").first()
    )


def sign_in_with_code(*, actor, code: str) -> Attendance:
    """A member signs in on their phone with the code shown in the room. The code must belong to
    a meeting open for sign-in that the member is expected at (or invited to, inside its area);
    anything else is "not valid", without saying which meetings exist."""
    code = _text(code, 16).replace(" ", "")
    errors = FieldErrors()
    member = member_for_user(actor)
    if member is None:
        errors.add("code", _("Your account is not linked to a Party member, so you cannot sign in here."))
        errors.raise_if_any()
    meetings = list(
        Meeting.objects.filter(signin_code=code, status=MeetingStatus.SCHEDULED).select_related("organization")
    ) if code.isdigit() else []
    meeting = None
    for m in meetings:
        if _may_attend(m, member, set(expected_members(m).values_list("pk", flat=True))):
            meeting = m
            break
    if meeting is None:
        errors.add("code", _("This sign-in code is not valid, or sign-in has closed."))
        errors.raise_if_any()
    now = timezone.now()
    status = AttendanceStatus.LATE if now > meeting.starts_at + LATE_AFTER else AttendanceStatus.PRESENT
    with transaction.atomic(), acting_as(actor):
        meeting = _locked(meeting)
        if not meeting.signin_open or meeting.signin_code != code:
            errors.add("code", _("This sign-in code is not valid, or sign-in has closed."))
            errors.raise_if_any()
        attendance = Attendance.objects.filter(meeting=meeting, member=member).first()
        if attendance is None:
            attendance = Attendance(meeting=meeting, member=member, created_by=actor)
        elif attendance.status in ATTENDED:
            return attendance  # signing in twice changes nothing
        attendance.status, attendance.reason = status, ""
        attendance.method, attendance.signed_in_at = AttendanceMethod.CODE, now
        attendance.save()
    return attendance


def roll_call(*, actor, meeting: Meeting, entries: list[dict]) -> list[Attendance]:
    """The secretary ticks every expected member at once: present, late, excused (请假, with the
    reason) or absent. ``entries`` are ``{"member": Member or id, "status": code, "reason": str}``.
    Members not in ``entries`` keep what they had (e.g. a phone sign-in). A member outside the
    meeting's area, or left, is refused; so is a roll call of a cancelled meeting."""
    require_meeting_write(actor, meeting.territory_code)
    errors = FieldErrors()
    if meeting.status == MeetingStatus.CANCELLED:
        errors.add("__all__", _("The meeting was cancelled."))
        errors.raise_if_any()
    ids = []
    for i, entry in enumerate(entries or []):
        member = entry.get("member")
        ids.append(member.pk if isinstance(member, Member) else member)
        if ids[-1] in (None, ""):
            errors.add(f"entries.{i}.member", _("Name the member."))
    members = {m.pk: m for m in Member.objects.filter(pk__in=[i for i in ids if i not in (None, "")])}
    expected_ids = set(expected_members(meeting).values_list("pk", flat=True))
    seen, cleaned = set(), []
    for i, entry in enumerate(entries or []):
        member = members.get(_int(ids[i]))
        status = entry.get("status") or ""
        reason = _text(entry.get("reason"), 200)
        if ids[i] in (None, ""):
            continue
        if member is None or not _may_attend(meeting, member, expected_ids):
            errors.add(f"entries.{i}.member", _("This member is not expected at this meeting."))
            continue
        if member.pk in seen:
            errors.add(f"entries.{i}.member", _("{name} is listed twice.").format(name=member.full_name))
            continue
        seen.add(member.pk)
        if status not in AttendanceStatus.values:
            errors.add(f"entries.{i}.status", _("Choose present, late, excused or absent."))
            continue
        if status == AttendanceStatus.EXCUSED and not reason:
            errors.add(f"entries.{i}.reason", _("State why {name} is excused.").format(name=member.full_name))
            continue
        cleaned.append((member, status, reason))
    errors.raise_if_any()
    out = []
    with transaction.atomic(), acting_as(actor):
        meeting = _locked(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            errors.add("__all__", _("The meeting was cancelled."))
            errors.raise_if_any()
        existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
        for member, status, reason in cleaned:
            a = existing.get(member.pk) or Attendance(meeting=meeting, member=member, created_by=actor)
            if a.pk and (a.status, a.reason) == (status, reason):
                out.append(a)
                continue
            a.status, a.reason = status, reason
            if a.method != AttendanceMethod.CODE or status not in ATTENDED:
                a.method = AttendanceMethod.ROLL_CALL
            a.save()
            out.append(a)
        _event(meeting, MeetingEventKind.ROLL_CALL, actor, str(len(cleaned)))
    if meeting.status == MeetingStatus.HELD:
        must_visit_check(actor=actor, members=[m for m, s, _r in cleaned if s == AttendanceStatus.ABSENT],
                         as_of=meeting.held_on)
    return out


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def meeting_mark_held(*, actor, meeting: Meeting, held_on: dt.date) -> Meeting:
    """Record that the meeting took place on ``held_on`` (today or earlier): sign-in closes,
    expected members nobody ticked are marked absent, and members who have now missed too many
    meetings in a row get a must-visit task (002 L111)."""
    require_meeting_write(actor, meeting.territory_code)
    errors = FieldErrors()
    today = timezone.localdate()
    if not isinstance(held_on, dt.date):
        errors.add("held_on", _("Give the day the meeting was held."))
    elif held_on > today:
        errors.add("held_on", _("A meeting cannot be marked held on a day still to come."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        meeting = _locked(meeting)
        if meeting.status != MeetingStatus.SCHEDULED:
            errors.add("__all__", _("Only a scheduled meeting can be marked held."))
            errors.raise_if_any()
        meeting.status, meeting.held_on, meeting.signin_code = MeetingStatus.HELD, held_on, ""
        meeting.save(update_fields=["status", "held_on", "signin_code"])
        ticked = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
        absent = [m for m in expected_members(meeting) if m.pk not in ticked]
        for member in absent:
            Attendance.objects.create(meeting=meeting, member=member, status=AttendanceStatus.ABSENT,
                                      method=AttendanceMethod.MANUAL, created_by=actor)
        _event(meeting, MeetingEventKind.HELD, actor, held_on.isoformat())
        missed = list(Member.objects.filter(
            attendances__meeting=meeting, attendances__status=AttendanceStatus.ABSENT))
        must_visit_check(actor=actor, members=missed, as_of=held_on)
    return meeting


def must_visit_check(*, actor, members, as_of: dt.date | None = None) -> list[VisitTask]:
    """Open a "misses activities" visit task (不参加活动必访, 002 L111) for each of ``members``
    whose last N held meetings (N = :func:`must_visit_after_missed`, among the meetings they were
    expected at) were all absences. Idempotent: no second open task for the same member and
    reason. Returns the tasks opened now. Two queries plus one insert per task opened."""
    n = must_visit_after_missed()
    ids = sorted({m.pk for m in members})
    if not ids or n < 1:
        return []
    as_of = as_of or timezone.localdate()
    rows = (
        Attendance.objects.filter(member_id__in=ids, meeting__status=MeetingStatus.HELD, meeting__held_on__lte=as_of)
        .values_list("member_id", "status", "meeting__held_on", "meeting__title")
        .order_by("member_id", "-meeting__held_on", "-meeting__starts_at", "-meeting_id")
    )
    last: dict[int, list] = {}
    for member_id, status, held_on, title in rows:
        seq = last.setdefault(member_id, [])
        if len(seq) < n:
            seq.append((status, held_on, title))
    due = [mid for mid, seq in last.items() if len(seq) == n and all(s == AttendanceStatus.ABSENT for s, *_r in seq)]
    if not due:
        return []
    already = set(VisitTask.objects.filter(member_id__in=due, reason=VisitReason.MISSED_MEETINGS,
                                           status=VisitStatus.OPEN).values_list("member_id", flat=True))
    by_id = {m.pk: m for m in members}
    opened = []
    with transaction.atomic(), acting_as(actor):
        for mid in due:
            if mid in already:
                continue
            seq = last[mid]
            trigger = _("Absent from {n} meetings in a row, the last on {date}.").format(
                n=n, date=seq[0][1].isoformat())
            task = VisitTask(member=by_id[mid], reason=VisitReason.MISSED_MEETINGS,
                             due_on=as_of + dt.timedelta(days=must_visit_due_days()), trigger=trigger,
                             created_by=actor if getattr(actor, "pk", None) else None)
            try:
                with transaction.atomic():
                    task.save()
            except IntegrityError:  # opened concurrently: the constraint keeps one
                continue
            opened.append(task)
    return opened


# -- minutes and attachments --------------------------------------------------------------------

def minutes_save(*, actor, meeting: Meeting, text: str, decisions: str = "", recorder_name: str = "") -> Minutes:
    """Write or rewrite the minutes of a meeting, until they are signed off."""
    require_meeting_write(actor, meeting.territory_code)
    text, decisions, recorder_name = _text(text), _text(decisions), _text(recorder_name, 64)
    errors = FieldErrors()
    if not text:
        errors.add("text", _("Write what the meeting discussed."))
    if meeting.status == MeetingStatus.CANCELLED:
        errors.add("__all__", _("The meeting was cancelled."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        meeting = _locked(meeting)
        minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
        if minutes is not None and minutes.is_signed_off:
            errors.add("__all__", _("The minutes are signed off; add an addendum instead."))
            errors.raise_if_any()
        if minutes is None:
            minutes = Minutes(meeting=meeting, created_by=actor)
        minutes.text, minutes.decisions = text, decisions
        minutes.recorder_name = recorder_name or getattr(actor, "display_name", "") or actor.get_username()
        minutes.recorder = actor
        minutes.save()
        _event(meeting, MeetingEventKind.MINUTES_SAVED, actor)
    return minutes


def minutes_sign_off(*, actor, meeting: Meeting) -> Minutes:
    """Sign the minutes off: from now on they never change (003 L331). Only minutes of a meeting
    that was held can be signed off."""
    require_meeting_write(actor, meeting.territory_code)
    errors = FieldErrors()
    with transaction.atomic(), acting_as(actor):
        meeting = _locked(meeting)
        minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
        if minutes is None:
            errors.add("__all__", _("There are no minutes to sign off yet."))
        elif minutes.is_signed_off:
            errors.add("__all__", _("The minutes are already signed off."))
        elif meeting.status != MeetingStatus.HELD:
            errors.add("__all__", _("Mark the meeting held before signing off its minutes."))
        errors.raise_if_any()
        minutes.signed_off_by, minutes.signed_off_at = actor, timezone.now()
        minutes.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
        _event(meeting, MeetingEventKind.MINUTES_SIGNED_OFF, actor)
    return minutes


def minutes_add_addendum(*, actor, meeting: Meeting, text: str) -> MinutesAddendum:
    """Correct or complete signed-off minutes by appending an addendum (the minutes stay as
    they were signed)."""
    require_meeting_write(actor, meeting.territory_code)
    text = _text(text)
    errors = FieldErrors()
    if not text:
        errors.add("text", _("Write the addendum."))
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not minutes.is_signed_off:
        errors.add("__all__", _("An addendum is for signed-off minutes; change the minutes instead."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        addendum = MinutesAddendum.objects.create(minutes=minutes, text=text, created_by=actor)
        _event(meeting, MeetingEventKind.ADDENDUM, actor)
    return addendum


def attachment_add(*, actor, meeting: Meeting, file, title: str = "") -> MeetingAttachment:
    """Attach a sign-in sheet, slides or photos (pdf, jpg, png, docx, xlsx; at most 10 MB)."""
    require_meeting_write(actor, meeting.territory_code)
    attachment = MeetingAttachment(meeting=meeting, file=file, title=_text(title, 200), uploaded_by=actor)
    errors = FieldErrors()
    if not file:
        errors.add("file", _("Choose a file."))
    else:
        _full_clean(attachment, errors, exclude=["meeting", "uploaded_by"])
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        attachment.save()
        _event(meeting, MeetingEventKind.ATTACHMENT, actor, attachment.title or attachment.filename)
    return attachment


# -- votes --------------------------------------------------------------------------------------

def _ratio(value, default: Decimal) -> Decimal | None:
    if value in (None, ""):
        return default
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        return None
    return value if value.is_finite() and 0 <= value <= 1 else None


def eligible_voters(meeting: Meeting):
    """Full members expected at the meeting: probationary members (预备党员) have no vote."""
    return expected_members(meeting).exclude(status=MemberStatus.PROBATIONARY)


def motion_open(
    *, actor, meeting: Meeting, question: str, method: str, options: list[str] | None = None,
    quorum_ratio=None, majority_ratio=None,
) -> Motion:
    """Put a question to the vote at a scheduled or held meeting. The number of eligible voters
    is frozen now. Options default to yes / no / abstain (同意 / 反对 / 弃权)."""
    require_meeting_write(actor, meeting.territory_code)
    errors = FieldErrors()
    question = _text(question, 300)
    options = [_text(o, 100) for o in (options or DEFAULT_OPTIONS) if _text(o)]
    if not question:
        errors.add("question", _("Write the question put to the vote."))
    if method not in VoteMethod.values:
        errors.add("method", _("Choose show of hands, named vote or secret ballot."))
    if len(options) < 2 or len(set(options)) != len(options):
        errors.add("options", _("Give at least two different options."))
    quorum, majority = _ratio(quorum_ratio, Decimal("0.5")), _ratio(majority_ratio, Decimal("0.5"))
    if quorum is None:
        errors.add("quorum_ratio", _("Give a share between 0 and 1."))
    if majority is None:
        errors.add("majority_ratio", _("Give a share between 0 and 1."))
    if meeting.status == MeetingStatus.CANCELLED:
        errors.add("__all__", _("The meeting was cancelled."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        meeting = _locked(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            errors.add("__all__", _("The meeting was cancelled."))
            errors.raise_if_any()
        motion = Motion.objects.create(
            meeting=meeting, question=question, method=method, options=options, quorum_ratio=quorum,
            majority_ratio=majority, eligible=eligible_voters(meeting).count(), created_by=actor,
        )
        _event(meeting, MeetingEventKind.MOTION_OPENED, actor, question[:200])
    return motion


def vote_cast(*, actor, motion: Motion, choice: str, member: Member | None = None):
    """Cast one vote. A member votes for themselves (``member`` omitted: the actor's own member
    record). In a named vote a meeting writer may also record a member's open vote; a secret
    ballot is only ever cast by the member (nobody else learns the choice). The secret ballot's
    receipt (that the member voted) and the anonymous ballot (what was chosen) are written in one
    transaction and cannot be lined up afterwards (see :class:`~.models.SecretBallot`)."""
    errors = FieldErrors()
    own = member_for_user(actor)
    if member is None or (own is not None and member.pk == own.pk):
        voter = own
        if voter is None:
            raise PermissionDenied(_("Your account is not linked to a Party member."))
    else:
        if motion.method != VoteMethod.NAMED:
            raise PermissionDenied(_("Only the member may cast their own vote in this ballot."))
        require_meeting_write(actor, motion.meeting.territory_code)
        voter = member
    if motion.method == VoteMethod.SHOW_OF_HANDS:
        errors.add("__all__", _("A show of hands is counted by the chair, not cast one by one."))
    if choice not in motion.options:
        errors.add("choice", _("Choose one of the options."))
    errors.raise_if_any()
    with transaction.atomic():
        motion = Motion.objects.select_for_update(of=("self",)).select_related("meeting__organization").get(pk=motion.pk)
        if motion.status != MotionStatus.OPEN:
            errors.add("__all__", _("The vote is closed."))
            errors.raise_if_any()
        if not eligible_voters(motion.meeting).filter(pk=voter.pk).exists():
            errors.add("__all__", _("{name} has no vote in this meeting.").format(name=voter.full_name))
            errors.raise_if_any()
        if motion.method == VoteMethod.NAMED:
            if NamedBallot.objects.filter(motion=motion, member=voter).exists():
                errors.add("__all__", _("{name} has already voted.").format(name=voter.full_name))
                errors.raise_if_any()
            with acting_as(actor):
                return NamedBallot.objects.create(motion=motion, member=voter, choice=choice, created_by=actor)
        if BallotReceipt.objects.filter(motion=motion, member=voter).exists():
            errors.add("__all__", _("You have already voted."))
            errors.raise_if_any()
        BallotReceipt.objects.create(motion=motion, member=voter)
        SecretBallot.objects.create(motion=motion, choice=choice)
        return None  # nothing that could be shown back next to the voter


def motion_tally(*, actor, motion: Motion, counts: dict[str, int]) -> Motion:
    """The chair records the raised hands per option of a show-of-hands vote (replacing an
    earlier count while the vote is open)."""
    require_meeting_write(actor, motion.meeting.territory_code)
    errors = FieldErrors()
    if motion.method != VoteMethod.SHOW_OF_HANDS:
        errors.add("__all__", _("Only a show of hands is counted by the chair."))
    cleaned = {}
    for option, count in (counts or {}).items():
        if option not in motion.options:
            errors.add("counts", _("Unknown option: {option}.").format(option=option))
            continue
        n = _int(count)
        if n is None or n < 0:
            errors.add("counts", _("Counts are whole numbers, 0 or more."))
            continue
        cleaned[option] = n
    if sum(cleaned.values()) > motion.eligible:
        errors.add("counts", _("More hands than eligible voters ({n}).").format(n=motion.eligible))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        motion = Motion.objects.select_for_update(of=("self",)).get(pk=motion.pk)
        if motion.status != MotionStatus.OPEN:
            errors.add("__all__", _("The vote is closed."))
            errors.raise_if_any()
        for option in motion.options:
            MotionTally.objects.update_or_create(motion=motion, option=option,
                                                 defaults={"count": cleaned.get(option, 0)})
    return motion


def motion_counts(motion: Motion) -> dict[str, int]:
    """Votes per option, whatever the method (one query)."""
    counts = dict.fromkeys(motion.options, 0)
    if motion.method == VoteMethod.SHOW_OF_HANDS:
        rows = MotionTally.objects.filter(motion=motion).values_list("option", "count")
    elif motion.method == VoteMethod.NAMED:
        rows = [(c, 1) for c in NamedBallot.objects.filter(motion=motion).values_list("choice", flat=True)]
    else:
        rows = [(c, 1) for c in SecretBallot.objects.filter(motion=motion).values_list("choice", flat=True)]
    for option, n in rows:
        counts[option] = counts.get(option, 0) + n
    return counts


def decide(*, counts: dict[str, int], options: list[str], eligible: int, present: int,
           quorum_ratio: Decimal, majority_ratio: Decimal) -> tuple[str, str]:
    """``(result, winner)`` under the rule's parameters (pure, for the 4+2 module too)."""
    if present <= quorum_ratio * eligible or eligible == 0:
        return MotionResult.NO_QUORUM, ""
    cast = sum(counts.values())
    if cast == 0:
        return MotionResult.REJECTED, ""
    if set(options) == set(DEFAULT_OPTIONS):
        passed = counts.get(VoteOption.YES, 0) > majority_ratio * cast
        return (MotionResult.PASSED, VoteOption.YES.value) if passed else (MotionResult.REJECTED, "")
    for option in options:
        if counts.get(option, 0) > majority_ratio * cast:
            return MotionResult.PASSED, option
    return MotionResult.REJECTED, ""


def motion_close(*, actor, motion: Motion) -> Motion:
    """Close the vote and decide it: quorum (present members, at least everyone who voted, more
    than ``quorum_ratio`` of the eligible) and the majority of the votes cast. The counts are
    kept on the motion; secret ballots are rewritten under fresh random keys in shuffled order."""
    require_meeting_write(actor, motion.meeting.territory_code)
    errors = FieldErrors()
    with transaction.atomic(), acting_as(actor):
        motion = Motion.objects.select_for_update(of=("self",)).select_related("meeting__organization").get(pk=motion.pk)
        if motion.status != MotionStatus.OPEN:
            errors.add("__all__", _("The vote is already closed."))
            errors.raise_if_any()
        counts = motion_counts(motion)
        cast = sum(counts.values())
        attended = Attendance.objects.filter(meeting=motion.meeting, status__in=ATTENDED).count()
        if motion.method == VoteMethod.SECRET:
            voters = BallotReceipt.objects.filter(motion=motion).count()
            choices = list(SecretBallot.objects.filter(motion=motion).values_list("choice", flat=True))
            random.SystemRandom().shuffle(choices)
            SecretBallot.objects.filter(motion=motion).delete()
            SecretBallot.objects.bulk_create([SecretBallot(id=uuid.uuid4(), motion=motion, choice=c) for c in choices])
        else:
            voters = cast
        present = max(attended, voters)
        result, winner = decide(counts=counts, options=motion.options, eligible=motion.eligible, present=present,
                                quorum_ratio=motion.quorum_ratio, majority_ratio=motion.majority_ratio)
        motion.status, motion.result, motion.winner = MotionStatus.CLOSED, result, winner
        motion.present, motion.votes_cast, motion.counts, motion.closed_at = present, cast, counts, timezone.now()
        motion.save()
        _event(motion.meeting, MeetingEventKind.MOTION_CLOSED, actor, f"{motion.question[:150]}: {result}")
    return motion


# -- must-visit tasks ---------------------------------------------------------------------------

def visit_task_create(*, actor, member: Member, reason: str, due_on: dt.date | None = None, note: str = "") -> VisitTask:
    """Open a must-visit task by hand (ill, hardship, residents' complaint, death; the "misses
    activities" one is usually opened by :func:`must_visit_check`)."""
    require_meeting_write(actor, member.territory_code)
    errors = FieldErrors()
    if reason not in VisitReason.values:
        errors.add("reason", _("Choose one of the five must-visits."))
    elif VisitTask.objects.filter(member=member, reason=reason, status=VisitStatus.OPEN).exists():
        errors.add("reason", _("{name} already has an open visit task for this reason.").format(name=member.full_name))
    if member.left_on is not None and reason != VisitReason.DEATH:
        errors.add("member", _("{name} is no longer a member here.").format(name=member.full_name))
    errors.raise_if_any()
    task = VisitTask(member=member, reason=reason, note=_text(note), created_by=actor,
                     due_on=due_on or timezone.localdate() + dt.timedelta(days=must_visit_due_days()))
    with transaction.atomic(), acting_as(actor):
        task.save()
    return task


def visit_task_done(*, actor, task: VisitTask, done_on: dt.date, note: str) -> VisitTask:
    """Record the visit: the day (today or earlier) and what was found or done."""
    require_meeting_write(actor, task.territory_code)
    errors = FieldErrors()
    note = _text(note)
    if not isinstance(done_on, dt.date):
        errors.add("done_on", _("Give the day of the visit."))
    elif done_on > timezone.localdate():
        errors.add("done_on", _("The visit cannot be on a day still to come."))
    if not note:
        errors.add("note", _("Write what the visit found or did."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        task = VisitTask.objects.select_for_update(of=("self",)).select_related("member").get(pk=task.pk)
        if task.status != VisitStatus.OPEN:
            errors.add("__all__", _("This visit has already been recorded."))
            errors.raise_if_any()
        task.status, task.done_on = VisitStatus.DONE, done_on
        task.note = (task.note + "\n" + note).strip() if task.note else note
        task.save()
    return task
