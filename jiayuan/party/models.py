"""Party organizations, members and the movements that must never lose a member.

The seeds' first concern (001 L21) is that 「党员关系不漏、党的组织生活不断」: every member is in
exactly one organization at any time (``Member.organization``), a transfer moves the relationship
only when the receiving side confirms (``Transfer``), and mobile members, "pocket" members and
applicants each have their own register. Every row carries the ``territory_code`` of the place
its organization serves, so scoping is a prefix scan like everywhere else (architecture.md §5).
Only ``jiayuan.party.services`` writes these tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import ActorMixin, ScopedModel, TimeStampedModel
from jiayuan.residents.choices import Sex

from .choices import (
    ContactChannel,
    ContactKind,
    HostKind,
    LeftReason,
    ManagementMode,
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


class Organization(ScopedModel, ActorMixin):
    """A Party organization (``party_org``): committee, general branch, branch, group, or one of
    the special forms (联合党委 004 L70, 大党委 003 L293, temporary and mobile-member branches).

    A member organization of a joint or grand committee (联合党委, 大党委) has that committee as its
    ``parent`` and keeps its own superior in ``dual_supervisor`` (双重管理, 004 L70).

    ``code`` is "P" + the 12-digit community code (or the code of the place served) + a 2-digit
    sequence, given by ``services.organization_create``. ``approved_by`` names the approving body
    (e.g. 街道党工委, 002 L39). ``term_years`` empty means the rulebook's term (N-ORG-03, three
    years, 002 L113). An organization is never deleted; it is dissolved (``dissolved_on``).
    """

    code = models.CharField(_("code"), max_length=15, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    org_type = models.CharField(_("type"), max_length=32, choices=OrgType.choices)
    host_kind = models.CharField(_("host"), max_length=16, choices=HostKind.choices, default=HostKind.COMMUNITY)
    host_name = models.CharField(_("host name"), max_length=100, blank=True, help_text=_("e.g. the stationed unit"))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    place = models.ForeignKey(
        "territory.Place", verbose_name=_("place served"), on_delete=models.PROTECT, related_name="party_orgs"
    )
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True, help_text=_("e.g. 街道党工委"))
    approval_ref = models.CharField(_("approval reference"), max_length=100, blank=True)
    dual_supervisor = models.CharField(
        _("also managed by"), max_length=100, blank=True,
        help_text=_("Dual management (双重管理, 004 L70): the unit's own Party organization it still reports to."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"), null=True, blank=True, help_text=_("Empty: the rulebook's term (three years).")
    )

    class Meta:
        verbose_name = _("Party organization")
        verbose_name_plural = _("Party organizations")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.territory_code = self.place.code
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class Member(ScopedModel, ActorMixin):
    """A Communist Party member (``member``) and the one organization holding their relationship.

    ``organization`` is the only link that says where the member belongs ("a member is always in
    exactly one organization", W-32); it changes only through ``services.transfer_receive``.
    ``group`` is the Party group inside that organization, where groups exist (W-35). The
    resident link is optional: members who do not live in the community are still members here.
    The phone is stored encrypted and shown masked, like residents' phones. A member who leaves
    (died, expelled, transferred out of the system) keeps the row with ``left_on``.
    """

    full_name = models.CharField(_("full name"), max_length=64)
    resident = models.ForeignKey(
        "residents.Resident", verbose_name=_("resident"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="party_memberships",
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="members"
    )
    group = models.ForeignKey(
        Organization, verbose_name=_("Party group"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="group_members", limit_choices_to={"org_type": OrgType.PARTY_GROUP},
    )
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.FULL)
    joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    management_mode = models.CharField(
        _("management mode"), max_length=16, choices=ManagementMode.choices, default=ManagementMode.DIRECT
    )
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    work_unit_party_org = models.CharField(_("Party organization of the work unit"), max_length=100, blank=True)
    skills = models.TextField(_("skills"), blank=True, help_text=_("For the member resource archive (001 L21)."))
    phone_cipher = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    dues_base = models.DecimalField(
        _("monthly income for dues (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True,
        help_text=_("The base the dues rate applies to (party_rules.toml)."),
    )
    dues_monthly = models.DecimalField(
        _("monthly dues (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True, editable=False,
        help_text=_("Set by the dues rule from the base and the member's categories."),
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=16, choices=LeftReason.choices, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["territory_code", "full_name", "id"]
        indexes = [models.Index(fields=["territory_code", "left_on"], name="party_member_scope")]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=models.Q(left_on__isnull=True, resident__isnull=False),
                name="party_member_one_per_resident",
            )
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.territory_code = self.organization.territory_code
        if kwargs.get("update_fields") is not None and "organization" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "territory_code"}
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class OrganizationOfficer(ScopedModel, ActorMixin):
    """A member holding a post in an organization (书记, 副书记, 委员, 党小组长) for a period.
    Ending a post sets ``ended_on``; the row stays as the history of who served."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="officers"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="posts")
    post = models.CharField(_("post"), max_length=32, choices=OfficerPost.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["organization", "post", "started_on"]

    def __str__(self):
        return f"{self.organization} · {self.get_post_display()} · {self.member}"

    def save(self, *args, **kwargs):
        self.territory_code = self.organization.territory_code
        super().save(*args, **kwargs)


class Election(ScopedModel, ActorMixin):
    """An election of an organization's committee (换届选举, 003 L291) and the term it opens.
    ``term_end`` is computed from the rulebook's term (N-ORG-03, 002 L113「三年一换届」)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="elections"
    )
    held_on = models.DateField(_("held on"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    votes_cast = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    eligible = models.PositiveIntegerField(_("eligible voters"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["organization", "-held_on"]

    def __str__(self):
        return f"{self.organization} · {self.held_on.isoformat()}"

    def save(self, *args, **kwargs):
        self.territory_code = self.organization.territory_code
        super().save(*args, **kwargs)


class Transfer(ScopedModel, ActorMixin):
    """A transfer of a member's organizational relationship (组织关系接转, W-32).

    Pending until the receiving side confirms; only then does ``Member.organization`` change
    (``services.transfer_receive``). ``territory_code`` is the releasing side's (or, for a
    transfer in from outside, the receiving side's); ``to_territory_code`` lets the receiving
    side see it too. A member has at most one pending transfer (constraint).
    """

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=16, choices=TransferKind.choices)
    from_org = models.ForeignKey(
        Organization, verbose_name=_("from organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    from_outside_name = models.CharField(_("from (outside the system)"), max_length=100, blank=True)
    to_org = models.ForeignKey(
        Organization, verbose_name=_("to organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    to_outside_name = models.CharField(_("to (outside the system)"), max_length=100, blank=True)
    to_territory_code = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    requested_on = models.DateField(_("requested on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING, db_index=True
    )
    receipt_no = models.CharField(_("receipt number"), max_length=64, blank=True)
    handover = models.ForeignKey(
        "EnterpriseHandover", verbose_name=_("enterprise handover"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="transfers",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("membership transfer")
        verbose_name_plural = _("membership transfers")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(status="pending"), name="party_transfer_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.from_label} → {self.to_label}"

    @property
    def from_label(self) -> str:
        return self.from_org.name if self.from_org_id else self.from_outside_name

    @property
    def to_label(self) -> str:
        return self.to_org.name if self.to_org_id else self.to_outside_name


class MobileMemberRecord(ScopedModel, ActorMixin):
    """A mobile member (流动党员, 002 L107, W-31): who left for where, the origin Party org that
    keeps the relationship and, once known, the host Party org where they live or work now.
    ``last_verified_on`` is refreshed at each contact (W-31: screened at dues collection)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="mobile_records"
    )
    outflow_org = models.ForeignKey(
        Organization, verbose_name=_("origin Party organization"), on_delete=models.PROTECT, related_name="+"
    )
    inflow_org = models.ForeignKey(
        Organization, verbose_name=_("host Party organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    inflow_org_name = models.CharField(_("host Party organization (outside)"), max_length=100, blank=True)
    left_on = models.DateField(_("left on"))
    destination = models.CharField(_("destination"), max_length=100)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)

    class Meta:
        verbose_name = _("mobile member")
        verbose_name_plural = _("mobile members")
        ordering = ["-left_on", "-id"]

    def __str__(self):
        return f"{self.member} → {self.destination}"

    def save(self, *args, **kwargs):
        self.territory_code = self.outflow_org.territory_code
        super().save(*args, **kwargs)

    @property
    def inflow_label(self) -> str:
        return self.inflow_org.name if self.inflow_org_id else self.inflow_org_name


class MemberContact(TimeStampedModel, ActorMixin):
    """One contact with a mobile member (动态联系, 003 L433). Append-only."""

    record = models.ForeignKey(
        MobileMemberRecord, verbose_name=_("mobile member"), on_delete=models.CASCADE, related_name="contacts"
    )
    contacted_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices, default=ContactKind.CONTACT)
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    note = models.TextField(_("note"), blank=True)
    by_name = models.CharField(_("by"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-contacted_on", "-id"]

    def __str__(self):
        return f"{self.record_id} · {self.contacted_on}"


class PocketMemberLead(ScopedModel, ActorMixin):
    """A person believed to be a "pocket" member ('口袋'党员, 003 L435-439): a member living here
    whose relationship was never handed in. Found → contacted → received (intake by transfer)
    or closed. ``place`` is the community where they were found."""

    full_name = models.CharField(_("full name"), max_length=64)
    resident = models.ForeignKey(
        "residents.Resident", verbose_name=_("resident"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.ForeignKey("territory.Place", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField(_("found on"))
    relationship_at = models.CharField(_("where the relationship is"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PocketLeadStatus.choices, default=PocketLeadStatus.FOUND
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The member record once the relationship is received."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("pocket-member lead")
        verbose_name_plural = _("pocket-member leads")
        ordering = ["-found_on", "-id"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.territory_code = self.place.code
        super().save(*args, **kwargs)


class PocketMemberFollowUp(TimeStampedModel, ActorMixin):
    """One follow-up visit or call on a pocket-member lead (走访). Append-only."""

    lead = models.ForeignKey(PocketMemberLead, on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.lead_id} · {self.on}"


class DuesPayment(ScopedModel, ActorMixin):
    """One line of the dues ledger (党费收缴, 003 L311). Append-only: a wrong line is corrected by
    a new line that ``reverses`` it with the opposite amount, never by an edit (architecture §4.5).
    ``month`` is the first day of the month paid for."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues")
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    receipt_no = models.CharField(_("receipt number"), max_length=64, blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-month", "member", "id"]
        indexes = [models.Index(fields=["territory_code", "month"], name="party_dues_scope_month")]

    def __str__(self):
        return f"{self.member_id} · {self.month:%Y-%m} · {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("dues payments are append-only; record a reversal instead")
        super().save(*args, **kwargs)


class Applicant(ScopedModel, ActorMixin):
    """A person in the recruitment pipeline (发展党员, 003 L303, W-33): applicant → activist →
    development candidate → probationary → full, with the date of each step. Steps move only
    through ``services.recruitment_advance``, which refuses out-of-order or early steps."""

    full_name = models.CharField(_("full name"), max_length=64)
    resident = models.ForeignKey(
        "residents.Resident", verbose_name=_("resident"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="applicants"
    )
    stage = models.CharField(
        _("stage"), max_length=32, choices=RecruitmentStage.choices, default=RecruitmentStage.APPLICANT
    )
    applied_on = models.DateField(_("applied on"))
    activist_on = models.DateField(_("activist since"), null=True, blank=True)
    talked_on = models.DateField(_("talk with the organization on"), null=True, blank=True)
    candidate_on = models.DateField(_("development candidate since"), null=True, blank=True)
    training_days = models.PositiveSmallIntegerField(_("days of concentrated training"), default=0)
    political_review_on = models.DateField(_("political review completed on"), null=True, blank=True)
    notice_on = models.DateField(_("public notice started on"), null=True, blank=True)
    admitted_on = models.DateField(_("admitted (probationary) on"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["organization", "full_name", "id"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.territory_code = self.organization.territory_code
        super().save(*args, **kwargs)


class MemberPost(ScopedModel, ActorMixin):
    """A post for a member without post (设岗定责, 002 L97 「科学设岗、自愿认岗、组织定岗、公示明岗、
    考核评岗」): the organization designs the post, a member claims it, the organization confirms
    it, it is publicly announced, and it is assessed. Each step has its date; the steps move only
    through ``services.post_*`` in that order."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="posts_designed"
    )
    title = models.CharField(_("post"), max_length=100, help_text=_("e.g. 楼栋长, 政策宣传岗, 环境监督岗"))
    duties = models.TextField(_("duties"), blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=PostStage.choices, default=PostStage.DESIGNED)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.PROTECT, related_name="member_posts"
    )
    designed_on = models.DateField(_("designed on"))
    claimed_on = models.DateField(_("claimed on"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    assessment = models.CharField(_("assessment"), max_length=16, choices=PostAssessment.choices, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("post for a member without post")
        verbose_name_plural = _("posts for members without posts")
        ordering = ["organization", "title", "id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.territory_code = self.organization.territory_code
        super().save(*args, **kwargs)


class ReportIn(ScopedModel, ActorMixin):
    """An in-service member reporting to the community where they live (双报到 / 在职党员进社区,
    003 L303): the community they serve, what they pledge, and the feedback sent to their work
    unit's Party organization. ``territory_code`` is the community's, so the community sees the
    members who report to it even when their relationship is elsewhere."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="report_ins")
    community = models.ForeignKey("territory.Place", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("reported on"))
    pledge = models.TextField(_("service pledge"), blank=True)
    feedback_sent_on = models.DateField(_("feedback sent to the work unit on"), null=True, blank=True)
    feedback = models.TextField(_("feedback to the work unit"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("report-in")
        verbose_name_plural = _("report-ins")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "community"], condition=models.Q(ended_on__isnull=True),
                name="party_reportin_one_active",
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.community}"

    def save(self, *args, **kwargs):
        self.territory_code = self.community.code
        super().save(*args, **kwargs)


class EnterpriseHandover(ScopedModel, ActorMixin):
    """Members of a restructured enterprise handed over to the community (002 L25: 「企业改制后移交
    社区的党员」), with the funds and premises that follow them. Each member's relationship still
    moves by its own ``Transfer`` (``Transfer.handover``), so no one is lost in the batch."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("receiving organization"), on_delete=models.PROTECT, related_name="handovers"
    )
    enterprise = models.CharField(_("enterprise"), max_length=100)
    handed_over_on = models.DateField(_("handed over on"))
    funds = models.DecimalField(_("funds transferred (yuan)"), max_digits=12, decimal_places=2, default=0)
    premises = models.CharField(_("premises"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("enterprise handover")
        verbose_name_plural = _("enterprise handovers")
        ordering = ["-handed_over_on", "-id"]

    def __str__(self):
        return self.enterprise

    def save(self, *args, **kwargs):
        self.territory_code = self.organization.territory_code
        super().save(*args, **kwargs)
