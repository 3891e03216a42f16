from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "hongfan.logistics"
    label = "logistics"
    verbose_name = _("Logistics service")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        section = ("operations", _("Operations"))
        register(
            *section,
            NavItem(_("File a work order"), "logistics:mine", (Cap.SELF_VIEW,), "tools"),
            order=70,
        )
        register(
            *section,
            NavItem(_("Work orders"), "logistics:list", (Cap.LOGISTICS_MANAGE,), "list-check"),
            order=70,
        )
        register(
            *section,
            NavItem(
                _("Work order statistics"), "logistics:stats", (Cap.LOGISTICS_MANAGE,), "bar-chart"
            ),
            order=70,
        )
        register(
            *section,
            NavItem(_("Service teams"), "logistics:teams", (Cap.LOGISTICS_MANAGE,), "people"),
            order=70,
        )
        register_demo("logistics", "hongfan.logistics.demo.seed", order=80)
