from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "hongfan.innovation"
    label = "innovation"
    verbose_name = _("Innovation projects")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        register(
            "supervision",
            _("Supervision and rectification"),
            NavItem(
                _("Innovation projects"),
                "innovation:list",
                (Cap.INNOVATION_VIEW, Cap.INNOVATION_MANAGE),
                "lightbulb",
            ),
            order=50,
        )
        register_demo("innovation", "hongfan.innovation.demo.seed", order=60)
