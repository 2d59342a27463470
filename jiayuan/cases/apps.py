from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Appeals, grid events, disputes and emergencies in one closed loop (issue 6)."""

    name = "jiayuan.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from auditlog.registry import auditlog

        from jiayuan.core.workdays import calendar_changed

        from . import models, services

        # Provisional deadlines are counted again when holiday data arrives (issue 4).
        calendar_changed.connect(services._on_calendar_changed, dispatch_uid="cases-recompute-deadlines")

        # Field changes of a case are in the audit log too (the events say why; the log says
        # exactly what changed). The cipher and the secret's hash are never logged.
        auditlog.register(models.Case, exclude_fields=[
            "reporter_phone_cipher", "public_secret_hash", "created_at", "updated_at",
        ])
