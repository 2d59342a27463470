"""The dispute register (矛盾纠纷台账): screening rounds, disputes, mediation and follow-up.

The seed asks for 「底数清、情况明、动态掌握、随发现随报告」(002 L135): every dispute found in a
screening round or brought to one of the four clinics (四诊, 002 L137) is a row here, counted, and
carried through 三调联动 / 三级调处 (002 L135) under the 五个一 and 七包 of 002 L147 until it is
closed. Rows carry the ``territory_code`` of the place (community or grid) so scoping is a prefix
scan. Only ``jiayuan.disputes.services`` writes these tables; events, sessions and follow-up
visits are append-only, and a signed agreement never changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import ActorMixin, ScopedModel, TimeStampedModel

from .choices import (
    DisputeEventKind,
    DisputeKind,
    DisputeStatus,
    HandlingLevel,
    IntakeMode,
    MediationKind,
)


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


class ScreeningRound(ScopedModel, ActorMixin):
    """A community's round of regular screening (定期排查, 002 L135: 「组织党员干部定期开展排查」).

    It records the period, who took part and how many households were covered (「两人一组包百户」,
    002 L147), so the register can say how many disputes each round found: 底数清、情况明.
    """

    community = models.ForeignKey("territory.Place", verbose_name=_("community"), on_delete=models.PROTECT,
                                  related_name="screening_rounds")
    title = models.CharField(_("title"), max_length=100)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    participants = models.TextField(_("who took part"), blank=True)
    households_covered = models.PositiveIntegerField(_("households covered"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("screening round")
        verbose_name_plural = _("screening rounds")
        ordering = ["-period_start", "-id"]

    def __str__(self):
        return self.title


class Dispute(ScopedModel, ActorMixin):
    """One dispute in the register, from discovery to closure.

    ``level`` is where it is handled (三级调处); an escalation moves it up one level with an event,
    never silently. The 五个一 (002 L147: one problem, one leader, one team, one plan, followed to
    the end) is ``leader_name`` + ``team`` + ``plan``; mediation cannot start without it. The
    七包 checklist is ``checklist``: ``{duty code: {"done": bool, "note": str, "on": "YYYY-MM-DD"}}``.
    ``case_ref`` is the tracking number of an appeal case it is linked to (the case loop is
    another app; a number, not a foreign key).
    """

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    place = models.ForeignKey("territory.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("what it is about"), blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=DisputeKind.choices)
    intake_mode = models.CharField(_("found by"), max_length=16, choices=IntakeMode.choices)
    screening_round = models.ForeignKey(ScreeningRound, verbose_name=_("screening round"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="disputes")
    found_on = models.DateField(_("found on"))
    mediation_kind = models.CharField(_("mediation kind"), max_length=16, choices=MediationKind.choices,
                                      default=MediationKind.PEOPLES)
    level = models.CharField(_("handling level"), max_length=12, choices=HandlingLevel.choices,
                             default=HandlingLevel.COMMUNITY)
    status = models.CharField(_("status"), max_length=12, choices=DisputeStatus.choices,
                              default=DisputeStatus.REGISTERED, db_index=True)
    leader_name = models.CharField(_("leader"), max_length=50, blank=True)
    team = models.JSONField(_("team"), default=list, blank=True)
    plan = models.TextField(_("plan"), blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    checklist = models.JSONField(_("seven duties"), default=dict, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    case_ref = models.CharField(_("case number"), max_length=40, blank=True, null=True)  # noqa: DJ001 (no case yet)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["territory_code", "status"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def five_ones_complete(self) -> bool:
        return bool(self.leader_name and self.team and self.plan.strip())


class DisputeParty(TimeStampedModel):
    """A party to the dispute: a name, and a phone stored encrypted and shown masked (as
    residents' and Party members' phones)."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("name"), max_length=50)
    phone_cipher = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("party to the dispute")
        verbose_name_plural = _("parties to the dispute")
        ordering = ["id"]

    def __str__(self):
        return self.name


class MediationSession(AppendOnly, TimeStampedModel, ActorMixin):
    """One mediation session (调解记录): date, place, mediators, the parties present, notes and
    the kind of mediation used (三调联动 lets one dispute pass through several). Append-only."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("place"), max_length=100)
    mediation_kind = models.CharField(_("mediation kind"), max_length=16, choices=MediationKind.choices)
    mediators = models.CharField(_("mediators"), max_length=200)
    parties_present = models.CharField(_("parties present"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.location}"


class MediationAgreement(TimeStampedModel, ActorMixin):
    """The mediation agreement (调解协议书). A draft may be rewritten; once ``signed_at`` is set
    (every party's signature recorded as a name and a date) it is immutable: a new dispute, not
    an edit, answers a later change of mind."""

    dispute = models.OneToOneField(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE,
                                   related_name="agreement")
    parties = models.CharField(_("parties"), max_length=200)
    content = models.TextField(_("agreed terms"))
    mediators = models.CharField(_("mediators"), max_length=200, blank=True)
    agreed_on = models.DateField(_("agreed on"))
    signatures = models.JSONField(_("signatures"), default=list, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def save(self, *args, **kwargs):
        if self.pk is not None and MediationAgreement.objects.filter(pk=self.pk, signed_at__isnull=False).exists():
            raise ValueError("a signed agreement is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.signed_at:
            raise ValueError("a signed agreement is immutable")
        super().delete(*args, **kwargs)


class FollowUpVisit(AppendOnly, TimeStampedModel, ActorMixin):
    """A follow-up visit (回访) after the agreement or the failed mediation: is it holding?"""

    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("visited on"))
    visitor = models.CharField(_("visited by"), max_length=50)
    holding = models.BooleanField(_("the settlement holds"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["visited_on", "id"]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.visitor}"


class DisputeEvent(AppendOnly):
    """Every step of a dispute, append-only: who, when, what, and the status or level before and
    after. The timeline on the dispute page and any later audit read only these rows."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=DisputeEventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    from_level = models.CharField(_("from level"), max_length=12, blank=True)
    to_level = models.CharField(_("to level"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("dispute event")
        verbose_name_plural = _("dispute events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.dispute_id} {self.kind}"
