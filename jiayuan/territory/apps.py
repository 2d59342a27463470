from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "jiayuan.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Compound, Place

        auditlog.register(Place, exclude_fields=["created_at", "updated_at"])
        auditlog.register(Compound, exclude_fields=["created_at", "updated_at"])
