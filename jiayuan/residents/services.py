"""Every write to people and households goes through here (one write path per change).

Services take the acting user, check the actor's scope (deny by default), validate everything
before writing (all errors at once, nothing half-written), run in one transaction and leave the
audit trail to django-auditlog (field changes) and :func:`jiayuan.core.audit.log_access`
(reveals).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.accounts.scope import get_scope
from jiayuan.core import crypto
from jiayuan.core.audit import acting_as, log_access
from jiayuan.core.errors import FieldErrors
from jiayuan.core.idnumber import parse_id_number
from jiayuan.core.phone import normalise_phone
from jiayuan.territory.choices import CODE_LENGTH, PlaceKind
from jiayuan.territory.models import Place

from .choices import RELATION_HEAD, HardshipStatus, MoveKind, ResidentStatus
from .models import Household, Resident, ResidentMove, ResidentTag, SpecialGroup

# Fields a caller may set directly with their stored codes.
PLAIN_FIELDS = (
    "name", "ethnicity", "political_status", "residence_type", "education", "employment_status",
    "relation_to_head", "status",
)
REVEALABLE = {"id_number": ("id_number_cipher", "id_number_masked"), "phone": ("phone_cipher", "phone_masked")}


def _require_write(actor, territory_code: str) -> None:
    if not get_scope(actor).can_write(territory_code):
        raise PermissionDenied(_("You may not change records in this area."))


# -- households ----------------------------------------------------------------------------------


def _room_code(unit: Place, room: str) -> str:
    digits = re.sub(r"\D", "", room)
    if digits and len(digits) <= 4:
        return unit.code + digits.zfill(4)
    taken = set(Household.objects.filter(unit=unit).values_list("territory_code", flat=True))
    for n in range(9000, 10000):
        code = unit.code + str(n)
        if code not in taken:
            return code
    raise ValidationError({"room": _("This unit has no free room codes left.")})


def household_create(
    *, actor, unit: Place, room: str, hardship_status: str = HardshipStatus.UNKNOWN, hardship_cause: str = ""
) -> Household:
    """Register a dwelling in a unit. The household code is the unit code plus the room."""
    errors = FieldErrors()
    room = (room or "").strip()
    if unit is None or unit.kind != PlaceKind.UNIT:
        errors.add("unit", _("Choose a unit (单元) for the household."))
    if not room:
        errors.add("room", _("Enter the room number."))
    elif len(room) > 16:
        errors.add("room", _("A room number has at most 16 characters."))
    if hardship_status not in HardshipStatus.values:
        errors.add("hardship_status", _("Unknown hardship status."))
    errors.raise_if_any()
    _require_write(actor, unit.code)
    if Household.objects.filter(unit=unit, room=room).exists():
        raise ValidationError({"room": _("This room is already registered in this unit.")})
    with transaction.atomic(), acting_as(actor):
        household = Household(
            unit=unit, room=room, hardship_status=hardship_status, hardship_cause=hardship_cause.strip()[:200],
            created_by=actor,
        )
        household.territory_code = _room_code(unit, room)
        household.save()
        household_refresh_completeness(household)
    return household


def household_update(*, actor, household: Household, **changes) -> Household:
    """Change hardship, cause or head. The head must live in the household."""
    _require_write(actor, household.territory_code)
    errors = FieldErrors()
    allowed = {"hardship_status", "hardship_cause", "head", "room"}
    for key in changes:
        if key not in allowed:
            errors.add(key, _("This field cannot be changed here."))
    if "hardship_status" in changes and changes["hardship_status"] not in HardshipStatus.values:
        errors.add("hardship_status", _("Unknown hardship status."))
    head = changes.get("head")
    if head is not None and head.household_id != household.pk:
        errors.add("head", _("The head of household must be a member of this household."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        household = Household.objects.select_for_update().get(pk=household.pk)
        for key, value in changes.items():
            setattr(household, key, value.strip()[:200] if isinstance(value, str) else value)
        household.save()
        if head is not None and head.relation_to_head != RELATION_HEAD:
            head.relation_to_head = RELATION_HEAD
            head.completeness = head.compute_completeness()
            head.save(update_fields=["relation_to_head", "completeness", "updated_at"])
        household_refresh_completeness(household)
    return household


def household_refresh_completeness(household: Household) -> int:
    """Half the score is the household's own facts (head, hardship asked, has members), half the
    average completeness of its living members."""
    agg = Resident.objects.filter(household=household, status=ResidentStatus.ACTIVE).aggregate(
        n=Count("id"), avg=Avg("completeness")
    )
    own = [household.head_id is not None, household.hardship_status != HardshipStatus.UNKNOWN, agg["n"] > 0]
    # half-up rounding, like the database's ROUND() in household_refresh_completeness_bulk
    score = int((100 * sum(own) / len(own) + float(agg["avg"] or 0)) / 2 + 0.5)
    if score != household.completeness:
        Household.objects.filter(pk=household.pk).update(completeness=score)
        household.completeness = score
    return score


def household_refresh_completeness_bulk(prefix: str = "", *, ids=None) -> int:
    """The same score as :func:`household_refresh_completeness` for every household under a
    territory code, in one UPDATE (imports and the nightly task touch thousands at a time)."""
    from django.db.models import Case, Exists, FloatField, IntegerField, OuterRef, Q, Subquery, Value, When
    from django.db.models.functions import Cast, Coalesce, Round

    living = Resident.objects.filter(household=OuterRef("pk"), status=ResidentStatus.ACTIVE)
    average = living.order_by().values("household").annotate(a=Avg("completeness")).values("a")
    one = Value(1)
    own = (
        Case(When(head__isnull=False, then=one), default=Value(0))
        + Case(When(~Q(hardship_status=HardshipStatus.UNKNOWN), then=one), default=Value(0))
        + Case(When(Exists(living), then=one), default=Value(0))
    )
    score = Round(
        (Cast(own, FloatField()) * Value(100.0) / Value(3.0) + Coalesce(Subquery(average, output_field=FloatField()), Value(0.0)))
        / Value(2.0)
    )
    households = Household.objects.filter(territory_code__startswith=prefix)
    if ids is not None:
        households = households.filter(pk__in=ids)
    return households.update(completeness=Cast(score, IntegerField()))


# -- residents -----------------------------------------------------------------------------------


def _validate_identity(errors: FieldErrors, data: dict, *, exclude_pk=None):
    """Check the identity number and that entered birth date / sex agree with it."""
    raw = data.get("id_number")
    info = None
    try:
        info = parse_id_number(raw or "")
    except ValidationError as exc:
        errors.add("id_number", exc.messages[0])
    if info:
        clash = Resident.objects.filter(id_number_index=crypto.blind_index(info.number))
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors.add("id_number", _("A resident with this identity number is already registered."))
        birth = data.get("birth_date")
        if birth:
            if isinstance(birth, str):
                try:
                    birth = dt.date.fromisoformat(birth)
                except ValueError:
                    errors.add("birth_date", _("Enter the date as YYYY-MM-DD."))
                    birth = None
            if birth and birth > timezone.localdate():
                errors.add("birth_date", _("The date of birth is in the future."))
            elif birth and birth != info.birth_date:
                errors.add("birth_date", _("The date of birth does not match the identity number ({date}).").format(
                    date=info.birth_date.isoformat()))
        sex = data.get("sex")
        if sex and sex != info.sex:
            errors.add("sex", _("The sex does not match the identity number."))
    return info


def _resolve_location(errors: FieldErrors, actor, data: dict):
    """Work out household and territory code from ``household`` or ``grid_code``."""
    household = data.get("household")
    grid_code = (data.get("grid_code") or "").strip()
    if household is not None:
        if grid_code and not household.territory_code.startswith(grid_code):
            errors.add("grid_code", _("The household is not in this grid."))
        return household, household.territory_code
    if grid_code:
        if len(grid_code) != CODE_LENGTH[PlaceKind.GRID] or not Place.objects.filter(
            code=grid_code, kind=PlaceKind.GRID
        ).exists():
            errors.add("grid_code", _("Unknown grid code {code}.").format(code=grid_code))
            return None, None
        return None, grid_code
    errors.add("household", _("Choose a household, or at least the grid the person lives in."))
    return None, None


def _apply_plain(errors: FieldErrors, resident: Resident, data: dict) -> None:
    for key in PLAIN_FIELDS:
        if key in data and data[key] is not None:
            value = data[key].strip() if isinstance(data[key], str) else data[key]
            setattr(resident, key, value)
    if "name" in data:
        name = (data.get("name") or "").strip()
        if not name:
            errors.add("name", _("Enter the name."))
        elif len(name) > 64:
            errors.add("name", _("A name has at most 64 characters."))
    if "phone" in data:
        try:
            phone = normalise_phone(data.get("phone") or "")
        except ValidationError as exc:
            errors.add("phone", exc.messages[0])
        else:
            resident.phone_cipher = crypto.encrypt(phone)
            resident.phone_index = crypto.blind_index(phone)
            resident.phone_masked = crypto.mask_phone(phone)
    try:
        resident.clean_fields(exclude=[f.name for f in Resident._meta.fields if f.name not in PLAIN_FIELDS])
    except ValidationError as exc:
        errors.merge(exc)


def _tag_groups(errors: FieldErrors, codes: Iterable[str] | None):
    if codes is None:
        return None
    codes = [c.strip() for c in codes if c and c.strip()]
    groups = {g.code: g for g in SpecialGroup.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in groups]
    if unknown:
        errors.add("tags", _("Unknown special-group code(s): {codes}.").format(codes=", ".join(unknown)))
    return list(groups.values())


def resident_create(*, actor, data: dict) -> Resident:
    """Register a person: validate everything, encrypt the numbers, place them in a household
    (or at least a grid), attach special-group tags and record the move in."""
    errors = FieldErrors()
    data = dict(data)
    data.setdefault("name", "")
    info = _validate_identity(errors, data)
    household, code = _resolve_location(errors, actor, data)
    resident = Resident(created_by=actor)
    _apply_plain(errors, resident, data)
    groups = _tag_groups(errors, data.get("tags"))
    scope = get_scope(actor)
    if not any(scope.can_write(g.code or "") or g.role == "admin" for g in scope.grants if g.role != "resident"):
        raise PermissionDenied(_("You may not register residents."))
    if code and not scope.can_write(code):
        errors.add("grid_code" if household is None else "household", _("This place is outside your area."))
    if groups and code:
        for g in groups:
            if not scope.sees_tag_level(code, g.sensitivity):
                errors.add("tags", _("You may not assign the tag {tag}.").format(tag=g.name_zh))
    errors.raise_if_any()

    with transaction.atomic(), acting_as(actor):
        resident.id_number_cipher = crypto.encrypt(info.number)
        resident.id_number_index = crypto.blind_index(info.number)
        resident.id_number_masked = crypto.mask_id_number(info.number)
        resident.birth_date, resident.sex = info.birth_date, info.sex
        resident.household = household
        resident.territory_code = code
        resident.completeness = resident.compute_completeness()
        resident.save()
        for g in groups or []:
            ResidentTag.objects.create(resident=resident, group=g, created_by=actor)
        ResidentMove.objects.create(
            resident=resident, kind=MoveKind.MOVE_IN, to_household=household, to_code=code,
            date=data.get("move_date") or timezone.localdate(), reason=data.get("move_reason", ""), actor=actor,
        )
        if household is not None:
            if resident.relation_to_head == RELATION_HEAD and household.head_id is None:
                household.head = resident
                household.save(update_fields=["head", "updated_at"])
            household_refresh_completeness(household)
    return resident


def resident_update(*, actor, resident: Resident, data: dict) -> Resident:
    """Change a person's record. Moving to another household goes through :func:`resident_move`
    so the history is kept; everything else is a field change the audit log records."""
    _require_write(actor, resident.territory_code)
    errors = FieldErrors()
    if "household" in data or "grid_code" in data:
        errors.add("household", _("Use “move” to change where a person lives, so the history is kept."))
    resident = Resident.objects.get(pk=resident.pk)
    info = None
    if data.get("id_number"):
        info = _validate_identity(errors, data, exclude_pk=resident.pk)
    elif data.get("birth_date") or data.get("sex"):
        errors.add("birth_date", _("Birth date and sex come from the identity number."))
    _apply_plain(errors, resident, data)
    groups = _tag_groups(errors, data.get("tags"))
    if data.get("relation_to_head") == RELATION_HEAD and resident.household_id:
        head_id = Household.objects.filter(pk=resident.household_id).values_list("head_id", flat=True).first()
        if head_id and head_id != resident.pk:
            errors.add("relation_to_head", _("This household already has a head; change the head first."))
    errors.raise_if_any()

    with transaction.atomic(), acting_as(actor):
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        _apply_plain(FieldErrors(), resident, data)
        if info:
            resident.id_number_cipher = crypto.encrypt(info.number)
            resident.id_number_index = crypto.blind_index(info.number)
            resident.id_number_masked = crypto.mask_id_number(info.number)
            resident.birth_date, resident.sex = info.birth_date, info.sex
        resident.completeness = resident.compute_completeness()
        resident.save()
        if groups is not None:
            _set_tags(actor, resident, groups)
        if resident.household_id:
            household_refresh_completeness(Household.objects.get(pk=resident.household_id))
    return resident


def _set_tags(actor, resident: Resident, groups: list[SpecialGroup]) -> None:
    """Replace the tags the actor can see; tags above the actor's level are left untouched."""
    scope = get_scope(actor)
    wanted = {g.pk for g in groups}
    for g in groups:
        if not scope.sees_tag_level(resident.territory_code, g.sensitivity):
            raise ValidationError({"tags": [_("You may not assign the tag {tag}.").format(tag=g.name_zh)]})
    current = {t.group_id: t for t in resident.tag_links.select_related("group")}
    for group_id, link in current.items():
        if group_id not in wanted and scope.sees_tag_level(resident.territory_code, link.group.sensitivity):
            link.delete()
    for g in groups:
        if g.pk not in current:
            ResidentTag.objects.create(resident=resident, group=g, created_by=actor)


def resident_move(
    *, actor, resident: Resident, kind: str, to_household: Household | None = None, date=None,
    reason: str = "", relation_to_head: str = "",
) -> Resident:
    """Move a person out, in or within the area; the move is appended to their history."""
    errors = FieldErrors()
    if kind not in MoveKind.values:
        errors.add("kind", _("Unknown kind of move."))
    if kind in (MoveKind.MOVE_IN, MoveKind.TRANSFER) and to_household is None:
        errors.add("to_household", _("Choose the household the person moves to."))
    if kind == MoveKind.TRANSFER and to_household is not None and to_household.pk == resident.household_id:
        errors.add("to_household", _("The person already lives in this household."))
    date = date or timezone.localdate()
    if date > timezone.localdate():
        errors.add("date", _("The date of a move cannot be in the future."))
    errors.raise_if_any()
    _require_write(actor, resident.territory_code)
    if to_household is not None:
        _require_write(actor, to_household.territory_code)

    with transaction.atomic(), acting_as(actor):
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        old_household = resident.household
        move = ResidentMove(
            resident=resident, kind=kind, from_household=old_household, from_code=resident.territory_code,
            date=date, reason=reason[:200], actor=actor,
        )
        if kind in (MoveKind.MOVE_OUT, MoveKind.DECEASED):
            resident.status = ResidentStatus.MOVED_OUT if kind == MoveKind.MOVE_OUT else ResidentStatus.DECEASED
        else:
            resident.status = ResidentStatus.ACTIVE
            resident.household = to_household
            resident.territory_code = to_household.territory_code
            resident.relation_to_head = relation_to_head or resident.relation_to_head
            move.to_household, move.to_code = to_household, to_household.territory_code
        resident.completeness = resident.compute_completeness()
        resident.save()
        move.save()
        if old_household is not None:
            if old_household.head_id == resident.pk and (kind != MoveKind.TRANSFER or to_household != old_household):
                old_household.head = None
                old_household.save(update_fields=["head", "updated_at"])
            household_refresh_completeness(old_household)
        if to_household is not None and to_household != old_household:
            household_refresh_completeness(to_household)
    return resident


def resident_reveal(*, actor, resident: Resident, field: str, purpose: str) -> str:
    """Return the full identity or phone number after logging who asked and why."""
    purpose = (purpose or "").strip()
    if field not in REVEALABLE:
        raise ValidationError({"field": [_("Only the identity number or the phone can be revealed.")]})
    if len(purpose) < 2:
        raise ValidationError({"purpose": [_("State why you need to see the full number.")]})
    if len(purpose) > 200:
        raise ValidationError({"purpose": [_("The purpose has at most 200 characters.")]})
    if not get_scope(actor).can_reveal(resident.territory_code):
        raise PermissionDenied(_("You may not see full numbers in this area."))
    cipher_field, _masked = REVEALABLE[field]
    value = crypto.decrypt(getattr(resident, cipher_field))
    log_access(actor=actor, instance=resident, kind="reveal", purpose=purpose, fields=[field])
    return value
