from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "jiayuan.party"
    label = "party"
    verbose_name = _("Party organizations")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # The phone ciphertext is never logged; the masked copy is.
        auditlog.register(models.Member, exclude_fields=["phone_cipher", "created_at", "updated_at"])
        for model in (
            models.Organization, models.OrganizationOfficer, models.Election, models.Transfer,
            models.MobileMemberRecord, models.PocketMemberLead, models.Applicant, models.MemberPost,
            models.ReportIn, models.EnterpriseHandover, models.DuesPayment,
        ):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
