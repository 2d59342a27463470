from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergenciesConfig(AppConfig):
    name = "jiayuan.emergencies"
    label = "emergencies"
    verbose_name = _("Emergencies (突发事件)")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.OnCallShift, exclude_fields=["phone_cipher", "created_at", "updated_at"])
        for model in (models.ContingencyPlan, models.Incident, models.IncidentReport):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
