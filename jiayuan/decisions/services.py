"""Every write to the decisions tables goes through here.

The method (002 L161-163): 党支部会提议 → “两委”会商议 → 党员大会审议 → 居民代表会议或居民会议决议;
决议公开 (+1), 实施结果公开 (+2). :func:`decision_transition` is the one entry point for the steps
after the proposal; a step out of order (or a stale ``expected_version``) raises
:class:`DecisionConflict` (409 in the API), invalid input a ``ValidationError`` (400).

The first three stages are voted by Party bodies: their vote IS a
:class:`~jiayuan.meetings.models.Motion` at a held meeting of an organization of the matter's
community, closed through ``jiayuan.meetings.services.motion_close`` — so quorum and majority are
the motion's own parameters (``decide``). Stage 4 is voted by residents (002 L161 "居民代表会议或
居民会议决议"; 002 L163 "社区组织35名居民代表召开居民代表大会"): its vote is a closed
:class:`~jiayuan.decisions.models.ResidentVote` of a held resident representative meeting or
resident assembly of the community, decided in ``residents_services`` under the Organization
Law's quorum and majority (and dual-ballot voting for major or contested matters, 002 L185). A
failed (or inquorate) vote rejects the matter at that stage.

Notice (+1): published on the day, ``ends_on`` 7 days later (公示了七天, 002 L163); the notice
runs while today < ``ends_on``. Objections are filed while it runs; implementation starts only
after it ended and once every objection has an answer. The implementation result is due
``JIAYUAN_DECISION_RESULT_DUE_DAYS`` (default 90; not in the seeds) after the resolution unless a
``due_on`` is given; a matter past it without a published result is overdue.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import acting_as
from jiayuan.core.errors import FieldErrors
from jiayuan.meetings.choices import MeetingStatus, MotionResult, MotionStatus
from jiayuan.meetings.models import Motion

from .categories import categories
from .choices import (
    RESOLUTION_MEETING_KINDS,
    STAGE_FROM,
    STAGE_MEETING_TYPES,
    STAGE_ORDER,
    STAGE_TO,
    DecisionAction,
    DecisionEventKind,
    DecisionStatus,
    ResidentMeetingStatus,
    ResidentVoteResult,
    ResidentVoteStatus,
    StageCode,
    StageResult,
)
from .models import (
    Comment,
    DecisionEvent,
    DecisionMatter,
    DecisionStage,
    ImplementationResult,
    Notice,
    Objection,
    ResidentVote,
)
from .permissions import may_write, require_write

NOTICE_DAYS = 7
PLAN_FIELDS = ("necessity", "principles", "timing", "area", "funds", "funds_source", "funds_allocation")


class DecisionConflict(Exception):
    """The step is not possible now (out of order, notice running, objection unanswered, stale
    version). The API answers 409 with ``message``."""

    def __init__(self, message: str, *, code: str = "conflict", matter: DecisionMatter | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.matter = matter


def _today() -> dt.date:
    return timezone.localdate()


def result_due_days() -> int:
    return int(getattr(settings, "JIAYUAN_DECISION_RESULT_DUE_DAYS", 90))


def _text(value, limit: int | None = None) -> str:
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def _event(matter, kind, actor, *, before="", note="") -> None:
    DecisionEvent.objects.create(matter=matter, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                                 from_status=before, to_status=matter.status, note=_text(note, 300))


def matter_propose(*, actor, place, category: str, title: str, **plan) -> DecisionMatter:
    """Record the Party branch's proposal: the matter with its plan (002 L163). The branch
    proposal's own vote is recorded next, as the first stage."""
    require_write(actor, place.code)
    errors = FieldErrors()
    title = _text(title, 200)
    if not title:
        errors.add("title", _("Give the matter a title."))
    if category not in categories():
        errors.add("category", _("Choose one of the categories."))
    unknown = set(plan) - set(PLAN_FIELDS)
    if unknown:
        errors.add("__all__", _("Unknown fields: {names}.").format(names=", ".join(sorted(unknown))))
    if not _text(plan.get("necessity")):
        errors.add("necessity", _("State why the matter is necessary."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        matter = DecisionMatter.objects.create(
            place=place, category=category, title=title, created_by=actor,
            **{k: _text(plan.get(k), 200 if k in ("timing", "area", "funds") else None) for k in PLAN_FIELDS},
        )
        _event(matter, DecisionEventKind.PROPOSED, actor)
    return matter


def _passed(matter, stage) -> bool:
    return any(s.stage == stage and s.result == StageResult.PASSED for s in matter.stages.all())


def _next_stage(matter) -> str | None:
    for stage in STAGE_ORDER:
        if not _passed(matter, stage):
            return stage
    return None


def _unanswered(matter) -> int:
    return Objection.objects.filter(notice__matter=matter, answered_on__isnull=True).count()


def _current_notice(matter) -> Notice | None:
    return matter.notices.order_by("-published_on", "-id").first()


def _blocks(matter, action, today) -> str | None:
    """Why ``action`` is not possible now, or None."""
    s = matter.status
    if action == DecisionAction.RECORD_STAGE:
        if s not in (DecisionStatus.PROPOSED, DecisionStatus.DELIBERATED, DecisionStatus.REVIEWED):
            return _("All four stages are already decided.")
        return None
    if action == DecisionAction.COMMENT:
        if s not in (DecisionStatus.PROPOSED, DecisionStatus.DELIBERATED, DecisionStatus.REVIEWED):
            return _("Comments on the plan are taken before the resolution.")
        return None
    if action == DecisionAction.PUBLISH_NOTICE:
        return None if s == DecisionStatus.RESOLVED else _("Only a resolution passed by the residents is published.")
    if action in (DecisionAction.FILE_OBJECTION, DecisionAction.ANSWER_OBJECTION):
        if s != DecisionStatus.NOTICE:
            return _("Objections belong to the resolution notice.")
        notice = _current_notice(matter)
        if action == DecisionAction.FILE_OBJECTION and notice is not None and today >= notice.ends_on:
            return _("The notice period ended on {date}.").format(date=notice.ends_on.isoformat())
        return None
    if action == DecisionAction.START_IMPLEMENTATION:
        if s != DecisionStatus.NOTICE:
            return _("Implementation starts after the resolution notice.")
        notice = _current_notice(matter)
        if notice is not None and today < notice.ends_on:
            return _("The resolution is on notice until {date}; implementation may start then.").format(
                date=notice.ends_on.isoformat())
        n = _unanswered(matter)
        if n:
            return _("{n} objection(s) still to be answered before implementation.").format(n=n)
        return None
    if action == DecisionAction.PUBLISH_RESULT:
        return None if s == DecisionStatus.IMPLEMENTING else _("The result is published once implementation started.")
    if action == DecisionAction.CLOSE:
        return None if s == DecisionStatus.RESULT_PUBLISHED else _("A matter is closed after its result is published.")
    return _("Unknown action.")


# -- the steps (each on a locked matter, inside the transaction) ----------------------------------

def _residents_vote_record(actor, matter, stage, vote, today):
    """Stage 4 (002 L161 "居民代表会议或居民会议决议"): a closed :class:`ResidentVote` of a held
    resident representative meeting or resident assembly of the matter's community. Its result
    already applies the Organization Law's quorum and majority and, for a major or contested
    matter, the household ballots (002 L185), so it is taken as it stands."""
    errors = FieldErrors()
    meeting = vote.meeting
    if meeting.territory_code != matter.territory_code:
        errors.add("resident_vote", _("The vote must be taken by the residents of the matter's community."))
    if meeting.kind not in RESOLUTION_MEETING_KINDS:
        errors.add("resident_vote", _("Only a resident representative meeting or a resident assembly resolves a "
                                      "4+2 matter."))
    if meeting.status != ResidentMeetingStatus.HELD:
        errors.add("resident_vote", _("The meeting has not been held."))
    if vote.status != ResidentVoteStatus.CLOSED:
        errors.add("resident_vote", _("The vote is still open: close it first."))
    if vote.matter_id is not None and vote.matter_id != matter.pk:
        errors.add("resident_vote", _("This vote was taken on another matter."))
    if DecisionStage.objects.filter(resident_vote=vote).exists():
        errors.add("resident_vote", _("This vote is already recorded for a stage."))
    errors.raise_if_any()
    passed = vote.result == ResidentVoteResult.PASSED
    DecisionStage.objects.create(
        matter=matter, stage=stage, resident_vote=vote, created_by=actor,
        result=StageResult.PASSED if passed else StageResult.FAILED, decided_at=vote.closed_at or timezone.now())
    if passed:
        matter.status = STAGE_TO[stage]
        if matter.result_due_on is None:
            matter.result_due_on = today + dt.timedelta(days=result_due_days())
        return DecisionEventKind.STAGE_RECORDED, f"{stage}: {vote.result}"
    matter.status, matter.rejected_at_stage = DecisionStatus.REJECTED, stage
    return DecisionEventKind.REJECTED, f"{stage}: {vote.result}"


def stage_record(actor, matter, data, today):
    """Link the next stage's vote: a closed motion of a held Party meeting for stages 1-3
    (``motion``), a closed resident vote for stage 4 (``resident_vote``, see
    :func:`_residents_vote_record`). Out of order → :class:`DecisionConflict`."""
    errors = FieldErrors()
    stage, motion, resident_vote = data.get("stage") or "", data.get("motion"), data.get("resident_vote")
    if stage not in StageCode.values:
        errors.add("stage", _("Choose one of the four stages."))
    elif stage == StageCode.RESIDENTS_RESOLUTION:
        if not isinstance(resident_vote, ResidentVote):
            errors.add("resident_vote", _("Choose the vote of the resident meeting."))
    elif not isinstance(motion, Motion):
        errors.add("motion", _("Choose the vote of the meeting."))
    errors.raise_if_any()
    expected = _next_stage(matter)
    if stage != expected or matter.status != STAGE_FROM[stage]:
        raise DecisionConflict(
            _("“{stage}” cannot be recorded now: the next stage is “{next}”.").format(
                stage=StageCode(stage).label, next=StageCode(expected).label if expected else "—"),
            code="out_of_order", matter=matter)
    if stage == StageCode.RESIDENTS_RESOLUTION:
        return _residents_vote_record(actor, matter, stage, resident_vote, today)
    meeting = motion.meeting
    if meeting.territory_code != matter.territory_code:
        errors.add("motion", _("The vote must be taken by an organization of the matter's community."))
    if meeting.meeting_type not in STAGE_MEETING_TYPES[stage]:
        errors.add("motion", _("This kind of meeting cannot take this stage's vote."))
    if meeting.status != MeetingStatus.HELD:
        errors.add("motion", _("The meeting has not been held."))
    if motion.status != MotionStatus.CLOSED:
        errors.add("motion", _("The vote is still open: close it first."))
    if DecisionStage.objects.filter(motion=motion).exists():
        errors.add("motion", _("This vote is already recorded for a stage."))
    errors.raise_if_any()
    passed = motion.result == MotionResult.PASSED
    DecisionStage.objects.create(
        matter=matter, stage=stage, meeting=meeting, motion=motion, created_by=actor,
        result=StageResult.PASSED if passed else StageResult.FAILED, decided_at=motion.closed_at or timezone.now())
    if passed:
        matter.status = STAGE_TO[stage]
        return DecisionEventKind.STAGE_RECORDED, f"{stage}: {motion.result}"
    matter.status, matter.rejected_at_stage = DecisionStatus.REJECTED, stage
    return DecisionEventKind.REJECTED, f"{stage}: {motion.result}"


def _comment(actor, matter, data, today):
    text = _text(data.get("text"))
    if not text:
        raise ValidationError({"text": [_("Write the comment.")]})
    Comment.objects.create(matter=matter, text=text, author_name=_text(data.get("author_name"), 64), created_by=actor)
    return DecisionEventKind.COMMENTED, text[:200]


def notice_publish(actor, matter, data, today):
    text = _text(data.get("text")) or _("Resolution: {title}").format(title=matter.title)
    Notice.objects.create(matter=matter, text=text, published_on=today, ends_on=today + dt.timedelta(days=NOTICE_DAYS),
                          created_by=actor)
    due = data.get("due_on")
    if isinstance(due, dt.date):
        matter.result_due_on = due
    matter.status = DecisionStatus.NOTICE
    return DecisionEventKind.NOTICE_PUBLISHED, ""


def objection_file(actor, matter, data, today):
    text = _text(data.get("text"))
    if not text:
        raise ValidationError({"text": [_("Write the objection.")]})
    notice = _current_notice(matter)
    Objection.objects.create(notice=notice, text=text, author_name=_text(data.get("author_name"), 64),
                             filed_on=today, created_by=actor)
    return DecisionEventKind.OBJECTION_FILED, text[:200]


def objection_answer(actor, matter, data, today):
    errors = FieldErrors()
    objection = data.get("objection")
    if isinstance(objection, int | str) and str(objection).isdigit():
        objection = Objection.objects.filter(pk=int(objection), notice__matter=matter).first()
    if not isinstance(objection, Objection) or objection.notice.matter_id != matter.pk:
        errors.add("objection", _("No such objection on this matter."))
    answer = _text(data.get("text") or data.get("answer"))
    if not answer:
        errors.add("text", _("Write the answer."))
    errors.raise_if_any()
    if objection.answered_on is not None:
        raise DecisionConflict(_("This objection is already answered."), code="answered", matter=matter)
    objection.answer, objection.answered_on, objection.answered_by = answer, today, actor
    objection.save(update_fields=["answer", "answered_on", "answered_by", "updated_at"])
    return DecisionEventKind.OBJECTION_ANSWERED, answer[:200]


def implementation_start(actor, matter, data, today):
    matter.status = DecisionStatus.IMPLEMENTING
    return DecisionEventKind.IMPLEMENTATION_STARTED, ""


def result_publish(actor, matter, data, today):
    text = _text(data.get("text"))
    if not text:
        raise ValidationError({"text": [_("Describe the result of the implementation.")]})
    ImplementationResult.objects.create(matter=matter, text=text, published_on=today, due_on=matter.result_due_on,
                                        created_by=actor)
    matter.status = DecisionStatus.RESULT_PUBLISHED
    return DecisionEventKind.RESULT_PUBLISHED, text[:200]


def close(actor, matter, data, today):
    matter.status = DecisionStatus.CLOSED
    return DecisionEventKind.CLOSED, ""


_HANDLERS = {
    DecisionAction.RECORD_STAGE: stage_record,
    DecisionAction.COMMENT: _comment,
    DecisionAction.PUBLISH_NOTICE: notice_publish,
    DecisionAction.FILE_OBJECTION: objection_file,
    DecisionAction.ANSWER_OBJECTION: objection_answer,
    DecisionAction.START_IMPLEMENTATION: implementation_start,
    DecisionAction.PUBLISH_RESULT: result_publish,
    DecisionAction.CLOSE: close,
}


def decision_transition(*, actor, matter: DecisionMatter, action: str, expected_version: int | None = None,
                        on: dt.date | None = None, **data) -> DecisionMatter:
    """Take one step. Actions and data: ``record_stage`` (``stage``, ``motion``); ``comment``
    (``text``, ``author_name``); ``publish_notice`` (``text``, ``due_on``); ``file_objection``
    (``text``, ``author_name``); ``answer_objection`` (``objection``, ``text``);
    ``start_implementation``; ``publish_result`` (``text``); ``close``. ``on``: the day the step
    was taken when it is recorded afterwards (补录; today or earlier). Returns a fresh matter."""
    action = _text(action)
    if action not in DecisionAction.values:
        raise ValidationError({"action": [_("Unknown action.")]})
    require_write(actor, matter.territory_code)
    today = _today()
    if on is not None:
        if not isinstance(on, dt.date) or on > today:
            raise ValidationError({"on": [_("A step is recorded today or for an earlier day.")]})
        today = on
    with transaction.atomic(), acting_as(actor):
        locked = DecisionMatter.objects.select_for_update(of=("self",)).select_related("place").get(pk=matter.pk)
        if expected_version is not None and int(expected_version) != locked.version:
            raise DecisionConflict(
                _("Somebody else changed this matter in the meantime (now version {now}, you had {had}). "
                  "Reload it and try again.").format(now=locked.version, had=expected_version),
                code="stale_version", matter=locked)
        reason = _blocks(locked, action, today)
        if reason:
            raise DecisionConflict(reason, code="illegal_transition", matter=locked)
        before = locked.status
        kind, note = _HANDLERS[action](actor, locked, data, today)
        locked.version += 1
        locked.save()
        _event(locked, kind, actor, before=before, note=note)
    return DecisionMatter.objects.get(pk=locked.pk)


def available_actions(user, matter: DecisionMatter) -> list[str]:
    """The actions ``user`` may take on ``matter`` now (state and permission)."""
    if not may_write(user, matter.territory_code):
        return []
    today = _today()
    return [a for a in DecisionAction.values if _blocks(matter, a, today) is None]


__all__ = ["DecisionConflict", "PermissionDenied", "available_actions", "decision_transition", "matter_propose"]
