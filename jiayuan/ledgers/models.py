"""Register (台账) imports: one row per uploaded file, with its outcome and error report.

Communities keep their registers in Excel; an import is the auditable act of bringing one in.
The job row is written outside the import's transaction, so it survives a refused or failed
import and tells the user what happened.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import TimeStampedModel

from .choices import ImportStatus


class ResidentImport(TimeStampedModel):
    """One import of a residents register (CSV or .xlsx), run by the background worker."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows in file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("residents added"), default=0)
    updated_count = models.PositiveIntegerField(_("residents updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("residents unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("first errors"), default=list, blank=True)
    report = models.FileField(_("error report"), upload_to="imports/reports/%Y/%m/", blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("residents import")
        verbose_name_plural = _("residents imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.REFUSED, ImportStatus.FAILED)
