"""What the rulebook stores: parameter overrides per area, and reminders sent to people.

The rules themselves are files in the repository (``rules/*.toml``): they change with the code
and are reviewed like code. What differs from place to place (a district asks for a Party
lecture every year instead of every half year, 002 L93 vs 003 L319) is data: an override of one
parameter of one rule for one subtree of the territory, audited, with who set it and why.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import TimeStampedModel

from .choices import ReminderKind


class RuleOverride(TimeStampedModel):
    """One parameter of one rule set to another value for a place and everything below it.

    The override nearest to the subject wins (the longest territory code that is a prefix of the
    subject's code); ``territory_code`` "" applies everywhere. Written only by
    ``services.rule_override_set`` / ``rule_override_clear``; every change is in the audit log.
    """

    rule_id = models.CharField(_("rule"), max_length=32, db_index=True)
    parameter = models.CharField(_("parameter"), max_length=32)
    territory_code = models.CharField(_("territory code"), max_length=32, db_index=True, blank=True)
    place = models.ForeignKey(
        "territory.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.JSONField(_("value"))
    reason = models.CharField(_("reason"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rule parameter override")
        verbose_name_plural = _("rule parameter overrides")
        constraints = [
            models.UniqueConstraint(fields=["rule_id", "parameter", "territory_code"], name="unique_rule_override"),
        ]

    def __str__(self):
        return f"{self.rule_id}.{self.parameter}@{self.territory_code or '*'} = {self.value}"


class Reminder(TimeStampedModel):
    """A note on a person's home page that an obligation falls due soon, or that one below them
    is overdue. Made by the daily sweep (``tasks.norms_reminders``), at most once per person,
    rule, subject, window and kind, so re-running the sweep sends nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="norm_reminders")
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    rule_id = models.CharField(_("rule"), max_length=32)
    subject_code = models.CharField(_("subject"), max_length=32, db_index=True)
    subject_name = models.CharField(_("subject name"), max_length=100)
    window_label = models.CharField(_("period"), max_length=32)
    due_on = models.DateField(_("due on"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "rule_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "rule_id", "subject_code", "window_label"], name="unique_reminder"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="reminder_user_unread")]

    def __str__(self):
        return f"{self.user} · {self.rule_id} · {self.subject_name} · {self.window_label}"
