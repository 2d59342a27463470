"""Every write to the disclosure board goes through here (one write path per change).

Keyword-only, the acting user first. A service checks the actor's role over the item's
community (:mod:`.permissions`), validates the whole change with :class:`FieldErrors` so a
refused call writes nothing, then writes in one transaction under ``acting_as(actor)`` (the
audit log records who) with the row locked (``select_for_update(of=("self",))``).

The life of an item (002 L177, 003 L329): :func:`item_draft` (the maker) → :func:`item_update`
while a draft → :func:`item_approve` (the checker, never the maker) → :func:`item_publish` →
:func:`item_withdraw` (reason required, the item stays in the history). A published item is
never edited: :func:`item_correct` drafts a new version that supersedes it and says what
changed, and goes through approval and publication itself.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import acting_as
from jiayuan.core.errors import FieldErrors
from jiayuan.territory.choices import PlaceKind

from .choices import Kind, Section, Status, Timing
from .models import DisclosureItem
from .permissions import require_approve, require_write

EDITABLE = ("section", "timing", "kind", "title", "body", "publisher", "expires_on", "cadre_post", "audit_from",
            "audit_to")
AUDIT_FIELDS = ("cadre_post", "audit_from", "audit_to")


def _clean(data: dict, errors: FieldErrors, *, base: dict | None = None) -> dict:
    """The editable fields of ``data`` (over ``base``), with a message per bad field."""
    values = dict(base or {})
    values.update({k: data[k] for k in EDITABLE if k in data})
    for name in ("title", "body", "publisher"):
        values[name] = (values.get(name) or "").strip()
        if not values[name]:
            errors.add(name, _("This field is required."))
    if len(values["title"]) > 200:
        errors.add("title", _("At most 200 characters."))
    if len(values["publisher"]) > 120:
        errors.add("publisher", _("At most 120 characters."))
    for name, choices in (("section", Section), ("timing", Timing), ("kind", Kind)):
        if values.get(name) not in choices.values:
            if name == "kind" and not values.get(name):
                values[name] = Kind.OTHER
                continue
            errors.add(name, _("Choose one of the listed values."))
    expires = values.get("expires_on")
    if expires is not None and not isinstance(expires, dt.date):
        errors.add("expires_on", _("Enter a valid date."))
        values["expires_on"] = None
    _clean_audit(values, errors)
    return values


def _clean_audit(values: dict, errors: FieldErrors) -> None:
    """A departure audit (离任审计, 002 L179, W-43) says whose post was audited and over which
    period; no other kind carries these fields."""
    values["cadre_post"] = (values.get("cadre_post") or "").strip()
    for name in ("audit_from", "audit_to"):
        value = values.get(name) or None
        if value is not None and not isinstance(value, dt.date):
            errors.add(name, _("Enter a valid date."))
            value = None
        values[name] = value
    if values.get("kind") != Kind.DEPARTURE_AUDIT:
        for name in AUDIT_FIELDS:
            if values[name]:
                errors.add(name, _("Only a departure audit names the cadre's post and the audit period."))
        return
    if not values["cadre_post"]:
        errors.add("cadre_post", _("Name the post of the cadre audited."))
    elif len(values["cadre_post"]) > 100:
        errors.add("cadre_post", _("At most 100 characters."))
    for name in ("audit_from", "audit_to"):
        if values[name] is None and name not in errors.errors:
            errors.add(name, _("Give the audit period."))
    if values["audit_from"] and values["audit_to"] and values["audit_from"] > values["audit_to"]:
        errors.add("audit_to", _("The audit period ends before it starts."))


def _locked(item: DisclosureItem) -> DisclosureItem:
    return DisclosureItem.objects.select_for_update(of=("self",)).get(pk=item.pk)


def item_draft(*, actor, community, data: dict) -> DisclosureItem:
    """A new draft on ``community``'s board, made by ``actor`` (the maker)."""
    if community is None or community.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"community": [_("Choose a community.")]})
    require_write(actor, community.code)
    errors = FieldErrors()
    values = _clean(data, errors)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        item = DisclosureItem(community=community, territory_code=community.code, created_by=actor, **values)
        item.save()
    return item


def item_update(*, actor, item: DisclosureItem, data: dict) -> DisclosureItem:
    """Change a draft. Approved, published and withdrawn items are refused."""
    require_write(actor, item.territory_code)
    with transaction.atomic(), acting_as(actor):
        item = _locked(item)
        if item.status != Status.DRAFT:
            raise ValidationError({"__all__": [_("Only a draft can be edited.")]})
        errors = FieldErrors()
        values = _clean(data, errors, base={k: getattr(item, k) for k in EDITABLE})
        errors.raise_if_any()
        for key, value in values.items():
            setattr(item, key, value)
        item.save(update_fields=[*EDITABLE, "updated_at"])
    return item


def item_approve(*, actor, item: DisclosureItem) -> DisclosureItem:
    """The checker approves a draft; the maker cannot approve their own."""
    require_approve(actor, item.territory_code)
    with transaction.atomic(), acting_as(actor):
        item = _locked(item)
        if item.status != Status.DRAFT:
            raise ValidationError({"__all__": [_("Only a draft can be approved.")]})
        if item.created_by_id == actor.pk:
            raise ValidationError({"__all__": [_("The maker of a disclosure cannot approve it.")]})
        item.status = Status.APPROVED
        item.approved_by = actor
        item.approved_at = timezone.now()
        item.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return item


def item_publish(*, actor, item: DisclosureItem, published_on: dt.date | None = None) -> DisclosureItem:
    """Post an approved item from ``published_on`` (today by default, never in the future)."""
    require_write(actor, item.territory_code)
    today = timezone.localdate()
    published_on = published_on or today
    with transaction.atomic(), acting_as(actor):
        item = _locked(item)
        errors = FieldErrors()
        if item.status != Status.APPROVED:
            errors.add("__all__", _("Only an approved item can be published."))
        if published_on > today:
            errors.add("published_on", _("The publication date cannot be in the future."))
        if item.expires_on and item.expires_on < published_on:
            errors.add("expires_on", _("The expiry date is before the publication date."))
        errors.raise_if_any()
        item.status = Status.PUBLISHED
        item.published_on = published_on
        item.save(update_fields=["status", "published_on", "updated_at"])
    return item


def item_correct(*, actor, item: DisclosureItem, data: dict, change_note: str) -> DisclosureItem:
    """A draft of the next version of a published item, saying what changed. The published
    item is untouched; the board shows the new version once it is published."""
    require_write(actor, item.territory_code)
    with transaction.atomic(), acting_as(actor):
        item = _locked(item)
        errors = FieldErrors()
        if item.status != Status.PUBLISHED:
            errors.add("__all__", _("Only a published item can be corrected."))
        if item.corrections.exclude(status=Status.WITHDRAWN).exists():
            errors.add("__all__", _("This version already has a correction."))
        change_note = (change_note or "").strip()
        if not change_note:
            errors.add("change_note", _("Say what the correction changes."))
        values = _clean(data, errors, base={k: getattr(item, k) for k in EDITABLE})
        errors.raise_if_any()
        new = DisclosureItem(
            community_id=item.community_id, territory_code=item.territory_code, created_by=actor,
            version=item.version + 1, supersedes=item, change_note=change_note, **values,
        )
        new.save()
    return new


def item_withdraw(*, actor, item: DisclosureItem, reason: str) -> DisclosureItem:
    """Take a published item down. The reason is required and shown in the public history."""
    require_write(actor, item.territory_code)
    with transaction.atomic(), acting_as(actor):
        item = _locked(item)
        errors = FieldErrors()
        if item.status != Status.PUBLISHED:
            errors.add("__all__", _("Only a published item can be withdrawn."))
        reason = (reason or "").strip()
        if not reason:
            errors.add("reason", _("Give the reason for the withdrawal."))
        errors.raise_if_any()
        item.status = Status.WITHDRAWN
        item.withdrawn_reason = reason
        item.withdrawn_on = timezone.localdate()
        item.save(update_fields=["status", "withdrawn_reason", "withdrawn_on", "updated_at"])
    return item


# -- feedback on an item (意见箱, 002 L179) ---------------------------------------------------------
# Issue 7: a resident's question or objection about an item becomes a case of the closed loop
# through ``jiayuan.cases.services.case_report`` (the one way a case is taken in), linked to the
# item by a DisclosureFeedback row in the same transaction.

FEEDBACK_CATEGORY = "disclosure_feedback"  # jiayuan/cases/categories.toml, routed to the community
FEEDBACK_TEXT_MAX = 5000
FEEDBACK_NAME_MAX = 64
# case_report's field names → the feedback form's
_FEEDBACK_FIELDS = {"description": "text", "reporter_name": "name", "reporter_phone": "phone"}


def feedback_submit(*, actor, item: DisclosureItem, text: str, name: str = "", phone: str = "",
                    idempotency_key: str | None = None, client_key: str = ""):
    """A resident's feedback on a published ``item``: a case (kind ``suggestion``, category
    ``disclosure_feedback``, channel web, at the item's community) plus its link row, in one
    transaction — a refused submission writes neither. ``actor`` is the signed-in non-staff
    reporter or None (anonymous; the caller rate-limits). The name and phone are optional and are
    stored by the case as the cases app stores reporters (the phone encrypted, shown masked to
    staff only); the public board never shows either.

    Returns the :class:`DisclosureFeedback`; ``feedback.case.public_secret`` holds the follow-up
    secret once (the case's ``replayed`` is True for a repeated idempotency key, which returns
    the first submission and writes nothing)."""
    from jiayuan.cases import services as case_services
    from jiayuan.cases.choices import CaseChannel, CaseKind
    from jiayuan.core.phone import normalise_phone

    from .masking import mask_personal
    from .models import DisclosureFeedback

    errors = FieldErrors()
    text, name = (text or "").strip(), (name or "").strip()
    if item.status != Status.PUBLISHED:
        errors.add("__all__", _("Feedback can only be given on a published item."))
    if not text:
        errors.add("text", _("Write your question or opinion."))
    elif len(text) > FEEDBACK_TEXT_MAX:
        errors.add("text", _("At most {n} characters.").format(n=FEEDBACK_TEXT_MAX))
    if len(name) > FEEDBACK_NAME_MAX:
        errors.add("name", _("At most {n} characters.").format(n=FEEDBACK_NAME_MAX))
    try:
        normalise_phone(phone or "")
    except ValidationError as exc:
        errors.merge(exc, "phone")
    errors.raise_if_any()
    title = f"公开事项意见:{mask_personal(item.title)}"[:200]
    try:
        with transaction.atomic():
            case = case_services.case_report(
                actor=actor, kind=CaseKind.SUGGESTION, category=FEEDBACK_CATEGORY, title=title, description=text,
                place=item.community, channel=CaseChannel.WEB, reporter_name=name, reporter_phone=phone or "",
                idempotency_key=idempotency_key, client_key=client_key,
            )
            feedback, _created = DisclosureFeedback.objects.get_or_create(
                case=case, defaults={"item": item, "territory_code": item.territory_code})
    except ValidationError as exc:
        remapped = FieldErrors()
        for field, messages in (exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]):
            for m in messages:
                remapped.add(_FEEDBACK_FIELDS.get(field, "__all__"), m)
        remapped.raise_if_any()
        raise
    feedback.case = case  # keeps ``public_secret`` and ``replayed`` for the caller
    return feedback


# -- items the 4+2 method publishes itself --------------------------------------------------------

def item_publish_by_procedure(*, actor, community, section: str, timing: str, kind: str, title: str, body: str,
                              publisher: str, published_on: dt.date, expires_on: dt.date | None = None,
                              supersedes: DisclosureItem | None = None, change_note: str = "") -> DisclosureItem:
    """Post an item that a procedure publishes by itself: the 4+2 resolution notice and the
    implementation result (002 L161 "决议公开,实施结果公开"), an adopted charter version.

    There is no maker-checker here on purpose: what is posted was decided by a recorded vote
    (the residents' resolution is the approval), and the posting is part of the same step, in
    the caller's transaction. Only ``jiayuan.decisions.services`` calls this, after checking its
    own permission for the community; so this function checks the input, not the role. The item
    is published and immutable from the start, like any other published item; ``supersedes``
    makes it the next version of an earlier published item (a charter's new version), which then
    leaves the board and stays in the history."""
    errors = FieldErrors()
    values = _clean({"section": section, "timing": timing, "kind": kind, "title": title[:200], "body": body,
                     "publisher": publisher[:120], "expires_on": expires_on}, errors)
    if expires_on is not None and expires_on < published_on:
        errors.add("expires_on", _("The expiry date is before the publication date."))
    if supersedes is not None and (supersedes.status != Status.PUBLISHED or supersedes.territory_code != community.code):
        errors.add("__all__", _("Only a published item of the same community can be replaced."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        item = DisclosureItem(community=community, territory_code=community.code,
                              created_by=actor if getattr(actor, "pk", None) else None, status=Status.PUBLISHED,
                              published_on=published_on, approved_at=timezone.now(), supersedes=supersedes,
                              version=supersedes.version + 1 if supersedes else 1, change_note=change_note.strip(),
                              **values)
        item.save()
    return item
