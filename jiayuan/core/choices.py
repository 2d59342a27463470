"""Choices of the core app: lower-case English codes in the database, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDayKind(models.TextChoices):
    """What a stored calendar day is: a day off on a weekday (休息日, 法定节假日) or a weekend day
    worked to make up for a holiday (调休上班)."""

    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Make-up working day")
