"""Places: district → street → community → grid → building → unit (households live in units).

One table for the whole tree, because every level is the same kind of thing (a named node with
a hierarchical code) and the UI and scoping treat them alike. Level-specific data (a grid's
boundary, a building's responsible worker and compound) are nullable columns.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import TimeStampedModel

from .choices import CHILD_KIND, CODE_LENGTH, PARENT_KIND, PlaceKind


class Place(TimeStampedModel):
    """A node of the territory tree with its hierarchical code.

    The code starts with the parent's code (6-digit county, +3 street, +3 community, +3 grid,
    +3 building, +2 unit), so "in my area" is ``code LIKE 'prefix%'`` on an index.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices, db_index=True)
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # grid only: GeoJSON Polygon or MultiPolygon (WGS 84)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    # building only
    compound = models.ForeignKey(
        "Compound", verbose_name=_("compound"), null=True, blank=True, on_delete=models.SET_NULL, related_name="buildings"
    )
    responsible_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_buildings",
        help_text=_("包楼包片: the worker who answers for this building."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def territory_code(self) -> str:
        return self.code

    def clean(self):
        errors = {}
        expected = CODE_LENGTH.get(self.kind)
        if expected and (len(self.code or "") != expected or not re.fullmatch(r"\d+", self.code or "")):
            errors["code"] = _("A {kind} code has {n} digits.").format(kind=self.get_kind_display(), n=expected)
        parent_kind = PARENT_KIND.get(self.kind)
        if parent_kind is None and self.parent_id:
            errors["parent"] = _("A district has no parent place.")
        elif parent_kind is not None:
            if not self.parent_id:
                errors["parent"] = _("This place needs a parent.")
            elif self.parent.kind != parent_kind:
                errors["parent"] = _("The parent of a {kind} must be a {parent}.").format(
                    kind=self.get_kind_display(), parent=PlaceKind(parent_kind).label
                )
            elif self.code and not self.code.startswith(self.parent.code):
                errors["code"] = _("The code must start with the parent's code {code}.").format(code=self.parent.code)
        if self.boundary is not None and self.kind != PlaceKind.GRID:
            errors["boundary"] = _("Only grids have a boundary.")
        if self.boundary is not None:
            from .geo import validate_boundary

            try:
                validate_boundary(self.boundary)
            except ValidationError as exc:
                errors["boundary"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def child_kind(self):
        return CHILD_KIND.get(self.kind)


class Compound(TimeStampedModel):
    """A residential compound (小区) inside a community. Optional, and outside the code chain:
    its buildings may sit in several grids (the demo compound 平庄花园 spans four)."""

    community = models.ForeignKey(
        Place,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="compounds",
        limit_choices_to={"kind": PlaceKind.COMMUNITY},
    )
    name = models.CharField(_("name"), max_length=100)
    territory_code = models.CharField(_("territory code"), max_length=32, db_index=True, editable=False)

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="unique_compound_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.territory_code = self.community.code
        super().save(*args, **kwargs)
