"""Every write to the Party registers goes through here (one write path per change).

Each service is keyword-only and takes the acting user. It first checks that the actor may keep
the Party registers where the row lives (:mod:`.permissions`), then validates the whole change
(``full_clean`` plus the rules that look at other rows) so that a refused call writes nothing,
and writes in one transaction under ``acting_as(actor)`` so django-auditlog records who did it.

The invariant the seeds care about most — 「党员关系不漏」(001 L21) — is kept here: a member's
``organization`` changes only in :func:`transfer_receive`; a transfer is pending until the
receiving side confirms it; a member has at most one pending transfer. The dues ledger is
append-only (:func:`dues_record`, :func:`dues_reverse`). Recruitment steps and posts for members
without posts move forward one step at a time, in order, and a step taken before its rule
allows it is refused with the reason (``party_rules.toml``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import acting_as
from jiayuan.core.crypto import encrypt, mask_phone
from jiayuan.core.errors import FieldErrors
from jiayuan.core.phone import normalise_phone
from jiayuan.core.workdays import add_workdays
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .choices import (
    MEMBER_HOLDING_TYPES,
    POST_ORDER,
    RECRUITMENT_ORDER,
    LeftReason,
    MemberCategory,
    MemberStatus,
    OfficerPost,
    OrgType,
    PocketLeadStatus,
    PostAssessment,
    PostStage,
    RecruitmentStage,
    TransferKind,
    TransferStatus,
)
from .models import (
    Applicant,
    DuesPayment,
    Election,
    EnterpriseHandover,
    Member,
    MemberContact,
    MemberPost,
    MobileMemberRecord,
    Organization,
    OrganizationOfficer,
    PocketMemberFollowUp,
    PocketMemberLead,
    ReportIn,
    Transfer,
)
from .permissions import require_party_write

RULES_FILE = Path(__file__).with_name("party_rules.toml")
# Posts only one person holds at a time; appointing a new holder ends the old one's post.
SINGLE_HOLDER_POSTS = frozenset({OfficerPost.SECRETARY, OfficerPost.GROUP_LEADER})


@lru_cache(maxsize=1)
def party_rules() -> dict:
    """The dues rates and recruitment intervals (``party_rules.toml``), read once."""
    with RULES_FILE.open("rb") as fh:
        return tomllib.load(fh)


def _today() -> dt.date:
    return timezone.localdate()


def _text(value, limit: int | None = None) -> str:
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def _validate(obj, errors: FieldErrors | None = None, exclude=None) -> None:
    errors = errors or FieldErrors()
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors.merge(exc)
    errors.raise_if_any()


def _not_future(errors: FieldErrors, field: str, value: dt.date | None) -> None:
    if value is not None and value > _today():
        errors.add(field, _("This date is in the future."))


def _locked(model, pk):
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


# -- organizations ------------------------------------------------------------------------------

ORG_FIELDS = (
    "name", "host_kind", "host_name", "approved_by", "approval_ref", "founded_on", "term_years", "parent",
    "dual_supervisor",
)


def _next_org_code(place: Place) -> str:
    """"P" + the community's 12 digits (a street's or district's code padded with zeros, which no
    community uses) + a 2-digit sequence."""
    base = "P" + place.code[:12].ljust(12, "0")
    taken = set(Organization.objects.filter(code__startswith=base).values_list("code", flat=True))
    for seq in range(1, 100):
        code = f"{base}{seq:02d}"
        if code not in taken:
            return code
    raise ValidationError({"place": [_("This community already has 99 Party organizations.")]})


def _check_parent(errors: FieldErrors, org_type: str, parent: Organization | None, place: Place) -> None:
    if parent is None:
        if org_type == OrgType.PARTY_GROUP:
            errors.add("parent", _("A Party group belongs to a branch or general branch."))
        return
    if not parent.is_active:
        errors.add("parent", _("The parent organization has been dissolved."))
    if parent.org_type == OrgType.PARTY_GROUP:
        errors.add("parent", _("A Party group cannot have organizations under it."))
    if not place.code.startswith(parent.place.code[:12]):
        errors.add("place", _("The place served must lie in the parent organization's area."))


def organization_create(
    *, actor, name: str, org_type: str, place: Place, parent: Organization | None = None,
    host_kind: str = "community", host_name: str = "", approved_by: str = "", approval_ref: str = "",
    founded_on: dt.date | None = None, term_years: int | None = None, dual_supervisor: str = "",
) -> Organization:
    """Set up a Party organization (W-35; 002 L39: a community committee is approved by the street
    working committee, recorded in ``approved_by``). Its code is given here, never typed."""
    require_party_write(actor, place.code)
    if parent is not None:
        require_party_write(actor, parent.territory_code)
    org = Organization(
        name=_text(name, 100), org_type=org_type, place=place, parent=parent, host_kind=host_kind,
        host_name=_text(host_name, 100), approved_by=_text(approved_by, 100), approval_ref=_text(approval_ref, 100),
        founded_on=founded_on, term_years=term_years, dual_supervisor=_text(dual_supervisor, 100), created_by=actor,
    )
    errors = FieldErrors()
    if place.kind in (PlaceKind.DISTRICT, PlaceKind.STREET) and org_type == OrgType.PARTY_GROUP:
        errors.add("place", _("A Party group serves a community, a grid or a building."))
    _check_parent(errors, org_type, parent, place)
    _not_future(errors, "founded_on", founded_on)
    org.territory_code = place.code
    _validate(org, errors, exclude=["code"])
    with transaction.atomic(), acting_as(actor):
        org.code = _next_org_code(place)
        org.save()
    return org


def organization_update(*, actor, organization: Organization, **changes) -> Organization:
    """Change an organization's name, host, approval, founding date, term length or parent."""
    require_party_write(actor, organization.territory_code)
    errors = FieldErrors()
    for key in changes:
        if key not in ORG_FIELDS:
            errors.add(key, _("This field cannot be changed here."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        org = _locked(Organization, organization.pk)
        for key, value in changes.items():
            setattr(org, key, _text(value, 100) if isinstance(value, str) else value)
        if "parent" in changes:
            _check_parent(errors, org.org_type, org.parent, org.place)
            if org.parent_id == org.pk or (org.parent and org.parent.parent_id == org.pk):
                errors.add("parent", _("An organization cannot be placed under itself."))
        _not_future(errors, "founded_on", org.founded_on)
        _validate(org, errors)
        org.save(update_fields=[*changes, "territory_code", "updated_at"])
    return org


def organization_dissolve(*, actor, organization: Organization, on: dt.date, reason: str) -> Organization:
    """Dissolve an organization (撤销). Refused while it still holds members, has live
    organizations under it or a pending transfer in: nobody may be left without an organization."""
    require_party_write(actor, organization.territory_code)
    errors = FieldErrors()
    if not _text(reason):
        errors.add("reason", _("Give the reason."))
    _not_future(errors, "on", on)
    if Member.objects.filter(organization=organization, left_on__isnull=True).exists():
        errors.add("__all__", _("Transfer its members to another organization first."))
    if organization.children.filter(dissolved_on__isnull=True).exists():
        errors.add("__all__", _("Dissolve or move the organizations under it first."))
    if Transfer.objects.filter(to_org=organization, status=TransferStatus.PENDING).exists():
        errors.add("__all__", _("A transfer to this organization is still pending."))
    if organization.founded_on and on < organization.founded_on:
        errors.add("on", _("It cannot be dissolved before it was founded."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        org = _locked(Organization, organization.pk)
        org.dissolved_on = on
        org.save(update_fields=["dissolved_on", "updated_at"])
        Member.objects.filter(group=org).update(group=None)
    return org


def officer_appoint(
    *, actor, organization: Organization, member: Member, post: str, started_on: dt.date
) -> OrganizationOfficer:
    """Give a member a post in an organization. For a post only one person holds (secretary,
    group leader) the previous holder's post ends the day before."""
    require_party_write(actor, organization.territory_code)
    errors = FieldErrors()
    if not member.is_active:
        errors.add("member", _("This member has left."))
    elif member.organization_id != organization.pk and member.group_id != organization.pk and (
        member.organization.parent_id != organization.pk
    ):
        errors.add("member", _("The member does not belong to this organization."))
    if post == OfficerPost.GROUP_LEADER and organization.org_type != OrgType.PARTY_GROUP:
        errors.add("post", _("Only a Party group has a group leader."))
    _not_future(errors, "started_on", started_on)
    officer = OrganizationOfficer(
        organization=organization, member=member, post=post, started_on=started_on, created_by=actor,
        territory_code=organization.territory_code,
    )
    _validate(officer, errors)
    with transaction.atomic(), acting_as(actor):
        if post in SINGLE_HOLDER_POSTS:
            for old in OrganizationOfficer.objects.select_for_update().filter(
                organization=organization, post=post, ended_on__isnull=True
            ):
                old.ended_on = max(old.started_on, started_on - dt.timedelta(days=1))
                old.save(update_fields=["ended_on", "updated_at"])
        officer.save()
    return officer


def officer_end(*, actor, officer: OrganizationOfficer, on: dt.date) -> OrganizationOfficer:
    require_party_write(actor, officer.territory_code)
    errors = FieldErrors()
    if officer.ended_on is not None:
        errors.add("__all__", _("This post has already ended."))
    if on < officer.started_on:
        errors.add("on", _("A post cannot end before it started."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        officer = _locked(OrganizationOfficer, officer.pk)
        officer.ended_on = on
        officer.save(update_fields=["ended_on", "updated_at"])
    return officer


def term_years_for(organization: Organization) -> int:
    """The organization's own term or the rulebook's (N-ORG-03, 002 L113, with the overrides of
    its area): three years unless a district changed it."""
    if organization.term_years:
        return organization.term_years
    from jiayuan.norms.evaluate import effective_params, overrides_for
    from jiayuan.norms.rulebook import rule_get

    rule = rule_get("N-ORG-03")
    if rule is None:
        return 3
    params = effective_params(rule, organization.territory_code, overrides_for([organization.territory_code]))
    return int(params["years"].value)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def election_record(
    *, actor, organization: Organization, held_on: dt.date, eligible: int | None = None,
    votes_cast: int | None = None, note: str = "",
) -> Election:
    """Record a term election (换届选举, 003 L291). The term ends after the rulebook's term
    (002 L113). An election is valid only when more than four fifths of those entitled to vote
    took part (《中国共产党基层组织选举工作条例》第十六条); a count at or below that is refused."""
    require_party_write(actor, organization.territory_code)
    errors = FieldErrors()
    _not_future(errors, "held_on", held_on)
    if eligible is not None and votes_cast is not None:
        if votes_cast > eligible:
            errors.add("votes_cast", _("More votes than voters entitled to vote."))
        elif votes_cast * 5 <= eligible * 4:
            errors.add(
                "votes_cast",
                _("Only {cast} of {eligible} voted; an election needs more than four fifths.").format(
                    cast=votes_cast, eligible=eligible
                ),
            )
    years = term_years_for(organization)
    election = Election(
        organization=organization, held_on=held_on, term_start=held_on, term_end=_add_years(held_on, years),
        eligible=eligible, votes_cast=votes_cast, note=_text(note), created_by=actor,
        territory_code=organization.territory_code,
    )
    _validate(election, errors)
    with transaction.atomic(), acting_as(actor):
        election.save()
    return election


# -- members ------------------------------------------------------------------------------------

MEMBER_FIELDS = (
    "full_name", "resident", "birth_date", "sex", "group", "status", "joined_on", "full_on", "categories",
    "management_mode", "work_unit", "work_unit_party_org", "skills", "phone", "dues_base",
)


def _check_member(errors: FieldErrors, member: Member) -> None:
    org = member.organization
    if org.org_type not in MEMBER_HOLDING_TYPES:
        errors.add("organization", _("A member's relationship is held by a branch or committee, not by a Party group."))
    if not org.is_active:
        errors.add("organization", _("This organization has been dissolved."))
    if member.group_id is not None:
        group = member.group
        if group.org_type != OrgType.PARTY_GROUP or group.parent_id != org.pk:
            errors.add("group", _("Choose a Party group of the member's own organization."))
    unknown = [c for c in member.categories or [] if c not in MemberCategory.values]
    if unknown:
        errors.add("categories", _("Unknown category: {codes}.").format(codes=", ".join(map(str, unknown))))
    if member.joined_on and member.birth_date and _add_years(member.birth_date, 18) > member.joined_on:
        errors.add("joined_on", _("A member joins the Party at 18 or older."))
    if member.status == MemberStatus.FULL and member.joined_on and member.full_on and member.full_on < member.joined_on:
        errors.add("full_on", _("Full membership cannot start before joining."))
    for field in ("joined_on", "full_on", "birth_date"):
        _not_future(errors, field, getattr(member, field))
    if member.resident_id and member.resident.territory_code and not member.resident.territory_code.startswith(
        member.territory_code[:9]
    ):
        # A member may live elsewhere; a linked resident of another street is a typing mistake.
        errors.add("resident", _("This resident lives outside the organization's street."))


def dues_monthly_for(*, base: Decimal | None, categories) -> Decimal | None:
    """The monthly dues by the rule of ``party_rules.toml`` (the 2008 national rates)."""
    rules = party_rules()["dues"]
    categories = set(categories or [])
    if categories & set(rules["flat_categories"]):
        return Decimal(rules["flat_amount"])
    if base is None:
        return None
    table = rules["retired"] if MemberCategory.RETIRED in categories else rules["in_service"]
    for bracket in table:
        if "up_to" not in bracket or base <= Decimal(bracket["up_to"]):
            return (base * Decimal(bracket["rate"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return None


def _apply_phone(member: Member, phone, errors: FieldErrors) -> None:
    try:
        number = normalise_phone(phone or "")
    except ValidationError as exc:
        errors.merge(exc, "phone")
        return
    member.phone_cipher = encrypt(number)
    member.phone_masked = mask_phone(number)


def _decimal_or_none(value, errors: FieldErrors, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors.add(field, _("Enter a number."))
        return None
    if number < 0 or not number.is_finite():
        errors.add(field, _("Enter a number that is not negative."))
        return None
    return number


def member_create(*, actor, organization: Organization, full_name: str, **data) -> Member:
    """Register a member in an organization (for someone already a member when the platform
    starts, or received by transfer: :func:`transfer_in_record`)."""
    require_party_write(actor, organization.territory_code)
    errors = FieldErrors()
    unknown = set(data) - set(MEMBER_FIELDS)
    for key in unknown:
        errors.add(key, _("This field cannot be set here."))
    errors.raise_if_any()
    phone = data.pop("phone", "")
    base = _decimal_or_none(data.pop("dues_base", None), errors, "dues_base")
    member = Member(organization=organization, full_name=_text(full_name, 64), created_by=actor, **data)
    member.territory_code = organization.territory_code
    member.categories = list(dict.fromkeys(member.categories or []))
    member.dues_base = base
    member.dues_monthly = dues_monthly_for(base=base, categories=member.categories)
    _apply_phone(member, phone, errors)
    _check_member(errors, member)
    if member.resident_id and Member.objects.filter(resident_id=member.resident_id, left_on__isnull=True).exists():
        errors.add("resident", _("This resident is already registered as a member."))
    _validate(member, errors, exclude=["resident"] if "resident" in errors.errors else None)
    with transaction.atomic(), acting_as(actor):
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError:
            raise ValidationError({"resident": [_("This resident is already registered as a member.")]}) from None
    return member


def member_update(*, actor, member: Member, **changes) -> Member:
    """Change a member's record; the organization changes only by transfer."""
    require_party_write(actor, member.territory_code)
    errors = FieldErrors()
    for key in changes:
        if key not in MEMBER_FIELDS:
            errors.add(key, _("This field cannot be changed here."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        m = Member.objects.select_for_update(of=("self",)).select_related("organization").get(pk=member.pk)
        if not m.is_active:
            raise ValidationError({"__all__": [_("This member has left; the record is closed.")]})
        fields = set()
        if "phone" in changes:
            _apply_phone(m, changes.pop("phone"), errors)
            fields |= {"phone_cipher", "phone_masked"}
        if "dues_base" in changes:
            m.dues_base = _decimal_or_none(changes.pop("dues_base"), errors, "dues_base")
            fields.add("dues_base")
        for key, value in changes.items():
            setattr(m, key, _text(value) if isinstance(value, str) and key not in ("sex", "status") else value)
            fields.add(key)
        if "categories" in fields:
            m.categories = list(dict.fromkeys(m.categories or []))
        m.dues_monthly = dues_monthly_for(base=m.dues_base, categories=m.categories)
        _check_member(errors, m)
        _validate(m, errors)
        m.save(update_fields=[*fields, "dues_monthly", "territory_code", "updated_at"])
    return m


def member_leave(*, actor, member: Member, on: dt.date, reason: str) -> Member:
    """Close a member's record (died, expelled, withdrew). A member with a pending transfer
    leaves only through that transfer."""
    require_party_write(actor, member.territory_code)
    errors = FieldErrors()
    if reason not in LeftReason.values or reason == LeftReason.TRANSFERRED_OUT:
        errors.add("reason", _("Choose a reason; a transfer out is recorded as a transfer."))
    _not_future(errors, "on", on)
    if not member.is_active:
        errors.add("__all__", _("This member has already left."))
    if Transfer.objects.filter(member=member, status=TransferStatus.PENDING).exists():
        errors.add("__all__", _("A transfer of this member is pending."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        m = _locked(Member, member.pk)
        m.left_on, m.left_reason = on, reason
        m.save(update_fields=["left_on", "left_reason", "updated_at"])
        OrganizationOfficer.objects.filter(member=m, ended_on__isnull=True).update(ended_on=on)
    return m


# -- transfers (组织关系接转, W-32) --------------------------------------------------------------

def transfer_request(
    *, actor, member: Member, to_org: Organization | None = None, to_outside_name: str = "",
    requested_on: dt.date | None = None, note: str = "",
) -> Transfer:
    """Start moving a member's relationship: to another organization here (internal) or to one
    outside the platform (out). The member stays in their organization until the other side
    confirms (:func:`transfer_receive`); pending longer than the limit, it is flagged as lost."""
    require_party_write(actor, member.territory_code)
    requested_on = requested_on or _today()
    errors = FieldErrors()
    to_outside_name = _text(to_outside_name, 100)
    if not member.is_active:
        errors.add("member", _("This member has left."))
    if (to_org is None) == (not to_outside_name):
        errors.add("to_org", _("Choose the receiving organization here, or name the one outside."))
    if to_org is not None:
        if to_org.pk == member.organization_id:
            errors.add("to_org", _("The member is already in this organization."))
        elif not to_org.is_active or to_org.org_type not in MEMBER_HOLDING_TYPES:
            errors.add("to_org", _("Choose an active branch or committee."))
    _not_future(errors, "requested_on", requested_on)
    if Transfer.objects.filter(member=member, status=TransferStatus.PENDING).exists():
        errors.add("__all__", _("A transfer of this member is already pending."))
    transfer = Transfer(
        member=member, kind=TransferKind.INTERNAL if to_org else TransferKind.OUT, from_org=member.organization,
        to_org=to_org, to_outside_name=to_outside_name, requested_on=requested_on, note=_text(note),
        territory_code=member.territory_code, to_territory_code=to_org.territory_code if to_org else "",
        created_by=actor,
    )
    _validate(transfer, errors)
    with transaction.atomic(), acting_as(actor):
        try:
            with transaction.atomic():
                transfer.save()
        except IntegrityError:
            raise ValidationError({"__all__": [_("A transfer of this member is already pending.")]}) from None
    return transfer


def _transfer_for_update(transfer: Transfer) -> Transfer:
    t = Transfer.objects.select_for_update(of=("self",)).select_related("member", "to_org", "from_org").get(pk=transfer.pk)
    if t.status != TransferStatus.PENDING:
        raise ValidationError({"__all__": [_("This transfer is no longer pending.")]})
    return t


def transfer_receive(*, actor, transfer: Transfer, received_on: dt.date | None = None, receipt_no: str = "") -> Transfer:
    """The receiving side confirms (internal), or the receipt (回执) from outside comes back (out).
    Only now does the member's organization change — or, for a transfer out, the record close."""
    side = transfer.to_territory_code if transfer.kind == TransferKind.INTERNAL else transfer.territory_code
    require_party_write(actor, side)
    received_on = received_on or _today()
    errors = FieldErrors()
    _not_future(errors, "received_on", received_on)
    if received_on < transfer.requested_on:
        errors.add("received_on", _("A transfer cannot be received before it was requested."))
    if transfer.kind == TransferKind.OUT and not _text(receipt_no):
        errors.add("receipt_no", _("Enter the number of the receipt returned by the receiving organization."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        t = _transfer_for_update(transfer)
        member = _locked(Member, t.member_id)
        t.status, t.received_on, t.receipt_no = TransferStatus.RECEIVED, received_on, _text(receipt_no, 64)
        t.save(update_fields=["status", "received_on", "receipt_no", "updated_at"])
        OrganizationOfficer.objects.filter(member=member, ended_on__isnull=True).update(ended_on=received_on)
        if t.kind == TransferKind.INTERNAL:
            member.organization, member.group = t.to_org, None
            member.save(update_fields=["organization", "group", "updated_at"])
        else:
            member.left_on, member.left_reason = received_on, LeftReason.TRANSFERRED_OUT
            member.save(update_fields=["left_on", "left_reason", "updated_at"])
    return t


def transfer_reject(*, actor, transfer: Transfer, reason: str) -> Transfer:
    """The receiving side refuses (e.g. wrong organization); the member stays where they were."""
    require_party_write(actor, transfer.to_territory_code or transfer.territory_code)
    if not _text(reason):
        raise ValidationError({"reason": [_("Give the reason.")]})
    with transaction.atomic(), acting_as(actor):
        t = _transfer_for_update(transfer)
        t.status = TransferStatus.REJECTED
        t.note = (t.note + "\n" if t.note else "") + _text(reason)
        t.save(update_fields=["status", "note", "updated_at"])
    return t


def transfer_cancel(*, actor, transfer: Transfer, reason: str) -> Transfer:
    """The releasing side withdraws the transfer; the member stays where they were."""
    require_party_write(actor, transfer.territory_code)
    if not _text(reason):
        raise ValidationError({"reason": [_("Give the reason.")]})
    with transaction.atomic(), acting_as(actor):
        t = _transfer_for_update(transfer)
        t.status = TransferStatus.CANCELLED
        t.note = (t.note + "\n" if t.note else "") + _text(reason)
        t.save(update_fields=["status", "note", "updated_at"])
    return t


def transfer_in_record(
    *, actor, organization: Organization, full_name: str, from_outside_name: str, received_on: dt.date | None = None,
    receipt_no: str = "", handover: EnterpriseHandover | None = None, **member_data,
) -> Transfer:
    """A member's relationship arrives from outside the platform with its introduction letter:
    the member is registered in the receiving organization and the transfer is received at once
    (the receipt goes back to the sender)."""
    require_party_write(actor, organization.territory_code)
    received_on = received_on or _today()
    errors = FieldErrors()
    if not _text(from_outside_name):
        errors.add("from_outside_name", _("Name the organization the relationship comes from."))
    _not_future(errors, "received_on", received_on)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        member = member_create(actor=actor, organization=organization, full_name=full_name, **member_data)
        transfer = Transfer(
            member=member, kind=TransferKind.IN, from_outside_name=_text(from_outside_name, 100), to_org=organization,
            requested_on=received_on, received_on=received_on, status=TransferStatus.RECEIVED,
            receipt_no=_text(receipt_no, 64), handover=handover, territory_code=organization.territory_code,
            to_territory_code=organization.territory_code, created_by=actor,
        )
        _validate(transfer)
        transfer.save()
    return transfer


def handover_record(
    *, actor, organization: Organization, enterprise: str, handed_over_on: dt.date, members: list[dict],
    funds=0, premises: str = "", note: str = "",
) -> EnterpriseHandover:
    """Members of a restructured enterprise handed to the community (002 L25) with the funds and
    premises that follow them; each member is received by their own transfer in one transaction,
    so the batch lands whole or not at all."""
    require_party_write(actor, organization.territory_code)
    errors = FieldErrors()
    amount = _decimal_or_none(funds, errors, "funds") or Decimal("0")
    if not members:
        errors.add("members", _("List the members handed over."))
    handover = EnterpriseHandover(
        organization=organization, enterprise=_text(enterprise, 100), handed_over_on=handed_over_on, funds=amount,
        premises=_text(premises, 200), note=_text(note), created_by=actor, territory_code=organization.territory_code,
    )
    _not_future(errors, "handed_over_on", handed_over_on)
    _validate(handover, errors)
    with transaction.atomic(), acting_as(actor):
        handover.save()
        for i, data in enumerate(members, start=1):
            data = dict(data)
            try:
                transfer_in_record(
                    actor=actor, organization=organization, full_name=data.pop("full_name", ""),
                    from_outside_name=handover.enterprise, received_on=handed_over_on, handover=handover, **data,
                )
            except ValidationError as exc:
                raise ValidationError(
                    {"members": [_("Member {n}: {error}").format(n=i, error="; ".join(exc.messages))]}
                ) from None
    return handover


# -- mobile members (流动党员, W-31) --------------------------------------------------------------

def mobile_outflow_record(
    *, actor, member: Member, left_on: dt.date, destination: str, inflow_org: Organization | None = None,
    inflow_org_name: str = "",
) -> MobileMemberRecord:
    """A member goes to work or live elsewhere while the relationship stays here (002 L107)."""
    require_party_write(actor, member.territory_code)
    errors = FieldErrors()
    if not member.is_active:
        errors.add("member", _("This member has left."))
    if MobileMemberRecord.objects.filter(member=member, returned_on__isnull=True).exists():
        errors.add("member", _("This member is already registered as away."))
    _not_future(errors, "left_on", left_on)
    record = MobileMemberRecord(
        member=member, outflow_org=member.organization, inflow_org=inflow_org,
        inflow_org_name=_text(inflow_org_name, 100), left_on=left_on, destination=_text(destination, 100),
        created_by=actor, territory_code=member.territory_code,
    )
    _validate(record, errors)
    with transaction.atomic(), acting_as(actor):
        record.save()
        if MemberCategory.MOBILE not in member.categories:
            Member.objects.filter(pk=member.pk).update(categories=[*member.categories, MemberCategory.MOBILE])
    return record


def mobile_contact_add(
    *, actor, record: MobileMemberRecord, contacted_on: dt.date, channel: str, kind: str = "contact",
    note: str = "", by_name: str = "",
) -> MemberContact:
    """Log a contact, an activity reported by the host organization, or a review (002 L197);
    each refreshes the date the member was last verified."""
    require_party_write(actor, record.territory_code)
    errors = FieldErrors()
    _not_future(errors, "contacted_on", contacted_on)
    if contacted_on < record.left_on:
        errors.add("contacted_on", _("This is before the member left."))
    contact = MemberContact(
        record=record, contacted_on=contacted_on, channel=channel, kind=kind, note=_text(note),
        by_name=_text(by_name, 64) or getattr(actor, "full_name", "") or actor.get_username(), created_by=actor,
    )
    _validate(contact, errors)
    with transaction.atomic(), acting_as(actor):
        contact.save()
        rec = _locked(MobileMemberRecord, record.pk)
        if rec.last_verified_on is None or contacted_on > rec.last_verified_on:
            rec.last_verified_on = contacted_on
            rec.save(update_fields=["last_verified_on", "updated_at"])
    return contact


def mobile_return(*, actor, record: MobileMemberRecord, returned_on: dt.date) -> MobileMemberRecord:
    require_party_write(actor, record.territory_code)
    errors = FieldErrors()
    _not_future(errors, "returned_on", returned_on)
    if returned_on < record.left_on:
        errors.add("returned_on", _("This is before the member left."))
    if record.returned_on is not None:
        errors.add("__all__", _("The return is already recorded."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        rec = _locked(MobileMemberRecord, record.pk)
        rec.returned_on = returned_on
        rec.save(update_fields=["returned_on", "updated_at"])
        member = rec.member
        Member.objects.filter(pk=member.pk).update(categories=[c for c in member.categories if c != MemberCategory.MOBILE])
    return rec


# -- "pocket" members ('口袋'党员, 003 L435) -----------------------------------------------------

def pocket_lead_create(
    *, actor, place: Place, full_name: str, found_on: dt.date, relationship_at: str = "", note: str = "",
    resident=None,
) -> PocketMemberLead:
    """Register a person believed to be a member whose relationship was never handed in."""
    require_party_write(actor, place.code)
    errors = FieldErrors()
    if place.kind != PlaceKind.COMMUNITY:
        errors.add("place", _("Choose a community."))
    _not_future(errors, "found_on", found_on)
    lead = PocketMemberLead(
        place=place, full_name=_text(full_name, 64), found_on=found_on, relationship_at=_text(relationship_at, 100),
        note=_text(note), resident=resident, created_by=actor, territory_code=place.code,
    )
    _validate(lead, errors)
    with transaction.atomic(), acting_as(actor):
        lead.save()
    return lead


def pocket_follow_up_add(*, actor, lead: PocketMemberLead, on: dt.date, channel: str, note: str = "") -> PocketMemberFollowUp:
    """A visit or call (走访) on a lead; the first one moves it from found to contacted."""
    require_party_write(actor, lead.territory_code)
    errors = FieldErrors()
    _not_future(errors, "on", on)
    if lead.status in (PocketLeadStatus.RECEIVED, PocketLeadStatus.CLOSED):
        errors.add("__all__", _("This lead is closed."))
    follow = PocketMemberFollowUp(lead=lead, on=on, channel=channel, note=_text(note), created_by=actor)
    _validate(follow, errors)
    with transaction.atomic(), acting_as(actor):
        follow.save()
        if lead.status == PocketLeadStatus.FOUND:
            PocketMemberLead.objects.filter(pk=lead.pk).update(status=PocketLeadStatus.CONTACTED)
    return follow


def pocket_lead_receive(
    *, actor, lead: PocketMemberLead, organization: Organization, received_on: dt.date | None = None,
    receipt_no: str = "", **member_data,
) -> Transfer:
    """Intake: the relationship is handed in and the person becomes a member here."""
    require_party_write(actor, lead.territory_code)
    if lead.status in (PocketLeadStatus.RECEIVED, PocketLeadStatus.CLOSED):
        raise ValidationError({"__all__": [_("This lead is closed.")]})
    with transaction.atomic(), acting_as(actor):
        transfer = transfer_in_record(
            actor=actor, organization=organization, full_name=lead.full_name,
            from_outside_name=lead.relationship_at or _("relationship held elsewhere"), received_on=received_on,
            receipt_no=receipt_no, resident=lead.resident, **member_data,
        )
        l2 = _locked(PocketMemberLead, lead.pk)
        l2.status, l2.member = PocketLeadStatus.RECEIVED, transfer.member
        l2.save(update_fields=["status", "member", "updated_at"])
    return transfer


def pocket_lead_close(*, actor, lead: PocketMemberLead, reason: str) -> PocketMemberLead:
    require_party_write(actor, lead.territory_code)
    if not _text(reason):
        raise ValidationError({"reason": [_("Give the reason.")]})
    with transaction.atomic(), acting_as(actor):
        l2 = _locked(PocketMemberLead, lead.pk)
        if l2.status in (PocketLeadStatus.RECEIVED, PocketLeadStatus.CLOSED):
            raise ValidationError({"__all__": [_("This lead is closed.")]})
        l2.status = PocketLeadStatus.CLOSED
        l2.note = (l2.note + "\n" if l2.note else "") + _text(reason)
        l2.save(update_fields=["status", "note", "updated_at"])
    return l2


# -- dues (党费, 003 L311) -----------------------------------------------------------------------

def dues_record(
    *, actor, member: Member, month: dt.date, amount, paid_on: dt.date | None = None, receipt_no: str = "",
    note: str = "",
) -> DuesPayment:
    """A dues payment for one month (the first of the month is stored)."""
    require_party_write(actor, member.territory_code)
    paid_on = paid_on or _today()
    errors = FieldErrors()
    number = _decimal_or_none(amount, errors, "amount")
    if number is not None and number == 0:
        errors.add("amount", _("Enter an amount above zero."))
    month = month.replace(day=1) if month else month
    if month and month > _today().replace(day=1):
        errors.add("month", _("Dues cannot be paid for a month that has not begun."))
    if month and member.joined_on and month < member.joined_on.replace(day=1):
        errors.add("month", _("This month is before the member joined."))
    _not_future(errors, "paid_on", paid_on)
    payment = DuesPayment(
        member=member, month=month, amount=number, paid_on=paid_on, receipt_no=_text(receipt_no, 64),
        note=_text(note, 200), created_by=actor, territory_code=member.territory_code,
    )
    _validate(payment, errors)
    with transaction.atomic(), acting_as(actor):
        payment.save()
    return payment


def dues_reverse(*, actor, payment: DuesPayment, reason: str) -> DuesPayment:
    """Correct a wrong line with a new line of the opposite amount (never an edit)."""
    require_party_write(actor, payment.territory_code)
    errors = FieldErrors()
    if not _text(reason):
        errors.add("reason", _("Give the reason."))
    if payment.reverses_id is not None:
        errors.add("__all__", _("A reversal cannot itself be reversed; record the payment again."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        original = _locked(DuesPayment, payment.pk)
        if DuesPayment.objects.filter(reverses=original).exists():
            raise ValidationError({"__all__": [_("This line has already been reversed.")]})
        reversal = DuesPayment(
            member_id=original.member_id, month=original.month, amount=-original.amount, paid_on=_today(),
            reverses=original, note=_text(reason, 200), created_by=actor, territory_code=original.territory_code,
        )
        reversal.save()
    return reversal


# -- recruitment (发展党员, W-33) ----------------------------------------------------------------

RECRUITMENT_DATE_FIELD = {
    RecruitmentStage.ACTIVIST: "activist_on",
    RecruitmentStage.DEVELOPMENT_CANDIDATE: "candidate_on",
    RecruitmentStage.PROBATIONARY: "admitted_on",
    RecruitmentStage.FULL: "full_on",
}
RECRUITMENT_RECORD_FIELDS = ("talked_on", "training_days", "political_review_on", "notice_on")


def applicant_create(*, actor, organization: Organization, full_name: str, applied_on: dt.date, resident=None) -> Applicant:
    """Register an application to join the Party (入党申请)."""
    require_party_write(actor, organization.territory_code)
    errors = FieldErrors()
    if organization.org_type not in MEMBER_HOLDING_TYPES:
        errors.add("organization", _("Applications are made to a branch or committee."))
    _not_future(errors, "applied_on", applied_on)
    min_age = party_rules()["recruitment"]["min_age"]
    birth = getattr(resident, "birth_date", None)
    if birth and _add_years(birth, min_age) > applied_on:
        errors.add("applied_on", _("An applicant must be at least {age}.").format(age=min_age))
    applicant = Applicant(
        organization=organization, full_name=_text(full_name, 64), applied_on=applied_on, resident=resident,
        created_by=actor, territory_code=organization.territory_code,
    )
    _validate(applicant, errors)
    with transaction.atomic(), acting_as(actor):
        applicant.save()
    return applicant


def applicant_record(*, actor, applicant: Applicant, **changes) -> Applicant:
    """Record the talk, training days, political review or public notice a later step needs."""
    require_party_write(actor, applicant.territory_code)
    errors = FieldErrors()
    for key, value in changes.items():
        if key not in RECRUITMENT_RECORD_FIELDS:
            errors.add(key, _("This field cannot be changed here."))
        elif isinstance(value, dt.date):
            _not_future(errors, key, value)
            if value < applicant.applied_on:
                errors.add(key, _("This is before the application."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        a = _locked(Applicant, applicant.pk)
        for key, value in changes.items():
            setattr(a, key, value)
        _validate(a, errors)
        a.save(update_fields=[*changes, "updated_at"])
    return a


def recruitment_next_stage(applicant: Applicant) -> str | None:
    i = RECRUITMENT_ORDER.index(applicant.stage)
    return RECRUITMENT_ORDER[i + 1] if i + 1 < len(RECRUITMENT_ORDER) else None


def recruitment_refusals(applicant: Applicant, stage: str, on: dt.date) -> list[str]:
    """Why ``applicant`` may not enter ``stage`` on ``on`` (empty: the step is allowed). Pure."""
    reasons: list[str] = []
    expected = recruitment_next_stage(applicant)
    if stage != expected:
        if expected is None:
            return [_("This person is already a full member.")]
        return [_("Steps are taken in order; the next step is {stage}.").format(stage=RecruitmentStage(expected).label)]
    rule = party_rules()["recruitment"][stage]
    since = getattr(applicant, rule["after"])
    if since and on < since:
        reasons.append(_("This date is before the previous step ({date}).").format(date=since.isoformat()))
    elif since and (on - since).days < rule["min_days"]:
        earliest = since + dt.timedelta(days=rule["min_days"])
        reasons.append(
            _("At least {days} days must pass after {since}; the earliest date is {earliest}.").format(
                days=rule["min_days"], since=since.isoformat(), earliest=earliest.isoformat()
            )
        )
    labels = {
        "talked_on": _("the talk with the organization"),
        "political_review_on": _("the political review"),
        "notice_on": _("the public notice"),
    }
    for need in rule["needs"]:
        if getattr(applicant, need) is None:
            reasons.append(_("Record {what} first.").format(what=labels[need]))
    if "min_training_days" in rule and applicant.training_days < rule["min_training_days"]:
        reasons.append(
            _("Concentrated training must last at least {days} days; {done} recorded.").format(
                days=rule["min_training_days"], done=applicant.training_days
            )
        )
    if "notice_workdays" in rule and applicant.notice_on is not None:
        ends = add_workdays(applicant.notice_on, rule["notice_workdays"]).date
        if on < ends:
            reasons.append(
                _("The public notice runs {n} working days, until {date}.").format(
                    n=rule["notice_workdays"], date=ends.isoformat()
                )
            )
    if on > _today():
        reasons.append(_("This date is in the future."))
    return reasons


def recruitment_advance(*, actor, applicant: Applicant, stage: str, on: dt.date) -> Applicant:
    """Move an applicant to the next stage. Admission as probationary member registers the
    member in the organization; the full-member step makes that member full."""
    require_party_write(actor, applicant.territory_code)
    reasons = recruitment_refusals(applicant, stage, on)
    if reasons:
        raise ValidationError({"stage": reasons})
    with transaction.atomic(), acting_as(actor):
        a = Applicant.objects.select_for_update(of=("self",)).select_related("organization", "resident").get(pk=applicant.pk)
        if a.stage != applicant.stage:
            raise ValidationError({"stage": [_("Someone else has just moved this applicant; reload the page.")]})
        a.stage = stage
        setattr(a, RECRUITMENT_DATE_FIELD[stage], on)
        fields = ["stage", RECRUITMENT_DATE_FIELD[stage], "updated_at"]
        if stage == RecruitmentStage.PROBATIONARY:
            resident = a.resident
            member = member_create(
                actor=actor, organization=a.organization, full_name=a.full_name, resident=resident,
                status=MemberStatus.PROBATIONARY, joined_on=on,
                birth_date=getattr(resident, "birth_date", None), sex=getattr(resident, "sex", "") or "",
            )
            a.member = member
            fields.append("member")
        elif stage == RecruitmentStage.FULL and a.member_id:
            m = _locked(Member, a.member_id)
            m.status, m.full_on = MemberStatus.FULL, on
            m.save(update_fields=["status", "full_on", "updated_at"])
        a.save(update_fields=fields)
    return a


# -- posts for members without posts (设岗定责, 002 L97) ----------------------------------------

POST_DATE_FIELD = {
    PostStage.CLAIMED: "claimed_on",
    PostStage.CONFIRMED: "confirmed_on",
    PostStage.ANNOUNCED: "announced_on",
    PostStage.ASSESSED: "assessed_on",
}


def post_design(*, actor, organization: Organization, title: str, duties: str = "", on: dt.date | None = None) -> MemberPost:
    """科学设岗: the organization designs a post members without posts can claim."""
    require_party_write(actor, organization.territory_code)
    post = MemberPost(
        organization=organization, title=_text(title, 100), duties=_text(duties), designed_on=on or _today(),
        created_by=actor, territory_code=organization.territory_code,
    )
    errors = FieldErrors()
    _not_future(errors, "designed_on", post.designed_on)
    _validate(post, errors)
    with transaction.atomic(), acting_as(actor):
        post.save()
    return post


def post_advance(
    *, actor, post: MemberPost, stage: str, on: dt.date, member: Member | None = None, assessment: str = ""
) -> MemberPost:
    """One step of 设岗定责: claimed (by a member without post), confirmed, announced, assessed."""
    require_party_write(actor, post.territory_code)
    errors = FieldErrors()
    i = POST_ORDER.index(post.stage)
    if post.ended_on is not None:
        errors.add("__all__", _("This post has ended."))
    elif i + 1 >= len(POST_ORDER) or POST_ORDER[i + 1] != stage:
        errors.add("stage", _("Steps are taken in order."))
    previous = post.claimed_on or post.designed_on
    for field in ("announced_on", "confirmed_on", "claimed_on"):
        if getattr(post, field):
            previous = getattr(post, field)
            break
    if on < previous:
        errors.add("on", _("This date is before the previous step ({date}).").format(date=previous.isoformat()))
    _not_future(errors, "on", on)
    if stage == PostStage.CLAIMED:
        if member is None:
            errors.add("member", _("Choose the member who claims the post."))
        elif not member.is_active or not member.territory_code.startswith(post.territory_code[:12]):
            errors.add("member", _("Choose a member of this community."))
        elif MemberPost.objects.filter(member=member, ended_on__isnull=True).exists():
            errors.add("member", _("This member already holds a post."))
    if stage == PostStage.ASSESSED and assessment not in PostAssessment.values:
        errors.add("assessment", _("Choose the assessment."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        p = _locked(MemberPost, post.pk)
        p.stage = stage
        setattr(p, POST_DATE_FIELD[stage], on)
        fields = ["stage", POST_DATE_FIELD[stage], "updated_at"]
        if member is not None and stage == PostStage.CLAIMED:
            p.member = member
            fields.append("member")
        if stage == PostStage.ASSESSED:
            p.assessment = assessment
            fields.append("assessment")
        p.save(update_fields=fields)
    return p


def post_end(*, actor, post: MemberPost, on: dt.date) -> MemberPost:
    require_party_write(actor, post.territory_code)
    if post.ended_on is not None:
        raise ValidationError({"__all__": [_("This post has ended.")]})
    with transaction.atomic(), acting_as(actor):
        p = _locked(MemberPost, post.pk)
        p.ended_on = on
        p.save(update_fields=["ended_on", "updated_at"])
    return p


# -- report-in of in-service members (双报到, 003 L303) -------------------------------------------

def report_in_record(*, actor, member: Member, community: Place, reported_on: dt.date, pledge: str = "") -> ReportIn:
    """An in-service member reports to the community where they live. Recorded by that community
    (the member's own organization may be anywhere)."""
    require_party_write(actor, community.code)
    errors = FieldErrors()
    if community.kind != PlaceKind.COMMUNITY:
        errors.add("community", _("Choose a community."))
    if not member.is_active:
        errors.add("member", _("This member has left."))
    _not_future(errors, "reported_on", reported_on)
    report = ReportIn(member=member, community=community, reported_on=reported_on, pledge=_text(pledge),
                      created_by=actor, territory_code=community.code)
    if ReportIn.objects.filter(member=member, community=community, ended_on__isnull=True).exists():
        errors.add("member", _("This member has already reported to this community."))
        errors.raise_if_any()
    _validate(report, errors)
    with transaction.atomic(), acting_as(actor):
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise ValidationError({"member": [_("This member has already reported to this community.")]}) from None
    return report


def report_in_feedback(*, actor, report: ReportIn, feedback: str, on: dt.date) -> ReportIn:
    """Send the community's feedback on the member's service to their work unit's organization."""
    require_party_write(actor, report.territory_code)
    errors = FieldErrors()
    if not _text(feedback):
        errors.add("feedback", _("Write the feedback."))
    _not_future(errors, "on", on)
    if on < report.reported_on:
        errors.add("on", _("This is before the member reported in."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        r = _locked(ReportIn, report.pk)
        r.feedback, r.feedback_sent_on = _text(feedback), on
        r.save(update_fields=["feedback", "feedback_sent_on", "updated_at"])
    return r



# -- reminders (W-38 term expiry) ------------------------------------------------

TERM_REMIND_DAYS = 90  # a term election takes about three months to prepare (W-38)


def term_reminders_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Daily: remind the community secretary that an organization's term ends within
    ``TERM_REMIND_DAYS``, and the secretary and the street above once it has run out (002 L113
    「三年一换届」, 003 L291). Each reminder is made once per person, organization and term:
    running the sweep again repeats nothing. (Transfers pending too long are listed as lost on
    the Party pages and in the API, ``?lost=true``.)"""
    from jiayuan.accounts.choices import Role
    from jiayuan.accounts.models import RoleAssignment
    from jiayuan.norms.choices import ReminderKind
    from jiayuan.norms.models import Reminder

    today = today or _today()
    rows: list[Reminder] = []

    def users(code: str, roles) -> list[int]:
        return list(
            RoleAssignment.objects.filter(place__code=code, role__in=roles, user__is_active=True)
            .values_list("user_id", flat=True).distinct()
        )

    latest: dict[int, Election] = {}
    for e in Election.objects.filter(organization__dissolved_on__isnull=True).select_related("organization").order_by("held_on"):
        latest[e.organization_id] = e
    for e in latest.values():
        if e.term_end > today + dt.timedelta(days=TERM_REMIND_DAYS):
            continue
        org = e.organization
        community, street = org.territory_code[:12], org.territory_code[:9]
        if e.term_end >= today:
            kind, who = ReminderKind.DUE_SOON, users(community, [Role.COMMUNITY_SECRETARY])
        else:
            kind, who = ReminderKind.OVERDUE, users(community, [Role.COMMUNITY_SECRETARY]) + users(street, [Role.STREET_STAFF])
        rows += [Reminder(user_id=u, kind=kind, rule_id="N-ORG-03", subject_code=org.code, subject_name=org.name,
                          window_label=f"term {e.term_start:%Y}-{e.term_end:%Y}", due_on=e.term_end) for u in who]
    before = Reminder.objects.filter(rule_id="N-ORG-03").count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)  # the unique key drops repeats
    return {"made": Reminder.objects.filter(rule_id="N-ORG-03").count() - before}
