"""Every write to the community registers goes through here (one write path per change).

Each service is keyword-only and takes the acting user. It checks first that the actor may keep
this community's registers (:mod:`.permissions`: a community-level writer role), then validates
the whole row (``full_clean`` plus the rules that look at other rows) so that a refused call
writes nothing, and writes in one transaction. django-auditlog records every created or changed
row with the actor (``acting_as`` outside a request).

The fund ledger is append-only: there is no update or delete service for it, only
:func:`allocation_record` and :func:`allocation_reverse`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jiayuan.core.audit import acting_as
from jiayuan.core.errors import FieldErrors
from jiayuan.territory.models import Place

from .choices import SINGLE_HOLDER_POSTS, Post
from .models import FundAllocation, MemberResidentServiceCenter, TwoCommitteesSeat
from .permissions import require_write


def _text(value, limit: int | None = None) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    return value[:limit] if limit else value


def _validate(obj, errors: FieldErrors | None = None) -> None:
    errors = errors or FieldErrors()
    try:
        obj.full_clean()
    except ValidationError as exc:
        errors.merge(exc)
    errors.raise_if_any()


# -- member–resident service centre ------------------------------------------------------------

CENTER_FIELDS = ("name", "address", "area_m2", "opened_on", "rooms", "other_rooms")


def service_center_create(
    *, actor, community: Place, name: str, area_m2, address: str = "", opened_on: dt.date | None = None,
    rooms=(), other_rooms: str = "",
) -> MemberResidentServiceCenter:
    """Register the community's service centre (one per community)."""
    require_write(actor, community)
    centre = MemberResidentServiceCenter(
        community=community, name=_text(name, 100), address=_text(address, 200), area_m2=area_m2,
        opened_on=opened_on, rooms=list(rooms or []), other_rooms=_text(other_rooms), created_by=actor,
    )
    errors = FieldErrors()
    if MemberResidentServiceCenter.objects.filter(community=community).exists():
        errors.add("community", _("This community already has a service centre; change it instead."))
    _validate(centre, errors)
    with transaction.atomic(), acting_as(actor):
        centre.save()
    return centre


def service_center_update(*, actor, center: MemberResidentServiceCenter, **changes) -> MemberResidentServiceCenter:
    """Change the centre's name, address, area, opening date or rooms."""
    require_write(actor, center.community)
    errors = FieldErrors()
    for key in changes:
        if key not in CENTER_FIELDS:
            errors.add(key, _("This field cannot be changed here."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        center = MemberResidentServiceCenter.objects.select_for_update(of=("self",)).select_related("community").get(pk=center.pk)
        for key, value in changes.items():
            if key in ("name", "address", "other_rooms"):
                value = _text(value, {"name": 100, "address": 200}.get(key))
            elif key == "rooms":
                value = list(value or [])
            setattr(center, key, value)
        _validate(center)
        center.save()
    return center


# -- funds ---------------------------------------------------------------------------------------


def allocation_record(
    *, actor, community: Place, fund: str, year: int, amount, received_on: dt.date, source: str = "",
    document_no: str = "", note: str = "",
) -> FundAllocation:
    """Append one receipt of money to a fund of the community."""
    require_write(actor, community)
    row = FundAllocation(
        community=community, fund=fund, year=year, amount=amount, received_on=received_on,
        source=_text(source, 100), document_no=_text(document_no, 100), note=_text(note), created_by=actor,
    )
    _validate(row)
    with transaction.atomic(), acting_as(actor):
        row.save()
    return row


def allocation_reverse(*, actor, allocation: FundAllocation, reason: str) -> FundAllocation:
    """Correct a receipt by appending its reversal (the same fund, year and date, the negative
    amount and the reason). The original is locked so two reversals cannot race."""
    require_write(actor, allocation.community)
    reason = _text(reason, 200)
    errors = FieldErrors()
    if not reason:
        errors.add("reason", _("State why the row is reversed."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        original = FundAllocation.objects.select_for_update(of=("self",)).select_related("community").get(pk=allocation.pk)
        if original.is_reversal:
            errors.add("__all__", _("A reversal cannot itself be reversed."))
        elif FundAllocation.objects.filter(reverses=original).exists():
            errors.add("__all__", _("This row has already been reversed."))
        errors.raise_if_any()
        reversal = FundAllocation(
            community=original.community, fund=original.fund, year=original.year, amount=-original.amount,
            received_on=original.received_on, source=original.source, document_no=original.document_no,
            reverses=original, reason=reason, created_by=actor,
        )
        _validate(reversal)
        reversal.save()
    return reversal


# -- two committees ------------------------------------------------------------------------------

SEAT_FIELDS = (
    "committee", "post", "full_name", "birth_date", "education", "resident", "started_on", "ended_on", "note",
)


def _same_person(a: TwoCommitteesSeat, b: TwoCommitteesSeat) -> bool:
    if a.resident_id and b.resident_id:
        return a.resident_id == b.resident_id
    return (a.full_name, a.birth_date) == (b.full_name, b.birth_date)


def _check_overlaps(seat: TwoCommitteesSeat, errors: FieldErrors) -> None:
    """Rules across rows: a person holds one seat per committee at a time, and each committee has
    one secretary / director at a time. Periods that only touch (one ends the day the other
    starts) do not overlap, so a hand-over can be recorded as it happened."""
    if seat.started_on is None or seat.committee is None:
        return
    others = TwoCommitteesSeat.objects.filter(community_id=seat.community_id, committee=seat.committee).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=seat.started_on)
    )
    if seat.ended_on is not None:
        others = others.filter(started_on__lt=seat.ended_on)
    if seat.pk:
        others = others.exclude(pk=seat.pk)
    for other in others.order_by("started_on", "id"):
        if _same_person(seat, other):
            errors.add("full_name", _("{name} already holds a seat on this committee from {date}.").format(
                name=other.full_name, date=other.started_on.isoformat()))
        elif seat.post in SINGLE_HOLDER_POSTS and other.post == seat.post:
            errors.add("post", _("The committee already has a {post} in that time: {name}, from {date}.").format(
                post=Post(seat.post).label, name=other.full_name, date=other.started_on.isoformat()))


def _validate_seat(seat: TwoCommitteesSeat) -> None:
    seat.full_name = _text(seat.full_name, 64)
    seat.note = _text(seat.note)
    seat.fill_from_resident()
    errors = FieldErrors()
    try:
        seat.full_clean()
    except ValidationError as exc:
        errors.merge(exc)
    if not errors.errors:
        _check_overlaps(seat, errors)
    errors.raise_if_any()


def seat_create(
    *, actor, community: Place, committee: str, post: str, started_on: dt.date | None, full_name: str = "",
    birth_date: dt.date | None = None, education: str = "", resident=None, ended_on: dt.date | None = None,
    note: str = "",
) -> TwoCommitteesSeat:
    """Put a person on one of the two committees. With ``resident``, name, birth date and
    education default from the residents register."""
    require_write(actor, community)
    seat = TwoCommitteesSeat(
        community=community, committee=committee, post=post, started_on=started_on, full_name=full_name or "",
        birth_date=birth_date, education=education or "", resident=resident, ended_on=ended_on, note=note or "",
        created_by=actor,
    )
    _validate_seat(seat)
    with transaction.atomic(), acting_as(actor):
        seat.save()
    return seat


def seat_update(*, actor, seat: TwoCommitteesSeat, **changes) -> TwoCommitteesSeat:
    """Correct a seat (name, post, dates ...). The audit log keeps the previous values."""
    require_write(actor, seat.community)
    errors = FieldErrors()
    for key in changes:
        if key not in SEAT_FIELDS:
            errors.add(key, _("This field cannot be changed here."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        seat = TwoCommitteesSeat.objects.select_for_update(of=("self",)).select_related("community", "resident").get(pk=seat.pk)
        for key, value in changes.items():
            if key in ("full_name", "note", "education") and value is None:
                value = ""
            setattr(seat, key, value)
        _validate_seat(seat)
        seat.save()
    return seat


def seat_end(*, actor, seat: TwoCommitteesSeat, ended_on: dt.date | None, note: str | None = None) -> TwoCommitteesSeat:
    """Record that the person left the seat (the row stays in the roster, as history)."""
    require_write(actor, seat.community)
    errors = FieldErrors()
    if ended_on is None:
        errors.add("ended_on", _("Enter the date the person left office."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        seat = TwoCommitteesSeat.objects.select_for_update(of=("self",)).select_related("community", "resident").get(pk=seat.pk)
        if seat.ended_on is not None:
            errors.add("ended_on", _("This seat already ended on {date}.").format(date=seat.ended_on.isoformat()))
        errors.raise_if_any()
        seat.ended_on = ended_on
        if note:
            seat.note = (seat.note + "\n" + note.strip()).strip() if seat.note else note.strip()
        _validate_seat(seat)
        seat.save()
    return seat


# -- roster import -------------------------------------------------------------------------------


@dataclass
class RosterImportResult:
    created: int = 0
    ended: int = 0
    unchanged: int = 0


@dataclass
class RosterRejected(Exception):
    """Some rows are wrong: nothing was written. ``errors`` are ``(row number, message)``."""

    errors: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{n}: {m}" for n, m in self.errors[:5])


def roster_import(*, actor, community: Place, path: str | Path) -> RosterImportResult:
    """Add the seats of a roster file (.xlsx or .csv, headers 委员会, 姓名, 出生日期, 学历, 职务,
    任职日期, 离任日期[, 备注]). All rows or none: any wrong row refuses the whole file with every
    problem listed (:class:`RosterRejected`); a file that cannot be read raises
    :class:`jiayuan.ledgers.reader.FileRefused`. A row already in the roster (same committee,
    person, post and start) is left alone, or ended when the file gives its end; importing the
    same file twice changes nothing."""
    from . import importer

    require_write(actor, community)
    rows = importer.read_roster(path)
    residents = importer.resident_matches(actor=actor, community=community, rows=rows)
    result = RosterImportResult()
    errors: list[tuple[int, str]] = []
    with transaction.atomic(), acting_as(actor):
        for number, row in rows:
            parsed, problems = importer.parse_row(row)
            if problems:
                errors.extend((number, p) for p in problems)
                continue
            parsed["resident"] = residents.get((parsed["full_name"], parsed["birth_date"]))
            existing = importer.find_existing(community, parsed)
            try:
                with transaction.atomic():
                    if existing is not None:
                        if existing.ended_on == parsed["ended_on"]:
                            result.unchanged += 1
                        elif existing.ended_on is None:
                            seat_end(actor=actor, seat=existing, ended_on=parsed["ended_on"])
                            result.ended += 1
                        else:
                            errors.append((number, _(
                                "The roster has this seat ending on {date}; correct it on the page."
                            ).format(date=existing.ended_on.isoformat())))
                        continue
                    seat_create(actor=actor, community=community, **parsed)
                    result.created += 1
            except ValidationError as exc:
                errors.append((number, importer.describe(exc)))
        if errors:
            raise RosterRejected(errors)
    return result
