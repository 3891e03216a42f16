from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "hongfan.cockpit"
    label = "cockpit"
    verbose_name = _("Leadership cockpit and reports")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.cockpit import panels  # noqa: F401 (registers the panels)
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        section = ("cockpit", _("Leadership cockpit"))
        register(
            *section,
            NavItem(_("Cockpit"), "cockpit:dashboard", (Cap.COCKPIT_VIEW,), "speedometer2"),
            order=5,
        )
        register(
            *section,
            NavItem(
                _("Work reports"),
                "cockpit:report_list",
                (Cap.COCKPIT_REPORTS,),
                "file-earmark-word",
            ),
            order=5,
        )
        register(
            *section,
            NavItem(
                _("Report templates"),
                "cockpit:template_list",
                (Cap.COCKPIT_TEMPLATES, Cap.COCKPIT_REPORTS),
                "file-earmark-text",
            ),
            order=5,
        )
        register_demo("cockpit", "hongfan.cockpit.demo.seed", order=900)
