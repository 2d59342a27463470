from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "jiayuan.residents"
    label = "residents"
    verbose_name = _("Residents")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Household, Resident, ResidentTag

        # Ciphertext and blind indexes are never written to the log; the masked copies are, so a
        # change of number shows as 5203**********1234 → 5203**********5678.
        auditlog.register(
            Resident,
            exclude_fields=["id_number_cipher", "id_number_index", "phone_cipher", "phone_index", "created_at", "updated_at"],
        )
        auditlog.register(Household, exclude_fields=["created_at", "updated_at"])
        auditlog.register(ResidentTag, exclude_fields=["created_at", "updated_at"])
