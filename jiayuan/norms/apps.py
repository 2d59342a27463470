from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NormsConfig(AppConfig):
    name = "jiayuan.norms"
    label = "norms"
    verbose_name = _("Rulebook")

    def ready(self):
        from auditlog.registry import auditlog
        from django.utils.module_loading import autodiscover_modules

        from .models import RuleOverride
        from .rulebook import rulebook

        auditlog.register(RuleOverride, exclude_fields=["created_at", "updated_at"])
        # Each app registers the facts it records in its own norms_facts.py (facts.py).
        autodiscover_modules("norms_facts")
        rulebook()  # a malformed rule file fails at start-up, not on the first evaluation
