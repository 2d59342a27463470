"""Emergencies (突发事件): contingency plans, the on-call roster, incidents and what was done.

002 L139-145: 「早做预案、快速反应、科学应对、果断处置」 — plans kept on file before anything
happens (``ContingencyPlan``), someone on call every day including holidays (``OnCallShift``),
then for an incident: the immediate report to the Party committee and government above
(``IncidentReport``, 「第一时间向上级党委、政府报告」, 002 L143), which that level acknowledges
and which is chased until it does (``ReportChase``), the on-site response log
(``ResponseRecord``), and the visits that calm those affected (``AftercareVisit``,
「搞好走访慰问,理顺群众情绪」, 002 L145). Rows carry ``territory_code``; only
``jiayuan.emergencies.services`` writes them; logs and events are append-only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import ActorMixin, ScopedModel, TimeStampedModel

from .choices import IncidentEventKind, IncidentStatus, IncidentType, OnCallRole, ReportLevel, ResponseKind

PLAN_MAX_BYTES = 10 * 1024 * 1024


class AppendOnly(models.Model):
    """Rows that record what happened: written once, never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are append-only")


def validate_plan_size(file) -> None:
    if file.size is not None and file.size > PLAN_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))


class ContingencyPlan(ScopedModel, ActorMixin):
    """A contingency plan (应急预案) for one type of incident, kept as a PDF document with its
    version, effective date and the units responsible (002 L141: 「做好应对预案,防患于未然」)."""

    place = models.ForeignKey("territory.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+")
    incident_type = models.CharField(_("incident type"), max_length=24, choices=IncidentType.choices)
    title = models.CharField(_("title"), max_length=120)
    version = models.CharField(_("version"), max_length=20)
    document = models.FileField(_("document (PDF)"), upload_to="emergencies/plans/%Y/",
                                validators=[FileExtensionValidator(["pdf"]), validate_plan_size])
    effective_on = models.DateField(_("effective from"))
    responsible_units = models.CharField(_("responsible units"), max_length=200)

    class Meta:
        verbose_name = _("contingency plan")
        verbose_name_plural = _("contingency plans")
        ordering = ["incident_type", "-effective_on"]

    def __str__(self):
        return f"{self.title} {self.version}"


class OnCallShift(ScopedModel, ActorMixin):
    """One person on call (值班) on one day in a community. The roster must cover every day,
    holidays included (急诊 「即使是节假日也不例外」, 002 L137); ``services.roster_gaps`` finds the
    days nobody holds. The phone is stored encrypted and shown masked."""

    place = models.ForeignKey("territory.Place", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"), db_index=True)
    person_name = models.CharField(_("person"), max_length=50)
    role = models.CharField(_("role"), max_length=12, choices=OnCallRole.choices, default=OnCallRole.DUTY)
    phone_cipher = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("on-call shift")
        verbose_name_plural = _("on-call shifts")
        ordering = ["date", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["place", "date", "role", "person_name"], name="oncall_unique")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.person_name}"


class Incident(ScopedModel, ActorMixin):
    """An emergency that happened: its type (002 L139), the plan activated, where and when, and
    where it stands: reported → responding (only once the report to the level above is on record,
    W-28) → stabilised (稳控, 002 L145) → closed. ``case_ref`` links an appeal case by number."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    place = models.ForeignKey("territory.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+")
    incident_type = models.CharField(_("incident type"), max_length=24, choices=IncidentType.choices)
    plan = models.ForeignKey(ContingencyPlan, verbose_name=_("plan activated"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="incidents")
    location = models.CharField(_("location"), max_length=120)
    started_at = models.DateTimeField(_("started at"))
    summary = models.TextField(_("summary"))
    status = models.CharField(_("status"), max_length=12, choices=IncidentStatus.choices,
                              default=IncidentStatus.REPORTED, db_index=True)
    stabilised_at = models.DateTimeField(_("stabilised at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_summary = models.TextField(_("closure summary"), blank=True)
    case_ref = models.CharField(_("case number"), max_length=40, blank=True, null=True)  # noqa: DJ001 (no case yet)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.number} {self.get_incident_type_display()}"


class IncidentReport(ScopedModel):
    """The immediate report to the level above (第一时间报告, 002 L143). ``to_code`` is the street
    or district that must acknowledge it; until a user of that level does, the report is chased
    every ten minutes (``chase_count`` how often, ``last_notified_at`` when last)."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="reports")
    to_level = models.CharField(_("reported to"), max_length=12, choices=ReportLevel.choices)
    to_code = models.CharField(_("receiving place"), max_length=32, editable=False)
    content = models.TextField(_("report"))
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    chase_count = models.PositiveIntegerField(_("times chased"), default=0)
    last_notified_at = models.DateTimeField(_("last notified at"))

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["reported_at", "id"]
        indexes = [models.Index(fields=["acknowledged_at", "last_notified_at"])]

    def __str__(self):
        return f"{self.incident_id} → {self.to_level}"


class ReportChase(TimeStampedModel):
    """One notice of an unacknowledged report to one person of the receiving level; round 0 is
    the report itself, each later round a chase. Shown on /emergencies/ until acknowledged."""

    report = models.ForeignKey(IncidentReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="chases")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    round = models.PositiveIntegerField(_("round"))

    class Meta:
        verbose_name = _("report chase")
        verbose_name_plural = _("report chases")
        constraints = [models.UniqueConstraint(fields=["report", "user", "round"], name="report_chase_unique")]

    def __str__(self):
        return f"{self.report_id} #{self.round} {self.user_id}"


class ResponseRecord(AppendOnly, TimeStampedModel, ActorMixin):
    """One entry of the on-site response log (快速反应、果断处置, 002 L143). Append-only."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="responses")
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=12, choices=ResponseKind.choices, default=ResponseKind.MEASURE)
    note = models.TextField(_("what was done"))

    class Meta:
        verbose_name = _("response record")
        verbose_name_plural = _("response records")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class AftercareVisit(AppendOnly, TimeStampedModel, ActorMixin):
    """A visit to calm those affected (走访慰问, 002 L145). Append-only."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="aftercare")
    visited_on = models.DateField(_("visited on"))
    visitor = models.CharField(_("visited by"), max_length=50)
    visited = models.CharField(_("who was visited"), max_length=120)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("aftercare visit")
        verbose_name_plural = _("aftercare visits")
        ordering = ["visited_on", "id"]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.visited}"


class IncidentEvent(AppendOnly):
    """Every step of an incident, append-only (who, when, status before and after)."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentEventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.incident_id} {self.kind}"
