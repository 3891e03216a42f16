from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "hongfan.rectification"
    label = "rectification"
    verbose_name = _("Rectification")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        section = _("Supervision and rectification")
        for item in (
            NavItem(
                _("Rectification and innovation progress"),
                "rectification:board",
                (Cap.RECTIFICATION_MANAGE, Cap.INNOVATION_MANAGE),
                "clipboard-data",
            ),
            NavItem(
                _("Inspections and rectification"),
                "rectification:list",
                (Cap.RECTIFICATION_MANAGE,),
                "search",
            ),
            NavItem(
                _("Rectification ledger"),
                "rectification:ledger",
                (Cap.RECTIFICATION_MANAGE,),
                "journal-text",
            ),
        ):
            register("supervision", section, item, order=50)
        register_demo("rectification", "hongfan.rectification.demo.seed", order=61)
