"""The disclosure board's one record: a disclosure item (党务公开、居务公开事项).

The seeds' promise is "给群众一个明白,还自己一个清白" (002 L173): what was posted stays as it was
posted. So a published item is immutable — :meth:`DisclosureItem.save` refuses any change to it
except its withdrawal — and a correction is a new row (``version`` + 1, ``supersedes`` the old
one, ``change_note`` saying what changed). A withdrawn item keeps its reason and stays in the
public history. Maker-checker: ``created_by`` drafts, a different ``approved_by`` approves.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import ActorMixin, ScopedModel

from .choices import Kind, Section, Status, Timing

FROZEN_STATUSES = frozenset({Status.PUBLISHED, Status.WITHDRAWN})
# The only columns a published row may still change: its withdrawal.
WITHDRAW_FIELDS = frozenset({"status", "withdrawn_reason", "withdrawn_on", "updated_at"})


class DisclosureItem(ScopedModel, ActorMixin):
    """One item on a community's public board (002 L177-179, 003 L329).

    ``section`` is the board column, ``timing`` the class of 002 L177 (standing / periodic /
    immediate), ``kind`` what the rulebook counts (``quarterly``). ``territory_code`` is the
    community's code, so street and district see their communities' items by prefix.
    """

    community = models.ForeignKey(
        "territory.Place", verbose_name=_("community"), on_delete=models.PROTECT, related_name="disclosure_items"
    )
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    timing = models.CharField(_("timing"), max_length=16, choices=Timing.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    publisher = models.CharField(_("publishing organization"), max_length=120)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.ForeignKey(
        "self", verbose_name=_("supersedes"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="corrections",
    )
    change_note = models.TextField(_("what changed"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # A departure audit (离任审计, 002 L179, W-43) names the post of the cadre audited and the
    # period the audit covers; required for that kind, empty for every other kind.
    cadre_post = models.CharField(_("post of the cadre audited"), max_length=100, blank=True)
    audit_from = models.DateField(_("audit period from"), null=True, blank=True)
    audit_to = models.DateField(_("audit period to"), null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(created_by__isnull=True) | ~Q(approved_by=F("created_by")),
                name="disclosure_checker_not_maker",
            ),
        ]
        indexes = [models.Index(fields=["territory_code", "status", "published_on"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.status if "status" in field_names else None
        return instance

    def save(self, *args, **kwargs):
        """Refuse any write to a published or withdrawn row other than its withdrawal."""
        loaded = getattr(self, "_loaded_status", None)
        if self.pk and loaded in FROZEN_STATUSES:
            fields = kwargs.get("update_fields")
            if loaded == Status.WITHDRAWN or fields is None or not set(fields) <= WITHDRAW_FIELDS:
                raise ValidationError(_("A published item cannot be changed; publish a correction instead."))
        super().save(*args, **kwargs)
        self._loaded_status = self.status


class DisclosureFeedback(models.Model):
    """A resident's question or objection about one item (意见箱, 002 L179), as a link to the case
    it became in the closed loop (``jiayuan.cases``; category ``disclosure_feedback``).

    The case holds everything else — the text, the reporter's name and phone (encrypted), the
    handling and its result — so there is one loop and one write path for feedback. The item's
    public page shows the feedback received and, once the case is resolved, the result the case
    recorded (W-42 RESULT_DISCLOSED), masked. Append-only: a link is never edited.
    """

    item = models.ForeignKey(DisclosureItem, verbose_name=_("disclosure item"), on_delete=models.PROTECT,
                             related_name="feedback")
    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                                related_name="disclosure_feedback")
    territory_code = models.CharField(_("territory code"), max_length=32, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback on a disclosure")
        verbose_name_plural = _("feedback on disclosures")

    def __str__(self) -> str:
        return f"{self.item_id} · {self.case_id}"
