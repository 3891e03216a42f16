from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentConfig(AppConfig):
    name = "hongfan.equipment"
    label = "equipment"
    verbose_name = _("Equipment life cycle")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        register(
            "operations",
            _("Operations"),
            NavItem(
                _("Large equipment"),
                "equipment:list",
                (Cap.EQUIPMENT_VIEW, Cap.EQUIPMENT_MANAGE),
                "hdd-rack",
            ),
            order=70,
        )
        register_demo("equipment", "hongfan.equipment.demo.seed", order=86)
