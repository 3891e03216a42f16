from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnergyConfig(AppConfig):
    name = "hongfan.energy"
    label = "energy"
    verbose_name = _("Energy monitoring")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        caps = (Cap.ENERGY_VIEW, Cap.ENERGY_MANAGE)
        register(
            "operations",
            _("Operations"),
            NavItem(_("Energy dashboard"), "energy:dashboard", caps, "lightning-charge"),
            order=70,
        )
        register(
            "operations",
            _("Operations"),
            NavItem(_("Energy alarms"), "energy:alarms", caps, "bell"),
            order=70,
        )
        register_demo("energy", "hongfan.energy.demo.seed", order=85)
