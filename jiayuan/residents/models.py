"""People and households: the registry every other capability hangs on.

Seed 002 L71 asks community cadres to know "每个户主的姓名,家里有几口人,有什么困难"; 003 L491-493
asks that incomplete records be completed. So households have a head and a hardship status, and
every record carries a completeness score grid workers can act on.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.accounts.choices import Sensitivity
from jiayuan.core.i18n import bilingual
from jiayuan.core.models import ActorMixin, ScopedModel, TimeStampedModel

from .choices import (
    EDUCATION_CHOICES,
    ETHNICITY_CHOICES,
    POLITICAL_STATUS_CHOICES,
    RELATION_CHOICES,
    EmploymentStatus,
    HardshipStatus,
    MoveKind,
    ResidenceType,
    ResidentStatus,
    Sex,
)


class Household(ScopedModel, ActorMixin):
    """A dwelling (户/房号) in a unit, with its head and hardship.

    ``territory_code`` is the unit code plus a 4-digit room number, so a household is the
    deepest node a resident belongs to.
    """

    unit = models.ForeignKey(
        "territory.Place", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="households"
    )
    room = models.CharField(_("room number"), max_length=16)
    head = models.ForeignKey(
        "Resident", verbose_name=_("household head"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hardship_status = models.CharField(
        _("hardship"), max_length=16, choices=HardshipStatus.choices, default=HardshipStatus.UNKNOWN
    )
    hardship_cause = models.CharField(_("hardship cause"), max_length=200, blank=True)
    completeness = models.PositiveSmallIntegerField(_("record completeness (%)"), default=0)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["territory_code"]
        constraints = [models.UniqueConstraint(fields=["unit", "room"], name="unique_household_room")]

    def __str__(self):
        return self.address

    @property
    def address(self) -> str:
        unit = self.unit
        building = unit.parent
        return f"{building.name}{unit.name}{self.room}"

    @property
    def grid_code(self) -> str:
        return self.territory_code[:15]


class SpecialGroup(models.Model):
    """A category of residents needing care or management (特殊人群), e.g. elders living alone
    or people under community correction, with how sensitive the fact is."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=80)
    sensitivity = models.PositiveSmallIntegerField(_("sensitivity"), choices=Sensitivity.choices)
    source = models.CharField(_("source"), max_length=40, blank=True, help_text=_("Seed line, e.g. 002 L149"))

    class Meta:
        verbose_name = _("special group")
        verbose_name_plural = _("special groups")
        ordering = ["sensitivity", "code"]

    def __str__(self):
        return str(self.name)

    @property
    def name(self):
        return bilingual(self.name_zh, self.name_en)


class Resident(ScopedModel, ActorMixin):
    """A person living in (or registered to) the territory.

    Identity and phone numbers are stored encrypted with a blind index for lookups and a masked
    copy for display; only ``services.resident_reveal`` decrypts, and it logs who and why.
    Birth date and sex are derived from the identity number.
    """

    name = models.CharField(_("name"), max_length=64)
    # character bigrams of the name, for fragment search at scale (residents/search.py)
    name_grams = models.CharField(max_length=255, blank=True, editable=False)
    id_number_cipher = models.TextField(_("identity number (encrypted)"), editable=False)
    # Unique through Meta.constraints, not unique=True: on PostgreSQL a field-level unique
    # CharField also gets a LIKE index, useless for a hash and costly on every insert.
    id_number_index = models.CharField(max_length=64, editable=False)
    id_number_masked = models.CharField(_("identity number"), max_length=24, editable=False)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITY_CHOICES, blank=True)
    political_status = models.CharField(_("political status"), max_length=2, choices=POLITICAL_STATUS_CHOICES, blank=True)
    phone_cipher = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    residence_type = models.CharField(_("residence type"), max_length=16, choices=ResidenceType.choices, blank=True)
    education = models.CharField(_("education"), max_length=2, choices=EDUCATION_CHOICES, blank=True)
    employment_status = models.CharField(
        _("employment status"), max_length=16, choices=EmploymentStatus.choices, blank=True
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    relation_to_head = models.CharField(_("relation to head"), max_length=2, choices=RELATION_CHOICES, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE)
    tags = models.ManyToManyField(SpecialGroup, through="ResidentTag", related_name="residents", blank=True)
    completeness = models.PositiveSmallIntegerField(_("record completeness (%)"), default=0)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_profile",
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["territory_code", "id"]
        indexes = [
            models.Index(fields=["territory_code", "completeness"], name="resident_scope_complete"),
            models.Index(fields=["phone_index"], name="resident_phone_index"),
        ]
        constraints = [models.UniqueConstraint(fields=["id_number_index"], name="resident_id_number_unique")]

    def __str__(self):
        return self.name

    @property
    def grid_code(self) -> str:
        return self.territory_code[:15]

    def save(self, *args, **kwargs):
        from .search import name_grams

        self.name_grams = name_grams(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_grams"}
        super().save(*args, **kwargs)

    # Fields that make a record complete (003 L491-493: 信息不全 → 重新补录).
    COMPLETENESS_FIELDS = (
        "name", "id_number_index", "phone_index", "ethnicity", "political_status", "residence_type",
        "education", "employment_status", "household_id", "relation_to_head",
    )

    def compute_completeness(self) -> int:
        filled = sum(1 for f in self.COMPLETENESS_FIELDS if getattr(self, f))
        return round(100 * filled / len(self.COMPLETENESS_FIELDS))

    def missing_fields(self) -> list[str]:
        names = {"id_number_index": "id_number_masked", "phone_index": "phone_masked", "household_id": "household"}
        return [
            str(self._meta.get_field(names.get(f, f)).verbose_name)
            for f in self.COMPLETENESS_FIELDS
            if not getattr(self, f)
        ]


class ResidentTag(TimeStampedModel, ActorMixin):
    """A resident's membership of a special group, with since when and a note."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="tag_links")
    group = models.ForeignKey(SpecialGroup, on_delete=models.PROTECT, related_name="+")
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("special-group tag")
        verbose_name_plural = _("special-group tags")
        constraints = [models.UniqueConstraint(fields=["resident", "group"], name="unique_resident_tag")]

    def __str__(self):
        return f"{self.resident_id}:{self.group_id}"


class ResidentMove(models.Model):
    """One move in, out or within the area (动态管理). Append-only: the history of where a
    person lived is never overwritten, only added to."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(_("kind"), max_length=16, choices=MoveKind.choices)
    from_household = models.ForeignKey(
        Household, verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_household = models.ForeignKey(
        Household, verbose_name=_("to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_code = models.CharField(max_length=32, blank=True)
    to_code = models.CharField(max_length=32, blank=True)
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"
