"""Every write to the case tables goes through here (one write path per change, architecture.md §4).

- :func:`case_report` takes a case in — from staff pages (walk-in 来访, phone, opinion box 意见箱,
  batch entry after a 居民夜话 / 坝坝会), the API, and later the public page, the grid worker's phone
  page and Open311. It computes the first reply's deadline in China's working days (002 L69
  「时限不超过5个工作日」; a category's own value, else the rulebook's N-APPEAL-02 ``days`` for
  the place) and honours an idempotency key.
- :func:`case_transition` is the ONE entry point for every step of the loop. It locks the row
  (``select_for_update(of=("self",))``), checks the caller's ``expected_version`` and that the
  step is allowed from the current state (else :class:`CaseConflict`, HTTP 409), checks the
  actor may do it (else ``PermissionDenied``, 403), validates the input (else ``ValidationError``,
  400), then saves with ``update_fields``, bumps ``version`` and writes exactly one
  :class:`~.models.CaseEvent` in the same transaction. A refused call writes nothing.
- :func:`overdue_sweep` marks cases past their deadline, escalates them one level (community →
  street → district, 002 L135 「小事不出区、大事不出街、矛盾不上交」) and leaves reminders for the
  people responsible. Run by huey (``tasks.py``); idempotent.

Dates are stamped ``timezone.now()``; there is no back-dating argument (the demo back-dates its
history with ``QuerySet.update`` in ``demo.py`` only).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope
from jiayuan.core.audit import acting_as
from jiayuan.core.crypto import encrypt, mask_phone
from jiayuan.core.errors import FieldErrors
from jiayuan.core.phone import normalise_phone
from jiayuan.core.workdays import Deadline, add_workdays
from jiayuan.territory.choices import PlaceKind

from .categories import Category, category_get
from .choices import (
    ACTION_EVENT,
    EVENT_VISIBILITY,
    LEVEL_CODE_LENGTH,
    NEXT_LEVEL,
    OPEN_STATES,
    PUBLIC_CHANNELS,
    CaseAction,
    CaseChannel,
    CaseKind,
    CaseLevel,
    CaseStatus,
    EventKind,
    RoutingTarget,
    Visibility,
)
from .models import Case, CaseAttachment, CaseEvent, IdempotencyKey
from .permissions import LEVEL_ROLES, may_act, may_report

MAX_ATTACHMENTS = 6
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
SECRET_LENGTH = 6
REPLY_RULE = "N-APPEAL-02"
DEFAULT_REPLY_WORKDAYS = 5  # 002 L69, when the rulebook cannot be read


class CaseConflict(Exception):
    """The step cannot be taken now: somebody else acted on the case first (stale version), or
    the case's state does not allow it. The API answers 409 with ``message``."""

    def __init__(self, message: str, *, code: str = "conflict", case: Case | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.case = case


def _today() -> dt.date:
    return timezone.localdate()


def _text(value, limit: int | None = None) -> str:
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# -- deadlines ----------------------------------------------------------------------------------

# A memo the overdue sweep opens for its run: the same place, rule parameter and deadline are
# looked up once per run instead of once per case (100,000 open cases, bench/cases_bench.py).
_memo: ContextVar[dict | None] = ContextVar("cases_memo", default=None)


def _memoized(key: tuple, compute: Callable[[], Any]) -> Any:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def reply_workdays(category: Category | None, territory_code: str) -> int:
    """Working days for the first reply: the category's own value, else the rulebook's
    N-APPEAL-02 ``days`` for the place (its overrides, longest prefix wins), else 5 (002 L69)."""
    if category is not None and category.reply_workdays:
        return int(category.reply_workdays)
    from jiayuan.norms.evaluate import effective_params, overrides_for
    from jiayuan.norms.rulebook import rule_get

    rule = rule_get(REPLY_RULE)
    if rule is None or "days" not in rule.params:
        return DEFAULT_REPLY_WORKDAYS
    return _memoized(
        ("reply_days", territory_code),
        lambda: int(effective_params(rule, territory_code, overrides_for([territory_code]))["days"].value),
    )


def reply_deadline(category: Category | None, territory_code: str, received_on: dt.date) -> Deadline:
    """The first reply's deadline for a case received on ``received_on``: ``reply_workdays``
    China working days later (provisional when the calendar has no data for part of the way)."""
    return add_workdays(received_on, reply_workdays(category, territory_code))


def _resolve_days(case: Case) -> int:
    category = category_get(case.category)
    return category.resolve_workdays if category else 15


def _set_due(case: Case, deadline: Deadline | None, fields: list[str]) -> dict:
    """Set the current state's deadline; returns the change for the event's data."""
    old = case.due_on
    case.due_on = deadline.date if deadline else None
    if deadline is not None:
        case.deadline_provisional = deadline.provisional
    fields += ["due_on", "deadline_provisional"]
    if old == case.due_on:
        return {}
    return {"due_on": {"from": old.isoformat() if old else None, "to": case.due_on.isoformat() if case.due_on else None}}


# -- secrets and attachments ----------------------------------------------------------------------

def _secret_hash(secret: str) -> str:
    key = hmac.new(settings.JIAYUAN_FIELD_KEY.encode(), b"jiayuan-case-secret", hashlib.sha256).digest()
    return hmac.new(key, (secret or "").strip().upper().encode(), hashlib.sha256).hexdigest()


def case_check_secret(*, case: Case, secret: str) -> bool:
    """Whether ``secret`` is the case's follow-up secret (constant-time comparison), for the
    public follow-up page: tracking number plus secret, so strangers cannot read a case."""
    return bool(secret) and hmac.compare_digest(case.public_secret_hash, _secret_hash(secret))


JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"


def sniff_content_type(head: bytes) -> str:
    """The type by the file's first bytes (magic numbers), or "" when not an accepted type."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return ""


def check_attachment(file) -> str:
    """Validate one uploaded file by content: JPEG, PNG, WebP (Pillow must open it) or PDF, at
    most 10 MB. Returns its content type; raises ValidationError otherwise."""
    size = getattr(file, "size", None)
    if size is None:
        raise ValidationError(_("Choose a file."))
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("A file may be at most {mb} MB.").format(mb=MAX_ATTACHMENT_BYTES // (1024 * 1024)))
    if size == 0:
        raise ValidationError(_("The file is empty."))
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    content_type = sniff_content_type(head)
    if not content_type:
        raise ValidationError(_("Only photos (JPEG, PNG, WebP) and PDF files are accepted."))
    if content_type != PDF:
        try:
            from PIL import Image
        except ImportError:  # pragma: no cover - Pillow ships with reportlab
            return content_type
        try:
            with Image.open(file) as image:
                image.verify()
        except Exception:  # noqa: BLE001 - any decoder error means "not a real image"
            raise ValidationError(_("The photo cannot be read.")) from None
        finally:
            file.seek(0)
    return content_type


def _check_attachments(files: Iterable, existing: int, errors: FieldErrors) -> list[tuple[Any, str]]:
    files = [f for f in (files or ()) if f]
    if existing + len(files) > MAX_ATTACHMENTS:
        errors.add("attachments", _("A case may have at most {n} attachments.").format(n=MAX_ATTACHMENTS))
        return []
    checked = []
    for f in files:
        try:
            checked.append((f, check_attachment(f)))
        except ValidationError as exc:
            for m in exc.messages:
                errors.add("attachments", "{}: {}".format(getattr(f, "name", ""), m))
    return checked


def _save_attachments(case: Case, checked: list[tuple[Any, str]], actor) -> None:
    for f, content_type in checked:
        CaseAttachment.objects.create(case=case, file=f, content_type=content_type, size=f.size,
                                      uploaded_by=_user(actor))


# -- events -------------------------------------------------------------------------------------

def _event(case: Case, kind: str, actor, *, comment: str = "", from_status: str = "", to_status: str = "",
           data: dict | None = None, visibility: str | None = None) -> CaseEvent:
    event = CaseEvent(
        case=case, kind=kind, actor=_user(actor), comment=comment, visibility=visibility or EVENT_VISIBILITY[kind],
        from_status=from_status, to_status=to_status, data=data or {},
    )
    deferred = (_memo.get() or {}).get("defer")
    if deferred is not None:
        deferred["events"].append(event)
    else:
        event.save()
    return event


# -- intake -------------------------------------------------------------------------------------

def _level_of(place) -> str:
    if place.kind == PlaceKind.DISTRICT:
        return CaseLevel.DISTRICT
    if place.kind == PlaceKind.STREET:
        return CaseLevel.STREET
    return CaseLevel.COMMUNITY


def _fingerprint(**parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _replay(key: str, client: str, fingerprint: str) -> Case | None:
    row = IdempotencyKey.objects.filter(key=key, client=client).select_related("case").first()
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise CaseConflict(_("This idempotency key was already used for a different submission."), code="idempotency")
    row.case.replayed = True
    return row.case


def case_report(
    *, actor, kind: str, category: str, title: str, description: str, place, channel: str,
    reporter_name: str = "", reporter_phone: str = "", location: str = "", lat=None, lng=None,
    attachments=(), idempotency_key: str | None = None, client_key: str = "",
) -> Case:
    """Take a case in and write its ``reported`` event.

    Who: staff over the place (``permissions.may_report``: a grid worker inside their grid only).
    Anyone else — a signed-in resident or ``actor=None`` / anonymous (the public page, Open311) —
    only through a public channel (web, open311) and only at a community or grid; the caller
    rate-limits anonymous submissions. A signed-in non-staff reporter is linked as
    ``reporter_user`` (they then see their own cases).

    Idempotency: with ``idempotency_key``, the same key from the same client (the user, or
    ``client_key`` — e.g. the address — for an anonymous caller) returns the first case (its
    attribute ``replayed`` is True) and writes nothing; the same key with different content is a
    :class:`CaseConflict`.

    Returns the case; ``case.public_secret`` holds the plain follow-up secret, shown once to the
    reporter (only its hash is stored).
    """
    user = _user(actor)
    scope = get_scope(user) if user else None
    errors = FieldErrors()
    kind, channel = _text(kind), _text(channel)
    cat = category_get(_text(category))
    title, description = _text(title), _text(description)
    reporter_name, location = _text(reporter_name), _text(location)
    if place is None:
        errors.add("place", _("Choose the place."))
        errors.raise_if_any()
    staff = bool(user and may_report(user, place.code))
    if not staff:
        if scope is not None and scope.is_staff_role:
            raise PermissionDenied(_("You may not take in cases at this place."))
        if channel not in PUBLIC_CHANNELS:
            errors.add("channel", _("Only the web page and Open311 are open to residents."))
        if place.kind not in (PlaceKind.COMMUNITY, PlaceKind.GRID):
            errors.add("place", _("Choose a community or a grid."))
    if kind not in CaseKind.values:
        errors.add("kind", _("Choose the kind of case."))
    if cat is None:
        errors.add("category", _("Choose a category."))
    elif kind in CaseKind.values and kind not in cat.kinds:
        errors.add("category", _("This category is not for this kind of case."))
    if channel not in CaseChannel.values:
        errors.add("channel", _("Choose the channel."))
    if not title:
        errors.add("title", _("Give a short title."))
    elif len(title) > 200:
        errors.add("title", _("At most {n} characters.").format(n=200))
    if len(description) > 5000:
        errors.add("description", _("At most {n} characters.").format(n=5000))
    if len(reporter_name) > 64:
        errors.add("reporter_name", _("At most {n} characters.").format(n=64))
    if len(location) > 200:
        errors.add("location", _("At most {n} characters.").format(n=200))
    phone = ""
    try:
        phone = normalise_phone(reporter_phone or "")
    except ValidationError as exc:
        errors.merge(exc, "reporter_phone")
    coords = {}
    for name, value, bound in (("lat", lat, 90), ("lng", lng, 180)):
        if value in (None, ""):
            coords[name] = None
            continue
        try:
            number = round(float(value), 6)
        except (TypeError, ValueError):
            number = None
        if number is None or not -bound <= number <= bound:
            errors.add(name, _("Not a valid coordinate."))
        coords[name] = number
    checked = _check_attachments(attachments, 0, errors)
    key = _text(idempotency_key, 128)
    client = f"user:{user.pk}" if user else f"addr:{_text(client_key, 150)}"
    fingerprint = _fingerprint(kind=kind, category=category, title=title, description=description,
                               place=place.pk, channel=channel, reporter_name=reporter_name, phone=phone,
                               location=location, **coords)
    if key:
        replayed = _replay(key, client, fingerprint)
        if replayed is not None:
            return replayed
    errors.raise_if_any()

    now = timezone.now()
    days = reply_workdays(cat, place.code)
    deadline = reply_deadline(cat, place.code, timezone.localdate(now))
    secret = "".join(secrets.choice(SECRET_ALPHABET) for _i in range(SECRET_LENGTH))
    case = Case(
        kind=kind, category=cat.code, channel=channel, title=title, description=description, place=place,
        territory_code=place.code, location=location, lat=coords["lat"], lng=coords["lng"],
        reporter_name=reporter_name, reporter_phone_cipher=encrypt(phone), reporter_phone_masked=mask_phone(phone),
        reporter_user=None if staff else user, received_at=now, level=_level_of(place),
        reply_due_on=deadline.date, due_on=deadline.date, deadline_provisional=deadline.provisional,
        public_secret_hash=_secret_hash(secret), created_by=user,
    )
    try:
        with transaction.atomic(), acting_as(user):
            case.save()
            case.tracking_no = f"JY{timezone.localdate(now).year}-{case.pk:06d}"
            case.save(update_fields=["tracking_no"])
            _save_attachments(case, checked, user)
            _event(case, EventKind.REPORTED, user, to_status=CaseStatus.REPORTED, data={
                "channel": channel, "reply_workdays": days, "reply_due_on": deadline.date.isoformat(),
                "provisional": deadline.provisional, "attachments": len(checked),
            })
            if key:
                IdempotencyKey.objects.create(key=key, client=client, fingerprint=fingerprint, case=case)
    except IntegrityError:
        # Two submissions with one key raced: the loser returns the winner's case.
        replayed = _replay(key, client, fingerprint) if key else None
        if replayed is None:
            raise
        return replayed
    case.public_secret = secret
    case.replayed = False
    return case


def case_attach(*, actor, case: Case, files) -> list[CaseAttachment]:
    """Add photos or PDFs to a case (handlers, the assignee, staff over it). Writes a staff
    comment event naming the files; refuses wrong types, files over 10 MB and more than 6 in all."""
    if not may_act(actor, case, CaseAction.COMMENT):
        raise PermissionDenied(_("You may not act on this case."))
    errors = FieldErrors()
    checked = _check_attachments(files, case.attachments.count(), errors)
    if not checked and not errors.errors:
        errors.add("attachments", _("Choose a file."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        _save_attachments(case, checked, actor)
        _event(case, EventKind.COMMENTED, actor, comment=", ".join(f.name for f, _t in checked),
               data={"attachments": len(checked)})
    return list(case.attachments.all())


# -- the loop -----------------------------------------------------------------------------------

def _require_comment(comment: str, errors: FieldErrors, message) -> None:
    if not comment:
        errors.add("comment", message)


def _level_place(case: Case, level: str):
    from jiayuan.territory.models import Place

    code = case.territory_code[: LEVEL_CODE_LENGTH[level]]
    return _memoized(("place", code), lambda: Place.objects.filter(code=code).first())


def _do_accept(actor, case, comment, data, errors, fields, today):
    if case.owner_id is None and actor is not None:
        case.owner = actor
        fields.append("owner")
    return {}


def _do_reject(actor, case, comment, data, errors, fields, today):
    _require_comment(comment, errors, _("Give the reason: the reporter sees it."))
    errors.raise_if_any()
    if case.owner_id is None and actor is not None:
        case.owner = actor
        fields.append("owner")
    if case.replied_on is None:  # a reasoned refusal is the reply the reporter gets (002 L69)
        case.replied_on = today
        fields.append("replied_on")
    case.closed_on = None
    return _set_due(case, None, fields)


def _do_assign(actor, case, comment, data, errors, fields, today):
    from jiayuan.accounts.models import User
    from jiayuan.territory.models import Place

    category = category_get(case.category)
    target = _text(data.get("target")) or (category.routing if category else RoutingTarget.COMMUNITY)
    if target not in RoutingTarget.values:
        errors.add("target", _("Choose the unit to assign to."))
    place = data.get("place")
    if place is not None and not isinstance(place, Place):
        errors.add("place", _("Choose the place."))
        place = None
    if place is not None and not (case.territory_code.startswith(place.code) or place.code.startswith(
            case.territory_code[:LEVEL_CODE_LENGTH[CaseLevel.COMMUNITY]])):
        errors.add("place", _("The unit must be over the case's place or inside its community."))
    user = data.get("user")
    if user is not None and not isinstance(user, User):
        errors.add("user", _("No such user."))
        user = None
    if user is not None and not any(g.role != Role.RESIDENT and g.covers(case.territory_code)
                                    for g in get_scope(user).grants):
        errors.add("user", _("This person has no staff role over the case's place."))
    errors.raise_if_any()
    case.assignee_target, case.assignee_place, case.assignee_user, case.assigned_by = target, place, user, actor
    fields += ["assignee_target", "assignee_place", "assignee_user", "assigned_by"]
    if case.owner_id is None and actor is not None:
        case.owner = actor
        fields.append("owner")
    change = _set_due(case, add_workdays(today, _resolve_days(case)), fields)
    return {"target": target, "place": place.code if place else None, "user": user.username if user else None,
            **change}


def _do_start(actor, case, comment, data, errors, fields, today):
    return {}


def _do_reply(actor, case, comment, data, errors, fields, today):
    _require_comment(comment, errors, _("Write the reply the reporter gets."))
    errors.raise_if_any()
    first = case.replied_on is None
    change = {}
    if first:
        case.replied_on = today
        fields.append("replied_on")
        if case.status in (CaseStatus.ACCEPTED, CaseStatus.ESCALATED):
            # the reply clock (002 L69) is satisfied; what is left is handling the matter
            change = _set_due(case, add_workdays(today, _resolve_days(case)), fields)
    return {"first": first, **change}


def _do_home_visit(actor, case, comment, data, errors, fields, today):
    return {"on": today.isoformat()}


def _do_resolve(actor, case, comment, data, errors, fields, today):
    _require_comment(comment, errors, _("Say how the case was resolved."))
    errors.raise_if_any()
    case.resolved_on, case.overdue = today, False
    fields += ["resolved_on", "overdue"]
    if case.replied_on is None:  # the result is the reply when none was given before
        case.replied_on = today
        fields.append("replied_on")
    return _set_due(case, None, fields)


def _do_visit(actor, case, comment, data, errors, fields, today):
    rating, satisfied = data.get("rating"), data.get("satisfied")
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = None
    if rating is None or not 1 <= rating <= 5:
        errors.add("rating", _("Give a rating from 1 to 5."))
    if isinstance(satisfied, str):
        satisfied = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(satisfied.lower())
    if not isinstance(satisfied, bool):
        errors.add("satisfied", _("Say whether the reporter is satisfied."))
    errors.raise_if_any()
    case.rating, case.satisfied = rating, satisfied
    fields += ["rating", "satisfied"]
    return {"rating": rating, "satisfied": satisfied}


def _do_close(actor, case, comment, data, errors, fields, today):
    if case.status == CaseStatus.VISITED and case.satisfied is False:
        _require_comment(comment, errors, _("The reporter is not satisfied: reopen the case, or say why it is closed anyway."))
    errors.raise_if_any()
    case.closed_on = today
    fields.append("closed_on")
    return _set_due(case, None, fields)


def _do_reopen(actor, case, comment, data, errors, fields, today):
    _require_comment(comment, errors, _("Say why the case is reopened."))
    errors.raise_if_any()
    case.resolved_on, case.rating, case.satisfied = None, None, None
    fields += ["resolved_on", "rating", "satisfied"]
    return _set_due(case, add_workdays(today, _resolve_days(case)), fields)


def _do_escalate(actor, case, comment, data, errors, fields, today):
    new_level = NEXT_LEVEL.get(case.level)
    if new_level is None:
        raise CaseConflict(_("The case is already at the district: it cannot be escalated further."),
                           code="illegal_transition", case=case)
    if actor is not None:
        _require_comment(comment, errors, _("Say why the case goes to the level above."))
    errors.raise_if_any()
    old = case.level
    case.level = new_level
    case.assignee_target = new_level
    case.assignee_place = _level_place(case, new_level)
    case.assignee_user = None
    fields += ["level", "assignee_target", "assignee_place", "assignee_user"]
    if data.get("overdue"):
        case.overdue = True
        fields.append("overdue")
    days = reply_workdays(category_get(case.category), case.territory_code)
    change = _set_due(case, _memoized(("deadline", today, days), lambda: add_workdays(today, days)), fields)
    return {"from_level": old, "to_level": new_level, "overdue": bool(data.get("overdue")), **change}


def _do_merge(actor, case, comment, data, errors, fields, today):
    into = data.get("into")
    if not isinstance(into, Case):
        errors.add("into", _("Choose the case to merge into."))
    elif into.pk == case.pk:
        errors.add("into", _("A case cannot be merged into itself."))
    elif into.territory_code[:12] != case.territory_code[:12]:
        errors.add("into", _("Only cases of the same community can be merged."))
    elif into.status in (CaseStatus.MERGED, CaseStatus.CLOSED, CaseStatus.REJECTED):
        errors.add("into", _("That case is no longer open."))
    errors.raise_if_any()
    case.merged_into = into
    fields.append("merged_into")
    change = _set_due(case, None, fields)
    # Both histories stay: the kept case gets a note pointing back (no state change there).
    _event(into, EventKind.COMMENTED, actor, comment=_("Case {no} was merged into this one.").format(no=case.tracking_no),
           data={"merged": case.pk, "merged_tracking_no": case.tracking_no}, visibility=Visibility.STAFF)
    return {"into": into.pk, "into_tracking_no": into.tracking_no, **change}


def _do_comment(actor, case, comment, data, errors, fields, today):
    _require_comment(comment, errors, _("Write a comment."))
    visibility = _text(data.get("visibility")) or Visibility.STAFF
    if visibility not in Visibility.values:
        errors.add("visibility", _("Choose who may read it."))
    errors.raise_if_any()
    return {"visibility": visibility}


_HANDLERS = {
    CaseAction.ACCEPT: _do_accept, CaseAction.REJECT: _do_reject, CaseAction.ASSIGN: _do_assign,
    CaseAction.START: _do_start, CaseAction.REPLY: _do_reply, CaseAction.HOME_VISIT: _do_home_visit,
    CaseAction.RESOLVE: _do_resolve, CaseAction.VISIT: _do_visit, CaseAction.CLOSE: _do_close,
    CaseAction.REOPEN: _do_reopen, CaseAction.ESCALATE: _do_escalate, CaseAction.MERGE: _do_merge,
    CaseAction.COMMENT: _do_comment,
}


def _allowed_by_state(case: Case, action: str) -> bool:
    if not can_proceed(getattr(case, f"fsm_{action}")):
        return False
    if action == CaseAction.ESCALATE:
        return case.level in NEXT_LEVEL
    return True


def _apply(*, actor, case: Case, action: str, comment: str, data: dict, today: dt.date) -> Case:
    """Run one step on a locked case: state change, fields, version, one event."""
    if not _allowed_by_state(case, action):
        raise CaseConflict(
            _("“{action}” is not possible while the case is “{status}”.").format(
                action=CaseAction(action).label, status=case.get_status_display()),
            code="illegal_transition", case=case,
        )
    errors = FieldErrors()
    fields: list[str] = []
    before = case.status
    event_data = _HANDLERS[action](actor, case, comment, data, errors, fields, today)
    errors.raise_if_any()
    getattr(case, f"fsm_{action}")()
    case.version += 1
    deferred = (_memo.get() or {}).get("defer")
    if deferred is not None:  # the sweep writes its chunk's rows together (see overdue_sweep)
        case.updated_at = timezone.now()
        deferred["cases"][case.pk] = case
        deferred["fields"] |= {*fields, "status", "version", "updated_at"}
    else:
        case.save(update_fields=sorted({*fields, "status", "version", "updated_at"}))
    visibility = event_data.pop("visibility", None) if action == CaseAction.COMMENT else None
    _event(case, ACTION_EVENT[action], actor, comment=comment, from_status=before, to_status=case.status,
           data=event_data, visibility=visibility)
    return case


def case_transition(*, actor, case: Case, action: str, comment: str = "", expected_version: int | None = None,
                    **data) -> Case:
    """Take one step of the loop (see the module docstring for the order of the checks).

    Actions and their data: ``accept``; ``reject`` (comment = the reason, public); ``assign``
    (``target``: a RoutingTarget, default the category's routing; ``place``: a Place; ``user``: a
    User with a staff role over the case; sets ``assigned_by``); ``start``; ``reply`` (comment =
    the reply; the first sets ``replied_on`` and, on an accepted or escalated case, moves the
    deadline to the handling deadline); ``home_visit`` (调查走访); ``resolve`` (comment =
    the result); ``visit`` (``rating`` 1–5, ``satisfied``); ``close`` (not by the person who
    assigned it; only after the return visit, a rejection or a merge); ``reopen``; ``escalate``
    (one level up); ``merge`` (``into``: the Case kept); ``comment`` (``visibility``).

    Returns the updated case (a fresh instance; the caller's ``case`` is not changed).
    """
    action = _text(action)
    if action not in CaseAction.values:
        raise ValidationError({"action": [_("Unknown action.")]})
    comment = _text(comment, 4000)
    user = _user(actor)
    with transaction.atomic(), acting_as(user):
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if expected_version is not None and int(expected_version) != locked.version:
            raise CaseConflict(
                _("Somebody else changed this case in the meantime (now version {now}, you had {had}). "
                  "Reload it and try again.").format(now=locked.version, had=expected_version),
                code="stale_version", case=locked,
            )
        if not may_act(user, locked, action):
            raise PermissionDenied(_("You may not do this on this case."))
        return _apply(actor=user, case=locked, action=action, comment=comment, data=data, today=_today())


def available_actions(user, case: Case) -> list[str]:
    """The actions ``user`` may take on ``case`` now (state and permission), in loop order."""
    return [a for a in CaseAction.values if may_act(user, case, a) and _allowed_by_state(case, a)]


# -- the sweep ----------------------------------------------------------------------------------

def _responsible_users(case: Case) -> set[int]:
    from jiayuan.accounts.models import RoleAssignment

    code = case.territory_code[: LEVEL_CODE_LENGTH[case.level]]
    users = set(_memoized(("responsible", code, case.level), lambda: set(
        RoleAssignment.objects.filter(place__code=code, role__in=LEVEL_ROLES[case.level], user__is_active=True)
        .values_list("user_id", flat=True)
    )))
    users |= {u for u in (case.owner_id, case.assignee_user_id) if u}
    return users


SWEEP_CHUNK = 500


def _sweep_one(case: Case, today: dt.date) -> str | None:
    """One locked case of the sweep: escalated (with the overdue flag, in one save and one
    event), marked overdue at the district, or nothing. Returns what was done."""
    if case.status not in OPEN_STATES or case.due_on is None or case.due_on >= today:
        return None
    case.missed_on = case.due_on
    if case.level in NEXT_LEVEL:
        _apply(actor=None, case=case, action=CaseAction.ESCALATE,
               comment=_("Overdue since {date}: escalated automatically.").format(date=case.missed_on.isoformat()),
               data={"overdue": True}, today=today)
        return "escalated"
    if case.overdue:
        return None
    case.overdue = True
    case.version += 1
    case.updated_at = timezone.now()
    deferred = _memo.get()["defer"]
    deferred["cases"][case.pk] = case
    deferred["fields"] |= {"overdue", "version", "updated_at"}
    _event(case, EventKind.COMMENTED, None, comment=_("Overdue since {date}.").format(date=case.missed_on.isoformat()),
           data={"overdue": True, "due_on": case.missed_on.isoformat()}, visibility=Visibility.INTERNAL)
    return "overdue"


def _write_deferred(deferred: dict) -> None:
    """Write a sweep chunk's cases and events: the cases grouped by the values the step gave
    them (a chunk has a handful of distinct outcomes), one UPDATE per group with the version
    bumped in SQL — what each case's own save would have written — then one INSERT of events."""
    from collections import defaultdict

    from django.db.models import F

    fields = sorted(deferred["fields"] - {"version", "updated_at"})
    names = [Case._meta.get_field(f).attname for f in fields]
    groups: dict[tuple, list[int]] = defaultdict(list)
    for case in deferred["cases"].values():
        groups[tuple(getattr(case, n) for n in names)].append(case.pk)
    now = timezone.now()
    for values, pks in groups.items():
        Case.objects.filter(pk__in=pks).update(**dict(zip(names, values, strict=True)), version=F("version") + 1,
                                               updated_at=now)
    CaseEvent.objects.bulk_create(deferred["events"])


def overdue_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Mark open cases whose deadline has passed as overdue, escalate each one level (community →
    street → district, 002 L135) with an ``escalated`` event, and leave an overdue reminder
    (rule N-APPEAL-02, window = the tracking number) for the case's owner, its assignee and the
    staff of the level now responsible. A district case cannot go higher: it is marked once
    with an internal comment. Idempotent: an escalated case has a new deadline, a marked
    district case is not marked again, and a reminder is made once per person and case.
    """
    from jiayuan.norms.choices import ReminderKind
    from jiayuan.norms.models import Reminder

    today = today or _today()
    result = {"overdue": 0, "escalated": 0, "reminders": 0}
    due = list(Case.objects.filter(status__in=OPEN_STATES, due_on__lt=today).exclude(
        level=CaseLevel.DISTRICT, overdue=True).order_by("pk").values_list("pk", flat=True))
    reminders: list[Reminder] = []
    memo: dict = {}
    token = _memo.set(memo)
    try:
        for start in range(0, len(due), SWEEP_CHUNK):
            # One transaction per chunk: its rows are locked together (a case someone is acting on
            # right now is skipped and caught by the next run), each case's step runs through
            # _apply as always, and the chunk's updated rows and events are then written in two
            # statements. The events are the record of these automatic steps: bulk writes send no
            # signals, so django-auditlog adds no second copy of each (bench/cases_bench.py).
            memo["defer"] = deferred = {"cases": {}, "fields": set(), "events": []}
            with transaction.atomic():
                chunk = Case.objects.select_for_update(of=("self",), skip_locked=True).filter(
                    pk__in=due[start:start + SWEEP_CHUNK]).order_by("pk")
                for case in chunk:
                    made = _sweep_one(case, today)
                    if made is None:
                        continue
                    result[made] += 1
                    if made == "escalated":
                        result["overdue"] += 1
                    reminders += [
                        Reminder(user_id=u, kind=ReminderKind.OVERDUE, rule_id=REPLY_RULE,
                                 subject_code=case.territory_code, subject_name=case.title[:100],
                                 window_label=case.tracking_no or str(case.pk), due_on=case.missed_on)
                        for u in _responsible_users(case)
                    ]
                _write_deferred(deferred)
            memo.pop("defer", None)
    finally:
        _memo.reset(token)
    before = Reminder.objects.filter(rule_id=REPLY_RULE).count()
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    result["reminders"] = Reminder.objects.filter(rule_id=REPLY_RULE).count() - before
    return result


# -- provisional deadlines when holiday data arrives (issue 4: "recomputed when the data arrives") --

# The events that start a deadline, and which clock they start: the first-reply clock (002 L69)
# or the handling clock of the category.
REPLY_CLOCK_EVENTS = (EventKind.REPORTED, EventKind.ESCALATED)
HANDLING_CLOCK_EVENTS = (EventKind.ASSIGNED, EventKind.REOPENED, EventKind.REPLIED)


def recompute_provisional_deadlines(*, years=None) -> int:
    """Count again, with the calendar as it is now, the deadline of every open case whose
    deadline was provisional (it crossed days the calendar did not know yet). The clock starts on
    the day of the event that set the deadline; a changed deadline is saved with an internal
    ``deadline_changed`` event. Called when an administrator adds holiday data
    (``core.workdays.calendar_changed``); returns how many deadlines moved."""
    qs = Case.objects.filter(status__in=OPEN_STATES, deadline_provisional=True, due_on__isnull=False)
    if years:
        qs = qs.filter(due_on__year__gte=min(years))
    moved = 0
    for pk in list(qs.values_list("pk", flat=True)):
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).get(pk=pk)
            if not case.deadline_provisional or case.status not in OPEN_STATES or case.due_on is None:
                continue
            last = (CaseEvent.objects.filter(case=case, kind__in=(*REPLY_CLOCK_EVENTS, *HANDLING_CLOCK_EVENTS))
                    .order_by("-at", "-id").first())
            if last is None:
                continue
            start = timezone.localdate(last.at)
            days = (reply_workdays(category_get(case.category), case.territory_code)
                    if last.kind in REPLY_CLOCK_EVENTS else _resolve_days(case))
            deadline = add_workdays(start, days)
            if deadline.date == case.due_on and deadline.provisional == case.deadline_provisional:
                continue
            fields: list[str] = []
            change = _set_due(case, deadline, fields)
            case.version += 1
            case.save(update_fields=[*fields, "version", "updated_at"])
            _event(case, EventKind.DEADLINE_CHANGED, None, data={**change, "provisional": deadline.provisional},
                   comment=_("The holiday calendar changed: the deadline was counted again."))
            moved += 1
    return moved


def _on_calendar_changed(sender, years=None, **kwargs) -> None:
    transaction.on_commit(lambda: recompute_provisional_deadlines(years=years))


# -- the reporter's own rating (public follow-up page) ------------------------------------------

def public_rate(*, case: Case, rating, satisfied, comment: str = "", secret: str = "", user=None) -> Case:
    """The reporter rates a resolved case from the public follow-up page (回访评价 by the
    reporter themselves): ``rating`` 1–5, ``satisfied``, an optional comment (public).

    Who: whoever holds the case's follow-up ``secret`` (checked in constant time), or the signed-in
    ``user`` who reported it (``reporter_user``). Anyone else gets ``PermissionDenied`` — the
    page shows it as "not found", so the answer reveals nothing. Only a ``resolved`` case can be
    rated (else :class:`CaseConflict`); the step is the loop's ``visit`` (status → visited) with
    its one public event, under the row lock, actor the signed-in reporter or nobody. An
    unsatisfied rating is recorded as such: the handlers then reopen the case or close it with a
    reason (``_do_close``).
    """
    user = _user(user)
    with transaction.atomic(), acting_as(user):
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        own = bool(user and locked.reporter_user_id == user.pk)
        if not own and not case_check_secret(case=locked, secret=secret):
            raise PermissionDenied(_("No such case."))
        if locked.status != CaseStatus.RESOLVED:
            raise CaseConflict(_("Only a resolved case can be rated."), code="illegal_transition", case=locked)
        data = {"rating": rating, "satisfied": satisfied}
        result = _apply(actor=user, case=locked, action=CaseAction.VISIT, comment=_text(comment, 1000), data=data,
                        today=_today())
    return result
