from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "hongfan.dues"
    label = "dues"
    verbose_name = _("Party dues")

    def ready(self) -> None:
        from hongfan.demo.extensions import register as register_demo

        register_demo("dues", "hongfan.dues.demo.seed", order=45)
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register

        section = _("Party dues")
        for item in (
            NavItem(_("Dues ledger"), "dues:ledger", (Cap.DUES_MANAGE, Cap.SELF_VIEW), "cash-coin"),
            NavItem(_("Dues summary"), "dues:summary", (Cap.DUES_MANAGE,), "bar-chart"),
            NavItem(_("Dues arrears"), "dues:arrears", (Cap.DUES_MANAGE,), "exclamation-triangle"),
        ):
            register("dues", section, item, order=36)
