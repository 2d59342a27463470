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

EDITABLE = ("section", "timing", "kind", "title", "body", "publisher", "expires_on")


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
    return values


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
