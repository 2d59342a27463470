"""The case loop: one table for everything residents raise, grid workers find and communities
must settle (appeals, suggestions, psychological requests, grid events, disputes, emergencies),
with an append-only event trail, attachments and idempotency keys (issue 6).

Writes go through ``services`` only (architecture.md §4.1). The status is a django-fsm field so
that the allowed moves are declared next to the data; ``services.case_transition`` is the only
caller of the transition methods, under a row lock, with an event row in the same transaction.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jiayuan.core.models import ActorMixin, ScopedModel

from .choices import (
    OPEN_STATES,
    CaseChannel,
    CaseKind,
    CaseLevel,
    CaseStatus,
    EventKind,
    RoutingTarget,
    Visibility,
)

S = CaseStatus
# An escalated case is taken up again at the new level: it may be accepted there or assigned.
ASSIGNABLE = [S.ACCEPTED, S.ASSIGNED, S.REOPENED, S.ESCALATED]
REPLYABLE = [S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED, S.ESCALATED]


class Case(ScopedModel, ActorMixin):
    """One matter in the loop 接诉 → 交办 → 办理 → 办结 → 回访 → 评价.

    Why one table for six kinds: they share the loop, the deadlines in working days, the
    first-inquiry owner (首问责任人, 002 L69) and the escalation level by level (002 L135); the
    dispute and emergency modules hang their own records (screening, mediation, plans) on a case.

    ``owner`` is the staff member who accepted the case and answers for the first reply until the
    case is handed on; ``assigned_by`` may not close what they assigned. ``version`` is bumped by
    every transition: a caller that read version n and acts with ``expected_version=n`` loses
    with a conflict when somebody acted in between. ``due_on`` is the deadline of the current
    state; ``overdue`` says the case missed a deadline while open (set by the sweep, cleared when
    it is resolved). The reporter's phone is stored encrypted and shown masked; the public secret
    (for following the case without an account) is stored as a keyed hash only.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    category = models.CharField(_("category"), max_length=32, help_text=_("A code of cases/categories.toml."))
    tracking_no = models.CharField(_("tracking number"), max_length=20, unique=True, null=True, editable=False)  # noqa: DJ001 - NULL until the pk is known (unique)
    public_secret_hash = models.CharField(_("follow-up secret (hash)"), max_length=64, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=CaseChannel.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.ForeignKey(
        "territory.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="cases"
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                              validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                              validators=[MinValueValidator(-180), MaxValueValidator(180)])
    reporter_name = models.CharField(_("reporter"), max_length=64, blank=True)
    reporter_phone_cipher = models.TextField(_("reporter's phone (encrypted)"), blank=True, editable=False)
    reporter_phone_masked = models.CharField(_("reporter's phone"), max_length=16, blank=True, editable=False)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reporter's account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="reported_cases",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    status = FSMField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REPORTED)
    level = models.CharField(_("level"), max_length=16, choices=CaseLevel.choices, default=CaseLevel.COMMUNITY)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("first-inquiry owner"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="owned_cases",
    )
    assignee_target = models.CharField(_("assigned to unit"), max_length=32, choices=RoutingTarget.choices, blank=True)
    assignee_place = models.ForeignKey(
        "territory.Place", verbose_name=_("assigned to place"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_cases",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reply_due_on = models.DateField(_("reply due on"), null=True, blank=True)
    replied_on = models.DateField(_("first reply on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    deadline_provisional = models.BooleanField(_("provisional deadline"), default=False)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["territory_code", "status"], name="cases_scope_status"),
            models.Index(fields=["status", "due_on"], name="cases_status_due"),
            models.Index(fields=["category", "received_at"], name="cases_category_received"),
        ]

    def __str__(self):
        return f"{self.tracking_no or '-'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def category_label(self) -> str:
        from .categories import category_label

        return category_label(self.category)

    # -- transitions (called by services.case_transition only, under the row lock) ------------
    # Actions that do not move the status (reply, home visit, comment) have target=None.

    @transition(field=status, source=S.REPORTED, target=S.ACCEPTED)
    def fsm_accept(self):
        pass

    @transition(field=status, source=[S.REPORTED, S.ACCEPTED, S.ESCALATED], target=S.REJECTED)
    def fsm_reject(self):
        pass

    @transition(field=status, source=ASSIGNABLE, target=S.ASSIGNED)
    def fsm_assign(self):
        pass

    @transition(field=status, source=S.ASSIGNED, target=S.IN_PROGRESS)
    def fsm_start(self):
        pass

    @transition(field=status, source=REPLYABLE, target=None)
    def fsm_reply(self):
        pass

    @transition(field=status, source=[S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED, S.ESCALATED], target=None)
    def fsm_home_visit(self):
        pass

    @transition(field=status, source=[S.ASSIGNED, S.IN_PROGRESS], target=S.RESOLVED)
    def fsm_resolve(self):
        pass

    @transition(field=status, source=S.RESOLVED, target=S.VISITED)
    def fsm_visit(self):
        pass

    @transition(field=status, source=[S.VISITED, S.REJECTED, S.MERGED], target=S.CLOSED)
    def fsm_close(self):
        pass

    @transition(field=status, source=[S.RESOLVED, S.VISITED], target=S.REOPENED)
    def fsm_reopen(self):
        pass

    @transition(field=status, source=list(OPEN_STATES), target=S.ESCALATED)
    def fsm_escalate(self):
        pass

    @transition(field=status, source=list(OPEN_STATES), target=S.MERGED)
    def fsm_merge(self):
        pass

    @transition(field=status, source="*", target=None)
    def fsm_comment(self):
        pass


class CaseEvent(models.Model):
    """One step of a case: who did what, when, from which state to which, and who may read it.

    Append-only (issue 6: "no case can leave the loop without an event saying who closed it and
    why"): saving an existing row or deleting one is refused; a correction is a new comment. The
    rulebook reads these rows (first replies, visits), and the public page shows the public ones.
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    from_status = models.CharField(_("from status"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=16, choices=CaseStatus.choices, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "at"], name="cases_event_kind_at")]

    def __str__(self):
        return f"{self.case_id} · {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("case events are append-only; add a comment instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("case events are append-only")


class CaseAttachment(models.Model):
    """A photo (JPEG, PNG, WebP) or PDF of a case, checked by content, not by name: a file that
    only claims to be an image is refused (issue 6, "must never happen"). At most
    ``services.MAX_ATTACHMENTS`` per case and ``services.MAX_ATTACHMENT_BYTES`` each."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=32)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return Path(self.file.name).name

    @property
    def filename(self) -> str:
        return Path(self.file.name).name


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` for one case submission, so a double click or a retry
    returns the first case instead of making a second (issue 6). ``client`` is ``user:<id>`` for a
    signed-in caller, ``addr:<address>`` for an anonymous one; ``fingerprint`` is a hash of the
    submitted content, so the same key with different content is refused, not silently replayed."""

    key = models.CharField(_("key"), max_length=128)
    client = models.CharField(_("client"), max_length=160)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["key", "client"], name="cases_unique_idempotency_key")]

    def __str__(self):
        return f"{self.client} · {self.key}"
