from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "jiayuan.disclosure"
    label = "disclosure"
    verbose_name = _("Public disclosure")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.DisclosureItem, exclude_fields=["created_at", "updated_at"])
        auditlog.register(models.DisclosureFeedback)
