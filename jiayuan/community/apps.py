from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "jiayuan.community"
    label = "community"
    verbose_name = _("Community registers")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import FundAllocation, MemberResidentServiceCenter, TwoCommitteesSeat

        for model in (MemberResidentServiceCenter, FundAllocation, TwoCommitteesSeat):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
