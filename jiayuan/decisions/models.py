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

from .choices import (
    DUAL_BALLOT,
    AttendanceBasis,
    BallotChoice,
    DecisionEventKind,
    DecisionStatus,
    ResidentMeetingKind,
    ResidentMeetingStatus,
    ResidentVoteResult,
    ResidentVoteStatus,
    StageCode,
    StageResult,
    VoteClassification,
)


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
    """One of the four stages. The first three are voted by Party bodies, so their vote is a
    meetings Motion at a held meeting; the residents' resolution (stage 4) is voted by residents,
    so its vote is a :class:`ResidentVote` of a held resident meeting (``resident_vote``)."""

    matter = models.ForeignKey(DecisionMatter, verbose_name=_("matter"), on_delete=models.CASCADE,
                               related_name="stages")
    stage = models.CharField(_("stage"), max_length=24, choices=StageCode.choices)
    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    motion = models.ForeignKey("meetings.Motion", verbose_name=_("vote"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    resident_vote = models.ForeignKey("decisions.ResidentVote", verbose_name=_("residents' vote"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="stages")
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


# -- the residents' side (002 L161-163, L185) ------------------------------------------------------
# Written only by ``jiayuan.decisions.residents_services``.

class ResidentRepresentative(ScopedModel, ActorMixin):
    """A resident representative (居民代表, 002 L163) of a community, elected by a resident group.

    Stage 4 of the 4+2 method is voted by these representatives (002 L163 "社区组织35名居民代表召开
    居民代表大会"), and under dual-ballot voting the households each one links vote (002 L185
    "由居民代表所联系的居民户投票表决"), so the register says who they are and for how long. A
    representative is never deleted: the term ends (``ended_on``) and the links end with it.
    """

    place = models.ForeignKey("territory.Place", verbose_name=_("community"), on_delete=models.PROTECT,
                              related_name="+")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("resident"), on_delete=models.PROTECT,
                                 related_name="representative_terms")
    group_label = models.CharField(_("resident group"), max_length=64, blank=True)
    elected_on = models.DateField(_("elected on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident representative")
        verbose_name_plural = _("resident representatives")
        ordering = ["place", "group_label", "id"]
        constraints = [models.UniqueConstraint(fields=["resident"], condition=models.Q(ended_on__isnull=True),
                                               name="decisions_one_active_term_per_resident")]

    def __str__(self):
        return self.resident.name

    def save(self, *args, **kwargs):
        self.territory_code = self.place.code
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class RepresentativeHousehold(TimeStampedModel, ActorMixin):
    """A household a representative links (居民代表所联系的居民户, 002 L185): the register dual-ballot
    voting needs. A household has at most one active link (``unlinked_on`` empty); an ended link
    is kept so old household ballots still show who carried them."""

    representative = models.ForeignKey(ResidentRepresentative, verbose_name=_("representative"),
                                       on_delete=models.PROTECT, related_name="household_links")
    household = models.ForeignKey("residents.Household", verbose_name=_("household"), on_delete=models.PROTECT,
                                  related_name="representative_links")
    linked_on = models.DateField(_("linked on"))
    unlinked_on = models.DateField(_("unlinked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("linked household")
        verbose_name_plural = _("linked households")
        ordering = ["representative", "household__territory_code", "id"]
        constraints = [models.UniqueConstraint(fields=["household"], condition=models.Q(unlinked_on__isnull=True),
                                               name="decisions_one_active_representative_per_household")]

    def __str__(self):
        return f"{self.representative_id} · {self.household_id}"


class ResidentMeeting(ScopedModel, ActorMixin):
    """A meeting of residents: the resident representative meeting (居民代表会议), the resident
    assembly (居民会议) — either may carry stage 4 of the 4+2 method (002 L161) — or the monthly
    democratic deliberation (民主议事, 002 L185 "社区每月10日固定召开").

    Unlike a Party meeting its voters are residents, so the quorum is counted on ``basis``:
    residents aged 18+, household representatives, or the resident representatives
    (《城市居民委员会组织法》). ``eligible`` and ``present`` are recorded when it is held.
    """

    place = models.ForeignKey("territory.Place", verbose_name=_("community"), on_delete=models.PROTECT,
                              related_name="+")
    kind = models.CharField(_("kind"), max_length=40, choices=ResidentMeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=ResidentMeetingStatus.choices,
                              default=ResidentMeetingStatus.SCHEDULED)
    scheduled_on = models.DateField(_("scheduled on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    basis = models.CharField(_("attendance counted on"), max_length=32, choices=AttendanceBasis.choices, blank=True)
    eligible = models.PositiveIntegerField(_("eligible"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("resident meeting")
        verbose_name_plural = _("resident meetings")
        ordering = ["-scheduled_on", "-id"]
        indexes = [models.Index(fields=["territory_code", "kind", "scheduled_on"], name="decisions_rmeeting_month")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.territory_code = self.place.code
        super().save(*args, **kwargs)


class AgendaItem(TimeStampedModel, ActorMixin):
    """One item on a resident meeting's agenda (议程): tabled before the meeting (W-02 step 2),
    with what was said about it recorded when the meeting is held."""

    meeting = models.ForeignKey(ResidentMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="agenda_items")
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(_("item"), max_length=200)
    outcome = models.TextField(_("discussion"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]

    def __str__(self):
        return self.title


class ResidentVote(TimeStampedModel, ActorMixin):
    """A question put to the vote at a resident meeting (表决), classified ordinary, major (重大事务)
    or contested (意见分歧大) with the reason (W-02 step 3).

    ``yes``/``no``/``abstain`` are the votes of the representatives (or residents) present. A major
    or contested vote is decided by dual-ballot voting (双票表决制, 002 L185): the households linked
    to each representative vote too (:class:`HouseholdBallot`), and closing it without them is
    refused. The rule's numbers are frozen on the row when it closes (``quorum_*``,
    ``majority_ratio``, ``household_ratio``), so a later change of the defaults does not rewrite an
    old result. Closed votes are never edited.
    """

    meeting = models.ForeignKey(ResidentMeeting, verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="votes")
    agenda_item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="votes")
    matter = models.ForeignKey(DecisionMatter, verbose_name=_("matter"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="resident_votes")
    question = models.CharField(_("question"), max_length=300)
    classification = models.CharField(_("classification"), max_length=16, choices=VoteClassification.choices,
                                      default=VoteClassification.ORDINARY)
    classification_reason = models.CharField(_("reason for the classification"), max_length=300, blank=True)
    yes = models.PositiveIntegerField(_("yes"), default=0)
    no = models.PositiveIntegerField(_("no"), default=0)
    abstain = models.PositiveIntegerField(_("abstain"), default=0)
    status = models.CharField(_("status"), max_length=8, choices=ResidentVoteStatus.choices,
                              default=ResidentVoteStatus.OPEN)
    result = models.CharField(_("result"), max_length=16, choices=ResidentVoteResult.choices, blank=True)
    representatives_result = models.CharField(_("representatives' result"), max_length=16,
                                              choices=ResidentVoteResult.choices, blank=True)
    household_yes = models.PositiveIntegerField(_("household yes"), default=0)
    household_no = models.PositiveIntegerField(_("household no"), default=0)
    household_abstain = models.PositiveIntegerField(_("household abstain"), default=0)
    quorum_ratio = models.DecimalField(_("quorum (share of eligible)"), max_digits=5, decimal_places=4, null=True,
                                       blank=True)
    quorum_inclusive = models.BooleanField(_("quorum reached at exactly the share"), default=False)
    majority_ratio = models.DecimalField(_("majority (share of those present)"), max_digits=5, decimal_places=4,
                                         null=True, blank=True)
    household_ratio = models.DecimalField(_("household majority (share of ballots cast)"), max_digits=5,
                                          decimal_places=4, null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident vote")
        verbose_name_plural = _("resident votes")
        ordering = ["meeting", "id"]

    def __str__(self):
        return self.question

    @property
    def is_dual_ballot(self) -> bool:
        return self.classification in DUAL_BALLOT

    @property
    def counts(self) -> dict[str, int]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain}

    @property
    def household_counts(self) -> dict[str, int]:
        return {"yes": self.household_yes, "no": self.household_no, "abstain": self.household_abstain}


class HouseholdBallot(TimeStampedModel, ActorMixin):
    """One linked household's ballot in a dual-ballot vote (002 L185 "由居民代表所联系的居民户投票
    表决"), recorded through the representative who links it. One per household and vote; never
    edited (append-only, like every vote record)."""

    vote = models.ForeignKey(ResidentVote, verbose_name=_("vote"), on_delete=models.PROTECT,
                             related_name="household_ballots")
    household = models.ForeignKey("residents.Household", verbose_name=_("household"), on_delete=models.PROTECT,
                                  related_name="+")
    representative = models.ForeignKey(ResidentRepresentative, verbose_name=_("via representative"),
                                       on_delete=models.PROTECT, related_name="household_ballots")
    choice = models.CharField(_("choice"), max_length=8, choices=BallotChoice.choices)

    class Meta:
        verbose_name = _("household ballot")
        verbose_name_plural = _("household ballots")
        ordering = ["vote", "representative", "household__territory_code"]
        constraints = [models.UniqueConstraint(fields=["vote", "household"], name="decisions_household_ballot_once")]

    def __str__(self):
        return f"{self.vote_id} · {self.household_id} · {self.choice}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("household ballots are never edited")
        super().save(*args, **kwargs)
