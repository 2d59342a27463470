"""Base models shared by every app, and the stored days of the working-day calendar."""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import CalendarDayKind


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


class CalendarDay(TimeStampedModel, ActorMixin):
    """One day whose working status differs from the library or from the Monday–Friday rule.

    Deadlines such as the first-contact reply "时限不超过5个工作日" (002 L69) count China's working
    days: public holidays are off and some weekends are worked (调休). ``chinesecalendar`` knows the
    official arrangement only for the years it was released with; each December the State Council
    publishes the next year's (国务院办公厅关于部分节假日安排的通知), and an administrator enters it
    here, or corrects a library day. A stored row always wins over the library
    (``jiayuan.core.workdays``).
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=64, blank=True, help_text=_("e.g. 国庆节"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.kind} {self.name}".strip()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The year the row had when loaded: moving a day to another year changes both years.
        instance._loaded_year = instance.date.year if "date" in field_names and instance.date else None
        return instance


class CalendarYear(TimeStampedModel, ActorMixin):
    """An administrator's statement that the stored days of a year are its complete official
    arrangement (the State Council notice named in ``source``).

    Without it, a year the library does not cover is counted Monday to Friday and every deadline
    that crosses it is *provisional*: "5 working days" (002 L69) may move once the holidays are
    known. With ``complete`` set, weekends are off, weekdays on, the year's CalendarDay rows apply,
    and its deadlines are final.
    """

    year = models.PositiveIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(9999)]
    )
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_("The stored days of this year are the complete official arrangement."),
    )
    source = models.TextField(_("source"), blank=True, help_text=_("e.g. the State Council notice and its date"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_year = instance.year if "year" in field_names else None
        return instance


auditlog.register(CalendarDay, exclude_fields=["created_at", "updated_at"])
auditlog.register(CalendarYear, exclude_fields=["created_at", "updated_at"])

# Connects the cache invalidation and the ``calendar_changed`` signal to these two models.
from jiayuan.core import workdays as _workdays  # noqa: E402, F401
