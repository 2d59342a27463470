"""Every write to the emergency records goes through here (one write path per change).

Keyword-only services taking the acting user; permission first (:mod:`.permissions`), then the
whole change is validated so a refused call writes nothing, then one transaction under
``acting_as(actor)`` locks the incident, re-checks its status, saves with ``update_fields`` and
writes the :class:`~.models.IncidentEvent`.

W-28 is kept here: an incident cannot move to responding before its report to the level above is
on record; a report is chased every ten minutes (:func:`report_chase_sweep`, huey) until a user
of that level acknowledges it; an incident closes only once stabilised and every report is
acknowledged. :func:`roster_gaps` is the preparedness check: days with nobody on call,
holidays first among them.
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
from jiayuan.core.workdays import day_info
from jiayuan.territory.models import Place

from . import permissions
from .choices import IncidentEventKind, IncidentStatus, OnCallRole, ReportLevel, ResponseKind
from .models import (
    AftercareVisit,
    ContingencyPlan,
    Incident,
    IncidentEvent,
    IncidentReport,
    OnCallShift,
    ReportChase,
    ResponseRecord,
)

CHASE_MINUTES = 10
ROSTER_DAYS = 30


def _text(value, limit: int | None = None) -> str:
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def _required(errors: FieldErrors, field: str, value) -> None:
    if not _text(value):
        errors.add(field, _("This field is required."))


def _validate(obj, errors: FieldErrors, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.merge(exc)
    errors.raise_if_any()


def _locked(pk) -> Incident:
    return Incident.objects.select_for_update(of=("self",)).get(pk=pk)


def _require_status(i: Incident, allowed, message) -> None:
    if i.status not in allowed:
        raise ValidationError({"__all__": [message]})


def _event(i: Incident, kind: str, actor, *, from_status: str | None = None, note: str = "") -> IncidentEvent:
    return IncidentEvent.objects.create(
        incident=i, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
        from_status=i.status if from_status is None else from_status, to_status=i.status, note=note,
    )


def _community(place: Place) -> str:
    return place.code[:12]


# -- preparedness: plans and the roster ---------------------------------------------------------

def plan_add(*, actor, place: Place, incident_type: str, title: str, version: str, document, effective_on: dt.date,
             responsible_units: str) -> ContingencyPlan:
    """File a contingency plan (预案, 002 L141) as a PDF of at most 10 MB."""
    permissions.require(permissions.may_write(actor, place.code))
    errors = FieldErrors()
    if document is not None:
        head = document.read(5)
        document.seek(0)
        if head != b"%PDF-":
            errors.add("document", _("The plan must be a PDF file."))
    plan = ContingencyPlan(place=place, incident_type=incident_type, title=_text(title, 120), version=_text(version, 20),
                           document=document, effective_on=effective_on,
                           responsible_units=_text(responsible_units, 200), created_by=actor,
                           territory_code=place.code)
    _validate(plan, errors)
    with transaction.atomic(), acting_as(actor):
        plan.save()
    return plan


def shift_add(*, actor, place: Place, date: dt.date, person_name: str, role: str = OnCallRole.DUTY,
              phone: str = "") -> OnCallShift:
    """Put one person on call on one day (值班). The phone is stored encrypted, shown masked."""
    permissions.require(permissions.may_write(actor, place.code))
    errors = FieldErrors()
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        errors.merge(exc, "phone")
    shift = OnCallShift(place=place, date=date, person_name=_text(person_name, 50), role=role,
                        phone_cipher=encrypt(phone) if phone else "", phone_masked=mask_phone(phone) if phone else "",
                        created_by=actor, territory_code=place.code)
    _validate(shift, errors)
    if OnCallShift.objects.filter(place=place, date=date, role=role, person_name=shift.person_name).exists():
        errors.add("person_name", _("This person is already on call that day."))
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        shift.save()
    return shift


def shift_remove(*, actor, shift: OnCallShift) -> None:
    """Take a shift off the roster (the audit log keeps it)."""
    permissions.require(permissions.may_write(actor, shift.territory_code))
    with transaction.atomic(), acting_as(actor):
        shift.delete()


def roster_gaps(community: Place, start: dt.date, end: dt.date, covered: set[dt.date] | None = None) -> list[dict]:
    """The days from ``start`` to ``end`` (inclusive) on which nobody is on call in ``community``,
    each as ``{"date", "workday", "holiday"}``: a holiday or weekend without anyone on call is
    the gap that matters most (急诊 「即使是节假日也不例外」, 002 L137). One query, none when the
    caller already holds the ``covered`` dates (the roster page, for many communities at once)."""
    if covered is None:
        covered = set(OnCallShift.objects.filter(place=community, date__range=(start, end)).values_list("date", flat=True))
    gaps, d = [], start
    while d <= end:
        if d not in covered:
            info = day_info(d)
            gaps.append({"date": d, "workday": info.workday, "holiday": info.name if not info.workday else ""})
        d += dt.timedelta(days=1)
    return gaps


# -- incidents ----------------------------------------------------------------------------------

def incident_activate(*, actor, place: Place, incident_type: str, location: str, started_at: dt.datetime,
                      summary: str, plan: ContingencyPlan | None = None, case_ref: str | None = None) -> Incident:
    """Record an emergency as it happens, optionally activating a plan on file."""
    permissions.require(permissions.may_write(actor, place.code))
    errors = FieldErrors()
    if started_at and started_at > timezone.now() + dt.timedelta(minutes=5):
        errors.add("started_at", _("This time is in the future."))
    if plan is not None and not place.code.startswith(plan.territory_code[:12]):
        errors.add("plan", _("The plan is another community's."))
    i = Incident(place=place, incident_type=incident_type, plan=plan, location=_text(location, 120), started_at=started_at,
                 summary=_text(summary), status=IncidentStatus.REPORTED, case_ref=_text(case_ref, 40) or None,
                 created_by=actor, territory_code=place.code, number="pending")
    _validate(i, errors)
    with transaction.atomic(), acting_as(actor):
        i.save()
        i.number = f"TF{timezone.localtime(started_at):%Y}{i.pk:06d}"
        i.save(update_fields=["number"])
        _event(i, IncidentEventKind.ACTIVATED, actor, from_status="", note=i.get_incident_type_display())
        if plan is not None:
            _event(i, IncidentEventKind.PLAN_ACTIVATED, actor, note=str(plan))
    return i


def plan_activate(*, actor, incident: Incident, plan: ContingencyPlan) -> Incident:
    """Activate a plan on file for an incident already recorded."""
    permissions.require(permissions.may_write(actor, incident.territory_code))
    if not incident.territory_code.startswith(plan.territory_code[:12]):
        raise ValidationError({"plan": [_("The plan is another community's.")]})
    with transaction.atomic(), acting_as(actor):
        i = _locked(incident.pk)
        _require_status(i, [IncidentStatus.REPORTED, IncidentStatus.RESPONDING], _("The incident is past responding."))
        i.plan = plan
        i.save(update_fields=["plan", "updated_at"])
        _event(i, IncidentEventKind.PLAN_ACTIVATED, actor, note=str(plan))
    return i


def _recipients(report: IncidentReport) -> list[int]:
    from jiayuan.accounts.models import RoleAssignment

    role = permissions.ACK_ROLES[report.to_level]
    return list(RoleAssignment.objects.filter(place__code=report.to_code, role=role, user__is_active=True)
                .values_list("user_id", flat=True).distinct())


def incident_report_up(*, actor, incident: Incident, content: str, to_level: str = ReportLevel.STREET) -> IncidentReport:
    """The immediate report to the Party committee and government above (第一时间报告, 002 L143).
    The receiving level's staff are notified at once (round 0) and chased until one acknowledges."""
    permissions.require(permissions.may_write(actor, incident.territory_code))
    errors = FieldErrors()
    _required(errors, "content", content)
    if to_level not in ReportLevel.values:
        errors.add("to_level", _("Choose the level the report goes to."))
    errors.raise_if_any()
    now = timezone.now()
    to_code = incident.territory_code[:9] if to_level == ReportLevel.STREET else incident.territory_code[:6]
    with transaction.atomic(), acting_as(actor):
        i = _locked(incident.pk)
        _require_status(i, [IncidentStatus.REPORTED, IncidentStatus.RESPONDING, IncidentStatus.STABILISED],
                        _("The incident is closed."))
        report = IncidentReport.objects.create(
            incident=i, to_level=to_level, to_code=to_code, content=_text(content), reported_at=now, reported_by=actor,
            last_notified_at=now, territory_code=i.territory_code,
        )
        ReportChase.objects.bulk_create([ReportChase(report=report, user_id=u, round=0) for u in _recipients(report)])
        _event(i, IncidentEventKind.REPORTED_UP, actor, note=report.get_to_level_display())
    return report


def report_acknowledge(*, actor, report: IncidentReport) -> IncidentReport:
    """A user of the receiving level acknowledges the report; the chasing stops."""
    permissions.require(permissions.may_acknowledge(actor, report),
                        _("Only the level the report was sent to may acknowledge it."))
    with transaction.atomic(), acting_as(actor):
        r = IncidentReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if r.acknowledged_at:
            raise ValidationError({"__all__": [_("This report has already been acknowledged.")]})
        r.acknowledged_at, r.acknowledged_by = timezone.now(), actor
        r.save(update_fields=["acknowledged_at", "acknowledged_by"])
        i = r.incident
        _event(i, IncidentEventKind.ACKNOWLEDGED, actor, note=r.get_to_level_display())
    return r


def report_chase_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every ten minutes (huey): each unacknowledged report not notified for ``CHASE_MINUTES``
    gets one more round of notices to the receiving level and its ``chase_count`` goes up.
    Running it again within the interval repeats nothing; an acknowledged report is never chased."""
    now = now or timezone.now()
    due = now - dt.timedelta(minutes=CHASE_MINUTES)
    chased = 0
    ids = list(IncidentReport.objects.filter(acknowledged_at__isnull=True, last_notified_at__lte=due)
               .values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            r = IncidentReport.objects.select_for_update(of=("self",)).get(pk=pk)
            if r.acknowledged_at or r.last_notified_at > due:
                continue
            r.chase_count += 1
            r.last_notified_at = now
            r.save(update_fields=["chase_count", "last_notified_at"])
            ReportChase.objects.bulk_create(
                [ReportChase(report=r, user_id=u, round=r.chase_count) for u in _recipients(r)], ignore_conflicts=True,
            )
            chased += 1
    return {"chased": chased}


def incident_respond(*, actor, incident: Incident) -> Incident:
    """Start the response. Refused until the report to the level above is on record (W-28)."""
    permissions.require(permissions.may_write(actor, incident.territory_code))
    with transaction.atomic(), acting_as(actor):
        i = _locked(incident.pk)
        _require_status(i, [IncidentStatus.REPORTED], _("The response has already started."))
        if not i.reports.exists():
            raise ValidationError({"__all__": [_(
                "Report the incident to the level above first (第一时间报告): the response starts after the report."
            )]})
        i.status = IncidentStatus.RESPONDING
        i.save(update_fields=["status", "updated_at"])
        _event(i, IncidentEventKind.RESPONDING, actor, from_status=IncidentStatus.REPORTED)
    return i


def response_record(*, actor, incident: Incident, note: str, kind: str = ResponseKind.MEASURE,
                    at: dt.datetime | None = None) -> ResponseRecord:
    """One entry of the on-site response log; grid workers may add them in their own grid."""
    permissions.require(permissions.may_respond(actor, incident.territory_code))
    errors = FieldErrors()
    rec = ResponseRecord(incident=incident, at=at or timezone.now(), kind=kind, note=_text(note), created_by=actor)
    _validate(rec, errors, exclude=["incident"])
    with transaction.atomic(), acting_as(actor):
        i = _locked(incident.pk)
        _require_status(i, [IncidentStatus.RESPONDING, IncidentStatus.STABILISED],
                        _("Response records are kept while the incident is being handled."))
        rec.incident = i
        rec.save()
    return rec


def incident_stabilise(*, actor, incident: Incident, note: str) -> Incident:
    """The situation is under control (稳控, 002 L145); aftercare visits go on."""
    permissions.require(permissions.may_write(actor, incident.territory_code))
    errors = FieldErrors()
    _required(errors, "note", note)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        i = _locked(incident.pk)
        _require_status(i, [IncidentStatus.RESPONDING], _("Only an incident being responded to can be stabilised."))
        i.status, i.stabilised_at = IncidentStatus.STABILISED, timezone.now()
        i.save(update_fields=["status", "stabilised_at", "updated_at"])
        _event(i, IncidentEventKind.STABILISED, actor, from_status=IncidentStatus.RESPONDING, note=_text(note))
    return i


def aftercare_record(*, actor, incident: Incident, visited_on: dt.date, visitor: str, visited: str,
                     notes: str = "") -> AftercareVisit:
    """A visit to calm those affected (走访慰问、理顺群众情绪, 002 L145)."""
    permissions.require(permissions.may_write(actor, incident.territory_code))
    errors = FieldErrors()
    if visited_on and visited_on > timezone.localdate():
        errors.add("visited_on", _("This date is in the future."))
    _required(errors, "visitor", visitor)
    _required(errors, "visited", visited)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        i = _locked(incident.pk)
        _require_status(i, [IncidentStatus.RESPONDING, IncidentStatus.STABILISED, IncidentStatus.CLOSED],
                        _("Aftercare visits start once the response has started."))
        return AftercareVisit.objects.create(incident=i, visited_on=visited_on, visitor=_text(visitor, 50),
                                             visited=_text(visited, 120), notes=_text(notes), created_by=actor)


def incident_close(*, actor, incident: Incident, summary: str) -> Incident:
    """Close a stabilised incident with its summary; refused while a report is unacknowledged."""
    permissions.require(permissions.may_write(actor, incident.territory_code))
    errors = FieldErrors()
    _required(errors, "summary", summary)
    errors.raise_if_any()
    with transaction.atomic(), acting_as(actor):
        i = _locked(incident.pk)
        _require_status(i, [IncidentStatus.STABILISED], _("Only a stabilised incident can be closed."))
        if i.reports.filter(acknowledged_at__isnull=True).exists():
            raise ValidationError({"__all__": [_("A report to the level above is not acknowledged yet.")]})
        i.status, i.closed_at, i.closure_summary = IncidentStatus.CLOSED, timezone.now(), _text(summary)
        i.save(update_fields=["status", "closed_at", "closure_summary", "updated_at"])
        _event(i, IncidentEventKind.CLOSED, actor, from_status=IncidentStatus.STABILISED, note=i.closure_summary)
    return i

