from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hongfan.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from hongfan.accounts import signals
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register

        signals.connect()
        section = _("System administration")
        register(
            "system",
            section,
            NavItem(_("Accounts"), "accounts:user_list", (Cap.ACCOUNTS_MANAGE,), "people"),
            order=900,
        )
        register(
            "system",
            section,
            NavItem(_("Roles"), "accounts:role_list", (Cap.ROLES_MANAGE,), "person-badge"),
            order=900,
        )
        register(
            "system",
            section,
            NavItem(_("Locked sign-ins"), "accounts:lockout_list", (Cap.SECURITY_VIEW,), "lock"),
            order=900,
        )
