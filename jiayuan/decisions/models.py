"""The 4+2 democratic decision method (002 L161-163): a matter, its four voted stages, the +1
resolution notice with objections and the +2 implementation result.

Every row carries the ``territory_code`` of the community (directly or through its matter), so
scoping is the usual prefix scan. Only ``jiayuan.decisions.services`` writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import ActorMixin, ScopedModel, TimeStampedModel

from .choices import DecisionEventKind, DecisionStatus, StageCode, StageResult


class DecisionMatter(ScopedModel, ActorMixin):
    """A major community matter decided by the 4+2 method, with the plan of 002 L163."""

    place = models.ForeignKey("territory.Place", verbose_name=_("community"), on_delete=models.PROTECT,
                              related_name="+")
    category = models.CharField(_("category"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    necessity = models.TextField(_("necessity"), blank=True)
    principles = models.TextField(_("principles"), blank=True)
    timing = models.CharField(_("time"), max_length=200, blank=True)
    area = models.CharField(_("area"), max_length=200, blank=True)
    funds = models.CharField(_("funds"), max_length=200, blank=True)
    funds_source = models.TextField(_("source of funds"), blank=True)
    funds_allocation = models.TextField(_("allocation of funds"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DecisionStatus.choices,
                              default=DecisionStatus.PROPOSED, db_index=True)
    rejected_at_stage = models.CharField(_("rejected at"), max_length=24, choices=StageCode.choices, blank=True)
    result_due_on = models.DateField(_("result due on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("decision matter")
        verbose_name_plural = _("decision matters")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.territory_code = self.place.code
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("decision_detail", args=[self.pk])

    @property
    def category_label(self) -> str:
        from .categories import categories

        cat = categories().get(self.category)
        return cat.label if cat else self.category


class DecisionStage(TimeStampedModel, ActorMixin):
    """One of the four stages, its vote being a meetings Motion at a held meeting."""

    matter = models.ForeignKey(DecisionMatter, verbose_name=_("matter"), on_delete=models.CASCADE,
                               related_name="stages")
    stage = models.CharField(_("stage"), max_length=24, choices=StageCode.choices)
    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    motion = models.ForeignKey("meetings.Motion", verbose_name=_("vote"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=8, choices=StageResult.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision stage")
        verbose_name_plural = _("decision stages")
        ordering = ["matter", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "stage"], name="decisions_stage_once")]

    def __str__(self):
        return f"{self.matter_id} · {self.stage}"


class Comment(TimeStampedModel, ActorMixin):
    """A resident's or member's comment on the plan's clauses (征求居民意见, 002 L163). Kept."""

    matter = models.ForeignKey(DecisionMatter, verbose_name=_("matter"), on_delete=models.CASCADE,
                               related_name="comments")
    author_name = models.CharField(_("from"), max_length=64, blank=True)
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.matter_id} · {self.pk}"


class Notice(TimeStampedModel, ActorMixin):
    """The +1: the resolution made public for the notice period (公示七天, 002 L163)."""

    matter = models.ForeignKey(DecisionMatter, verbose_name=_("matter"), on_delete=models.CASCADE,
                               related_name="notices")
    text = models.TextField(_("notice"))
    published_on = models.DateField(_("published on"))
    ends_on = models.DateField(_("notice ends on"))
    disclosure_item = models.ForeignKey("disclosure.DisclosureItem", verbose_name=_("board item"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="decision_notices")

    class Meta:
        verbose_name = _("resolution notice")
        verbose_name_plural = _("resolution notices")
        ordering = ["published_on", "id"]

    def __str__(self):
        return f"{self.matter_id} · {self.published_on}"


class Objection(TimeStampedModel, ActorMixin):
    """An objection filed during the notice; each is answered before implementation."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="objections")
    author_name = models.CharField(_("from"), max_length=64, blank=True)
    text = models.TextField(_("objection"))
    filed_on = models.DateField(_("filed on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["filed_on", "id"]

    def __str__(self):
        return f"{self.notice_id} · {self.pk}"


class ImplementationResult(TimeStampedModel, ActorMixin):
    """The +2: the implementation result made public, linked to the resolution."""

    matter = models.OneToOneField(DecisionMatter, verbose_name=_("matter"), on_delete=models.CASCADE,
                                  related_name="result")
    text = models.TextField(_("result"))
    published_on = models.DateField(_("published on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    disclosure_item = models.ForeignKey("disclosure.DisclosureItem", verbose_name=_("board item"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="decision_results")

    class Meta:
        verbose_name = _("implementation result")
        verbose_name_plural = _("implementation results")

    def __str__(self):
        return f"{self.matter_id}"


class CharterVersion(TimeStampedModel, ActorMixin):
    """One adopted version of the resident autonomy charter (居民自治章程) or the resident covenant
    (居民公约) of a community (002 L185 "制定了《居民自治章程》").

    A version is adopted only through a 4+2 matter of category ``charter`` whose residents'
    resolution passed (so the residents decided the text); it is then posted as a standing item
    on the board. Versions are never edited: a revision is the next version, adopted by its own
    matter. The current one is the highest version of its kind.
    """

    class Kind(models.TextChoices):
        CHARTER = "charter", _("Resident autonomy charter (居民自治章程)")
        COVENANT = "covenant", _("Resident covenant (居民公约)")

    place = models.ForeignKey("territory.Place", verbose_name=_("community"), on_delete=models.PROTECT,
                              related_name="+")
    territory_code = models.CharField(max_length=32, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    change_note = models.TextField(_("what changed"), blank=True)
    matter = models.OneToOneField(DecisionMatter, verbose_name=_("adopted by"), on_delete=models.PROTECT,
                                  related_name="charter_version")
    adopted_on = models.DateField(_("adopted on"))
    disclosure_item = models.ForeignKey("disclosure.DisclosureItem", verbose_name=_("board item"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="charter_versions")

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["place", "kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["place", "kind", "version"], name="decisions_charter_version")]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("charter versions are never edited: adopt the next version")
        self.territory_code = self.place.code
        super().save(*args, **kwargs)


class DecisionEvent(models.Model):
    """One step in a matter's life. Append-only."""

    matter = models.ForeignKey(DecisionMatter, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32, choices=DecisionEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("decision event")
        verbose_name_plural = _("decision events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.matter_id} · {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("decision events are append-only")
        super().save(*args, **kwargs)
