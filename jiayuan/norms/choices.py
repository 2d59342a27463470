from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """What the evaluator says of one rule for one subject and period."""

    MET = "met", _("Met")
    UNMET = "unmet", _("Not met")
    NOT_DUE = "not_due", _("Not yet due")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NOT_EVALUABLE = "not_evaluable", _("Not evaluable yet")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class RuleKind(models.TextChoices):
    FREQUENCY = "frequency", _("Frequency")
    QUOTA = "quota", _("Quota")
    DEADLINE = "deadline", _("Deadline")
    NOTICE_PERIOD = "notice_period", _("Notice period")
    COMPOSITION = "composition", _("Composition")
    THRESHOLD = "threshold", _("Threshold")
    SEQUENCE = "sequence", _("Sequence")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half year")
    YEAR = "year", _("Year")
    TWO_YEARS = "two_years", _("Two years")
    NONE = "none", _("Standing")
