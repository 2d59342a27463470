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

Notice (+1): published on the day, ``ends_on`` 7 days later (公示了七天, 002 L163; the rulebook's
N-DEMO-08 ``days``, which a district may override); the notice runs while today < ``ends_on``.
It is posted on the community's public board in the same step (kind ``resolution``, up every day
of the notice), and so is the implementation result (kind ``result``). Objections are filed while it runs; implementation starts only
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
from jiayuan.disclosure import services as board
from jiayuan.disclosure.choices import Kind, Section, Timing
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
    CharterVersion,
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

NOTICE_DAYS = 7  # 公示了七天 (002 L163): the default of the rulebook's N-DEMO-08 ``days``
NOTICE_RULE = "N-DEMO-08"
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


def notice_days(territory_code: str) -> int:
    """Days a resolution stays on notice: the rulebook's N-DEMO-08 ``days`` for the community
    (its overrides, nearest prefix wins), else 7 (002 L163)."""
    from jiayuan.norms.evaluate import effective_params, overrides_for
    from jiayuan.norms.rulebook import rule_get

    rule = rule_get(NOTICE_RULE)
    if rule is None or "days" not in rule.params:
        return NOTICE_DAYS
    return int(effective_params(rule, territory_code, overrides_for([territory_code]))["days"].value)


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


# -- the public board (002 L161 "决议公开,实施结果公开") --------------------------------------------

def _publisher(matter) -> str:
    return f"{matter.place.name}居民委员会"


def _post(actor, matter, *, kind, timing, title, body, published_on, expires_on=None):
    return board.item_publish_by_procedure(
        actor=actor, community=matter.place, section=Section.AFFAIRS, timing=timing, kind=kind, title=title,
        body=body, publisher=_publisher(matter), published_on=published_on, expires_on=expires_on)


def _stage_lines(matter) -> list[str]:
    """One line per recorded stage: the body, the day and the vote (what the notice tells residents)."""
    from .selectors import stage_summary

    names = {"yes": "同意", "no": "反对", "abstain": "弃权"}
    lines = []
    for n, st in enumerate(sorted(matter.stages.all(), key=lambda s: STAGE_ORDER.index(s.stage)), start=1):
        sm = stage_summary(st)
        tally = "、".join(f"{names.get(k, k)}{v}票" for k, v in sm["counts"].items())
        if sm["households"]:
            tally += ";联系户投票:" + "、".join(f"{names[k]}{v}户" for k, v in sm["households"].items())
        day = f"{sm['on']:%Y年%m月%d日}" if sm["on"] else ""
        lines.append(f"{n}. {STAGE_ZH[st.stage]}:{sm['body']} {day} "
                     f"{'通过' if st.result == StageResult.PASSED else '未通过'}" + (f"({tally})" if tally else ""))
    return lines


STAGE_ZH = {StageCode.BRANCH_PROPOSAL: "党支部会提议", StageCode.TWO_COMMITTEES: "“两委”会商议",
            StageCode.MEMBERS_ASSEMBLY: "党员大会审议", StageCode.RESIDENTS_RESOLUTION: "居民代表会议或居民会议决议"}


def _notice_body(matter, notice) -> str:
    plan = [(label, getattr(matter, k)) for k, label in (
        ("necessity", "必要性"), ("principles", "原则"), ("timing", "时间"), ("area", "面积/范围"), ("funds", "资金"),
        ("funds_source", "资金来源"), ("funds_allocation", "资金分配方式")) if getattr(matter, k)]
    parts = [notice.text, "", f"事项:{matter.title}(类别:{matter.category_label})"]
    parts += [f"{label}:{value}" for label, value in plan]
    parts += ["", "决策经过(“4+2”工作法):", *_stage_lines(matter), "",
              f"公示期:{notice.published_on:%Y年%m月%d日}至{notice.ends_on - dt.timedelta(days=1):%Y年%m月%d日}"
              f"(共{(notice.ends_on - notice.published_on).days}天)。公示期内对本决议有异议的,"
              "可通过社区意见箱、居民代表或本公开栏网页提出,社区将逐一答复。"]
    return "\n".join(parts)


def _result_body(matter, result) -> str:
    notice = _current_notice(matter)
    parts = [result.text, "", f"事项:{matter.title}(类别:{matter.category_label})"]
    if notice is not None:
        parts.append(f"决议公告:{notice.published_on:%Y年%m月%d日}起公示{(notice.ends_on - notice.published_on).days}天,"
                     f"收到异议{notice.objections.count()}件,均已答复。")
    if result.due_on:
        parts.append(f"应于{result.due_on:%Y年%m月%d日}前公开实施结果,实际公开日期:{result.published_on:%Y年%m月%d日}。")
    return "\n".join(parts)


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
    """The +1: the resolution goes on notice and, in the same step, on the community's public
    board (居委会起草了一份对该决议的公告,张贴于社区居民小区醒目位置,公示了七天, 002 L163)."""
    text = _text(data.get("text")) or _("Resolution: {title}").format(title=matter.title)
    notice = Notice(matter=matter, text=text, published_on=today, ends_on=today + dt.timedelta(days=notice_days(matter.territory_code)),
                    created_by=actor)
    notice.disclosure_item = _post(
        actor, matter, kind=Kind.RESOLUTION, timing=Timing.IMMEDIATE, published_on=today,
        # On the board every day of the notice: from published_on up to the day before ends_on.
        expires_on=notice.ends_on - dt.timedelta(days=1),
        title=f"决议公告:{matter.title}", body=_notice_body(matter, notice))
    notice.save()
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
    """The +2: the implementation result, posted on the board next to the resolution."""
    text = _text(data.get("text"))
    if not text:
        raise ValidationError({"text": [_("Describe the result of the implementation.")]})
    result = ImplementationResult(matter=matter, text=text, published_on=today, due_on=matter.result_due_on,
                                  created_by=actor)
    result.disclosure_item = _post(actor, matter, kind=Kind.RESULT, timing=Timing.PERIODIC, published_on=today,
                                   title=f"实施结果公开:{matter.title}", body=_result_body(matter, result))
    result.save()
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
    return _apply(actor, matter, action, data, today, expected_version)


def _apply(actor, matter, action, data, today, expected_version=None) -> DecisionMatter:
    """Lock the matter, check the version and the state, take the step, count the version, log it."""
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


def objection_file_public(*, matter: DecisionMatter, text: str, author_name: str = "") -> DecisionMatter:
    """A resident's objection sent from the public board while the resolution is on notice
    (广泛听取了群众意见, 002 L163). No sign-in (the view rate-limits by address); the objection must
    be answered by staff before implementation, like one they record for a resident."""
    if not _text(text):
        raise ValidationError({"text": [_("Write the objection.")]})
    return _apply(None, matter, DecisionAction.FILE_OBJECTION,
                  {"text": _text(text, 2000), "author_name": _text(author_name, 64)}, _today())


def available_actions(user, matter: DecisionMatter) -> list[str]:
    """The actions ``user`` may take on ``matter`` now (state and permission)."""
    if not may_write(user, matter.territory_code):
        return []
    today = _today()
    return [a for a in DecisionAction.values if _blocks(matter, a, today) is None]


# -- the resident autonomy charter and the covenant (002 L185) -----------------------------------

CHARTER_CATEGORY = "charter"
# A charter text is adopted once the residents resolved it and its notice ended unopposed or
# with every objection answered, i.e. when the matter may be (or is being) carried out.
CHARTER_ADOPTABLE = (DecisionStatus.IMPLEMENTING, DecisionStatus.RESULT_PUBLISHED, DecisionStatus.CLOSED)


def charter_adopt(*, actor, matter: DecisionMatter, kind: str, title: str, text: str, change_note: str = "",
                  on: dt.date | None = None) -> CharterVersion:
    """Adopt the next version of the community's autonomy charter (居民自治章程) or covenant (居民公约)
    from a 4+2 matter of category ``charter`` that the residents resolved (002 L185: the charter is
    what residents "共同约定", 002 L187). The version is posted as a standing item on the board
    (规章制度…上墙…长期公开, 002 L177), replacing the previous version's item, which stays in the
    history. A revision says what changed. Never edited afterwards."""
    require_write(actor, matter.territory_code)
    today = _today()
    on = on or today
    errors = FieldErrors()
    if kind not in CharterVersion.Kind.values:
        errors.add("kind", _("Choose the charter or the covenant."))
    title, text, change_note = _text(title, 200), _text(text), _text(change_note)
    if not title:
        errors.add("title", _("Give the charter a title."))
    if not text:
        errors.add("text", _("Paste the text the residents adopted."))
    if not isinstance(on, dt.date) or on > today:
        errors.add("on", _("A step is recorded today or for an earlier day."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        locked = DecisionMatter.objects.select_for_update(of=("self",)).select_related("place").get(pk=matter.pk)
        if locked.category != CHARTER_CATEGORY:
            raise DecisionConflict(_("Only a matter of the category “charter” adopts a charter."), code="not_charter",
                                   matter=locked)
        if locked.status not in CHARTER_ADOPTABLE:
            raise DecisionConflict(_("The charter is adopted after the residents' resolution and its notice."),
                                   code="illegal_transition", matter=locked)
        if CharterVersion.objects.filter(matter=locked).exists():
            raise DecisionConflict(_("This matter already adopted a charter version."), code="adopted", matter=locked)
        previous = (CharterVersion.objects.select_for_update().filter(place=locked.place, kind=kind)
                    .order_by("-version").first())
        if previous is not None and not change_note:
            raise ValidationError({"change_note": [_("Say what the new version changes.")]})
        version = CharterVersion(place=locked.place, kind=kind, version=(previous.version + 1) if previous else 1,
                                 title=title, text=text, change_note=change_note, matter=locked, adopted_on=on,
                                 created_by=actor)
        old_item = previous.disclosure_item if previous and previous.disclosure_item_id else None
        if old_item is not None and old_item.status != "published":
            old_item = None
        version.disclosure_item = board.item_publish_by_procedure(
            actor=actor, community=locked.place, section=Section.AFFAIRS, timing=Timing.STANDING, kind=Kind.CHARTER,
            title=f"{title}(第{version.version}版)", published_on=on, publisher=_publisher(locked),
            body=f"{text}\n\n本版经“4+2”工作法于{on:%Y年%m月%d日}通过(事项:{locked.title})。",
            supersedes=old_item, change_note=change_note)
        version.save()
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        _event(locked, DecisionEventKind.CHARTER_ADOPTED, actor, before=locked.status,
               note=f"{kind} v{version.version}")
    return version


__all__ = ["DecisionConflict", "PermissionDenied", "available_actions", "charter_adopt", "decision_transition",
           "matter_propose", "objection_file_public"]
