"""Base models shared by every app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and change times on every registry row, so lists can sort by recency and the
    audit log can be cross-checked against the row itself."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ScopedModel(TimeStampedModel):
    """A row that belongs to a place in the territory tree.

    ``territory_code`` is the code of the deepest place the row belongs to (architecture.md §5).
    Storing it on the row, indexed, makes "everything in my area" a prefix range scan instead of
    a join through six tables.
    """

    territory_code = models.CharField(_("territory code"), max_length=32, db_index=True, editable=False)

    class Meta:
        abstract = True


class ActorMixin(models.Model):
    """Who created the row (the audit log holds every later change)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True
