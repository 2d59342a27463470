"""Every write to the dispute register goes through here (one write path per change).

Each service is keyword-only and takes the acting user. It checks the actor may write at the
dispute's place *and level* (三级调处, :mod:`.permissions`), validates the whole change so that a
refused call writes nothing, then, in one transaction under ``acting_as(actor)``, locks the row,
re-checks the status on the locked row (two people acting at once: one wins, the other is told
why), saves with ``update_fields`` and writes the :class:`~.models.DisputeEvent`.

The order the seed asks for is kept here: 五个一 before mediation starts (002 L147), an agreement
that does not change once signed, escalation one level up only after a failed attempt (W-26:
「小事不出社区、大事不出街道」), closure only after a follow-up visit with a closing note.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.core.audit import acting_as
from jiayuan.core.crypto import encrypt, mask_phone
from jiayuan.core.errors import FieldErrors
from jiayuan.core.phone import normalise_phone
from jiayuan.territory.models import Place

from . import permissions
from .choices import (
    LEVEL_ORDER,
    DisputeEventKind,
    DisputeKind,
    DisputeStatus,
    HandlingLevel,
    IntakeMode,
    MediationKind,
    SevenDuty,
)
from .models import (
    Dispute,
    DisputeEvent,
    DisputeParty,
    FollowUpVisit,
    MediationAgreement,
    MediationSession,
    ScreeningRound,
)


def _today() -> dt.date:
    return timezone.localdate()


def _text(value, limit: int | None = None) -> str:
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def _not_future(errors: FieldErrors, field: str, value) -> None:
    if value is not None and value > _today():
        errors.add(field, _("This date is in the future."))


def _required(errors: FieldErrors, field: str, value) -> None:
    if not _text(value):
        errors.add(field, _("This field is required."))


def _validate(obj, errors: FieldErrors, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.merge(exc)
    errors.raise_if_any()


def _locked(pk) -> Dispute:
    return Dispute.objects.select_for_update(of=("self",)).get(pk=pk)


def _require_status(d: Dispute, allowed, message) -> None:
    if d.status not in allowed:
        raise ValidationError({"__all__": [message]})


def _event(d: Dispute, kind: str, actor, *, from_status: str = "", from_level: str = "", note: str = "") -> DisputeEvent:
    return DisputeEvent.objects.create(
        dispute=d, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status or d.status, to_status=d.status,
        from_level=from_level or d.level, to_level=d.level, note=note,
    )


def _require_write(actor, d: Dispute) -> None:
    permissions.require(permissions.may_write_at(actor, d.territory_code, d.level))


# -- screening rounds ---------------------------------------------------------------------------

def round_create(*, actor, community: Place, title: str, period_start: dt.date, period_end: dt.date,
                 participants: str = "", households_covered: int = 0, notes: str = "") -> ScreeningRound:
    """Open a screening round of a community (定期排查, 002 L135). Its disputes are registered with
    ``screening_round`` set, so the round's count is the 底数."""
    permissions.require(permissions.may_keep_rounds(actor, community.code))
    errors = FieldErrors()
    if community.kind != "community":
        errors.add("community", _("A screening round belongs to a community."))
    if period_start and period_end and period_end < period_start:
        errors.add("period_end", _("The period ends before it starts."))
    _not_future(errors, "period_start", period_start)
    r = ScreeningRound(community=community, title=_text(title, 100), period_start=period_start, period_end=period_end,
                       participants=_text(participants), households_covered=households_covered or 0,
                       notes=_text(notes), created_by=actor, territory_code=community.code)
    _validate(r, errors)
    with transaction.atomic(), acting_as(actor):
        r.save()
    return r


# -- register -----------------------------------------------------------------------------------

def _clean_parties(errors: FieldErrors, parties) -> list[tuple[str, str]]:
    out = []
    for p in parties or []:
        name = _text(p.get("name"), 50)
        phone = p.get("phone") or ""
        if not name and not phone:
            continue
        if not name:
            errors.add("parties", _("Give the name of every party."))
            continue
        try:
            phone = normalise_phone(phone)
        except ValidationError as exc:
            errors.merge(exc, "parties")
            continue
        out.append((name, phone))
    if not out:
        errors.add("parties", _("Name at least one party to the dispute."))
    return out


def dispute_register(
    *, actor, place: Place, title: str, kind: str, intake_mode: str, found_on: dt.date, parties: list[dict],
    summary: str = "", screening_round: ScreeningRound | None = None, mediation_kind: str = MediationKind.PEOPLES,
    case_ref: str | None = None,
) -> Dispute:
    """Register a dispute as soon as it is found (随发现随报告, 002 L135): in a screening round or at
    one of the four clinics (002 L137). The level is the registering user's: community staff,
    secretaries and grid workers (in their own grid) register at community level, street staff
    (坐诊 in the street's reception room) at street level."""
    level = permissions.register_level(actor, place.code)
    permissions.require(level is not None)
    errors = FieldErrors()
    clean = _clean_parties(errors, parties)
    _not_future(errors, "found_on", found_on)
    if intake_mode == IntakeMode.SCREENING and screening_round is None:
        errors.add("screening_round", _("Name the screening round the dispute was found in."))
    if screening_round is not None:
        if not place.code.startswith(screening_round.territory_code):
            errors.add("screening_round", _("The screening round is another community's."))
        intake_mode = IntakeMode.SCREENING
    if place.kind not in ("community", "grid", "building", "unit", "street"):
        errors.add("place", _("Choose the community or grid where the dispute is."))
    d = Dispute(
        place=place, title=_text(title, 120), summary=_text(summary), kind=kind, intake_mode=intake_mode,
        screening_round=screening_round, found_on=found_on, mediation_kind=mediation_kind or MediationKind.PEOPLES,
        level=level, status=DisputeStatus.REGISTERED, case_ref=_text(case_ref, 40) or None, created_by=actor,
        territory_code=place.code, number="pending",
    )
    _validate(d, errors)
    with transaction.atomic(), acting_as(actor):
        d.save()
        d.number = f"MD{found_on:%Y}{d.pk:06d}"
        d.save(update_fields=["number"])
        DisputeParty.objects.bulk_create([
            DisputeParty(dispute=d, name=n, phone_cipher=encrypt(ph), phone_masked=mask_phone(ph)) for n, ph in clean
        ])
        _event(d, DisputeEventKind.REGISTERED, actor, from_status="", note=d.get_intake_mode_display())
    return d


def dispute_assign(*, actor, dispute: Dispute, leader_name: str, team: list[str], plan: str,
                   mediation_kind: str | None = None) -> Dispute:
    """The 五个一 (002 L147): one problem (the dispute), one leader, one team, one plan, followed to
    the end (the leader answers for it until it is closed). All three are required; re-assigning
    before mediation starts is allowed and leaves an event."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    leader_name = _text(leader_name, 50)
    team = [t for t in (_text(x, 50) for x in (team or [])) if t]
    _required(errors, "leader_name", leader_name)
    if not team:
        errors.add("team", _("Name the members of the team."))
    _required(errors, "plan", plan)
    if mediation_kind and mediation_kind not in MediationKind.values:
        errors.add("mediation_kind", _("Choose a mediation kind."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        _require_status(d, [DisputeStatus.REGISTERED, DisputeStatus.ASSIGNED],
                        _("The five ones are assigned before mediation starts."))
        before = d.status
        d.leader_name, d.team, d.plan = leader_name, team, _text(plan)
        if mediation_kind:
            d.mediation_kind = mediation_kind
        d.assigned_at, d.status = timezone.now(), DisputeStatus.ASSIGNED
        d.save(update_fields=["leader_name", "team", "plan", "mediation_kind", "assigned_at", "status", "updated_at"])
        _event(d, DisputeEventKind.ASSIGNED, actor, from_status=before,
               note=_("Leader {leader}; team {team}").format(leader=leader_name, team="、".join(team)))
    return d


def checklist_update(*, actor, dispute: Dispute, done: dict[str, str]) -> Dispute:
    """Tick duties of the 七包 checklist (002 L147); ``done`` maps a duty code to a short note.
    A duty once ticked stays ticked (the event log shows when)."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    for code in done:
        if code not in SevenDuty.values:
            errors.add("done", _("Unknown duty: {code}.").format(code=code))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        _require_status(d, [s for s in DisputeStatus.values if s != DisputeStatus.CLOSED],
                        _("This dispute is closed."))
        checklist = dict(d.checklist or {})
        new = [c for c in SevenDuty.values if c in done and not (checklist.get(c) or {}).get("done")]
        for code in new:
            checklist[code] = {"done": True, "note": _text(done[code], 200), "on": _today().isoformat()}
        if not new:
            return d
        d.checklist = checklist
        d.save(update_fields=["checklist", "updated_at"])
        _event(d, DisputeEventKind.CHECKLIST, actor, note=", ".join(new))
    return d


def mediation_start(*, actor, dispute: Dispute) -> Dispute:
    """Start mediating. Refused, with the reason, until the 五个一 is complete (002 L147)."""
    _require_write(actor, dispute)
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        if not d.five_ones_complete:
            raise ValidationError({"__all__": [_(
                "Mediation cannot start before the five ones (五个一) are in place: one leader, one team "
                "and one plan."
            )]})
        _require_status(d, [DisputeStatus.ASSIGNED], _("Only an assigned dispute can go to mediation."))
        d.status = DisputeStatus.MEDIATING
        d.save(update_fields=["status", "updated_at"])
        _event(d, DisputeEventKind.MEDIATION_STARTED, actor, from_status=DisputeStatus.ASSIGNED,
               note=d.get_mediation_kind_display())
    return d


def session_record(*, actor, dispute: Dispute, held_on: dt.date, location: str, mediators: str,
                   parties_present: str, notes: str = "", mediation_kind: str | None = None) -> MediationSession:
    """Record a mediation session (调解记录) while the dispute is being mediated."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    _not_future(errors, "held_on", held_on)
    s = MediationSession(dispute=dispute, held_on=held_on, location=_text(location, 100),
                         mediation_kind=mediation_kind or dispute.mediation_kind, mediators=_text(mediators, 200),
                         parties_present=_text(parties_present, 200), notes=_text(notes), created_by=actor)
    _validate(s, errors, exclude=["dispute"])
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        _require_status(d, [DisputeStatus.MEDIATING], _("Sessions are recorded while the dispute is being mediated."))
        s.dispute = d
        s.save()
        _event(d, DisputeEventKind.SESSION, actor, note=f"{held_on:%Y-%m-%d} {s.location}")
    return s


def agreement_save(*, actor, dispute: Dispute, parties: str, content: str, agreed_on: dt.date,
                   mediators: str = "") -> MediationAgreement:
    """Write or rewrite the draft agreement (调解协议书). A signed agreement is never changed."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    _required(errors, "parties", parties)
    _required(errors, "content", content)
    _not_future(errors, "agreed_on", agreed_on)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        _require_status(d, [DisputeStatus.MEDIATING], _("An agreement is drafted while the dispute is being mediated."))
        a = MediationAgreement.objects.filter(dispute=d).first()
        if a is not None and a.signed_at:
            raise ValidationError({"__all__": [_("The agreement is signed and can no longer be changed.")]})
        a = a or MediationAgreement(dispute=d, created_by=actor)
        a.parties, a.content, a.agreed_on, a.mediators = _text(parties, 200), _text(content), agreed_on, _text(mediators, 200)
        _validate(a, FieldErrors(), exclude=["dispute"])
        a.save()
        _event(d, DisputeEventKind.AGREEMENT_DRAFTED, actor)
    return a


def agreement_sign(*, actor, dispute: Dispute, signatures: list[dict]) -> MediationAgreement:
    """Record the signatures (a name and a date each; at least two parties) and seal the
    agreement: from now on it is immutable, and the dispute is agreed."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    clean = []
    for s in signatures or []:
        name, on = _text(s.get("name"), 50), s.get("signed_on")
        if not name:
            continue
        if on is None:
            errors.add("signatures", _("Give the date {name} signed.").format(name=name))
            continue
        if isinstance(on, str):
            on = dt.date.fromisoformat(on)
        _not_future(errors, "signatures", on)
        clean.append({"name": name, "signed_on": on.isoformat()})
    if len(clean) < 2:
        errors.add("signatures", _("An agreement is signed by at least two parties."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        a = MediationAgreement.objects.select_for_update(of=("self",)).filter(dispute=d).first()
        if a is None:
            raise ValidationError({"__all__": [_("Draft the agreement first.")]})
        if a.signed_at:
            raise ValidationError({"__all__": [_("The agreement is signed and can no longer be changed.")]})
        _require_status(d, [DisputeStatus.MEDIATING], _("An agreement is signed while the dispute is being mediated."))
        a.signatures, a.signed_at = clean, timezone.now()
        a.save(update_fields=["signatures", "signed_at", "updated_at"])
        d.status = DisputeStatus.AGREED
        d.save(update_fields=["status", "updated_at"])
        _event(d, DisputeEventKind.AGREEMENT_SIGNED, actor, from_status=DisputeStatus.MEDIATING,
               note="、".join(s["name"] for s in clean))
    return a


def mediation_fail(*, actor, dispute: Dispute, reason: str) -> Dispute:
    """Mediation did not settle it. The reason is the explanation record W-26 asks for
    (「短期内不能解决的,也要耐心细致地做好解释说服工作」, 002 L135); it may then be escalated."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    _required(errors, "reason", reason)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        _require_status(d, [DisputeStatus.MEDIATING], _("Only a dispute being mediated can fail."))
        d.status, d.outcome_note = DisputeStatus.FAILED, _text(reason)
        d.save(update_fields=["status", "outcome_note", "updated_at"])
        _event(d, DisputeEventKind.FAILED, actor, from_status=DisputeStatus.MEDIATING, note=d.outcome_note)
    return d


def dispute_escalate(*, actor, dispute: Dispute, reason: str) -> Dispute:
    """Hand a dispute the community (or street) could not settle to the level above (三级调处,
    002 L135). Only after a failed attempt at this level (W-26). The new level assigns its own
    五个一, so the dispute is registered again there; the old assignment stays in the events."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    _required(errors, "reason", reason)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        _require_status(d, [DisputeStatus.FAILED], _("Only a dispute whose mediation failed at this level can be escalated."))
        index = LEVEL_ORDER.index(d.level)
        if index == len(LEVEL_ORDER) - 1:
            raise ValidationError({"__all__": [_("The dispute is already at the highest level.")]})
        before_level = d.level
        d.level = LEVEL_ORDER[index + 1]
        d.status = DisputeStatus.REGISTERED
        d.leader_name, d.team, d.plan, d.assigned_at = "", [], "", None
        d.save(update_fields=["level", "status", "leader_name", "team", "plan", "assigned_at", "updated_at"])
        _event(d, DisputeEventKind.ESCALATED, actor, from_status=DisputeStatus.FAILED, from_level=before_level,
               note=_text(reason))
    return d


def follow_up_record(*, actor, dispute: Dispute, visited_on: dt.date, visitor: str, holding: bool = True,
                     notes: str = "") -> FollowUpVisit:
    """A follow-up visit (回访) after an agreement or a failed mediation."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    _not_future(errors, "visited_on", visited_on)
    _required(errors, "visitor", visitor)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        _require_status(d, [DisputeStatus.AGREED, DisputeStatus.FAILED, DisputeStatus.FOLLOWED_UP],
                        _("Follow-up visits come after the agreement or the failed mediation."))
        v = FollowUpVisit.objects.create(dispute=d, visited_on=visited_on, visitor=_text(visitor, 50),
                                         holding=bool(holding), notes=_text(notes), created_by=actor)
        before = d.status
        d.status = DisputeStatus.FOLLOWED_UP
        d.save(update_fields=["status", "updated_at"])
        _event(d, DisputeEventKind.FOLLOWED_UP, actor, from_status=before, note=v.notes)
    return v


def dispute_close(*, actor, dispute: Dispute, note: str) -> Dispute:
    """Close the dispute after a follow-up visit, with the closing note (no dispute leaves the
    register without an event saying who closed it and why)."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    _required(errors, "note", note)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        _require_status(d, [DisputeStatus.FOLLOWED_UP], _("A dispute is closed after a follow-up visit."))
        d.status, d.closed_at = DisputeStatus.CLOSED, timezone.now()
        d.outcome_note = (d.outcome_note + "\n" if d.outcome_note else "") + _text(note)
        d.save(update_fields=["status", "closed_at", "outcome_note", "updated_at"])
        _event(d, DisputeEventKind.CLOSED, actor, from_status=DisputeStatus.FOLLOWED_UP, note=_text(note))
    return d


def dispute_link_case(*, actor, dispute: Dispute, case_ref: str) -> Dispute:
    """Link the dispute to an appeal case by its tracking number."""
    _require_write(actor, dispute)
    errors = FieldErrors()
    _required(errors, "case_ref", case_ref)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        d = _locked(dispute.pk)
        _require_write(actor, d)  # the level may have changed since the caller read it
        d.case_ref = _text(case_ref, 40)
        d.save(update_fields=["case_ref", "updated_at"])
        _event(d, DisputeEventKind.CASE_LINKED, actor, note=d.case_ref)
    return d


__all__ = [
    "DisputeKind", "HandlingLevel", "agreement_save", "agreement_sign", "checklist_update", "dispute_assign",
    "dispute_close", "dispute_escalate", "dispute_link_case", "dispute_register", "follow_up_record",
    "mediation_fail", "mediation_start", "round_create", "session_record",
]
