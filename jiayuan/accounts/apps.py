from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jiayuan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import RoleAssignment, User

        auditlog.register(User, exclude_fields=["password", "last_login", "date_joined", "updated_at"])
        auditlog.register(RoleAssignment)
