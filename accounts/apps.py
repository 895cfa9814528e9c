from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        # local import: app registry (apps.py is imported before the models are loaded)
        from accounts import signals  # noqa: F401  (login/logout audit receivers)
        from accounts.roles import sync_role_groups

        # Permissions exist only after post_migrate; the groups' permissions follow the policy table then.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
