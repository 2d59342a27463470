from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "jiayuan.disputes"
    label = "disputes"
    verbose_name = _("Disputes (矛盾纠纷)")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Phone ciphertext is never logged; the masked copy is.
        auditlog.register(models.DisputeParty, exclude_fields=["phone_cipher", "created_at", "updated_at"])
        for model in (models.ScreeningRound, models.Dispute, models.MediationSession, models.MediationAgreement,
                      models.FollowUpVisit):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
