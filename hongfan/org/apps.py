from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "hongfan.org"
    label = "org"
    verbose_name = _("People and organisation")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register

        section = _("People and organisation")
        register(
            "org",
            section,
            NavItem(_("Staff"), "org:staff_list", (Cap.ORG_VIEW,), "people"),
            order=10,
        )
        register(
            "org",
            section,
            NavItem(
                _("Departments"),
                "org:department_list",
                (Cap.ORG_VIEW, Cap.STRUCTURE_MANAGE),
                "diagram-3",
            ),
            order=10,
        )
        register(
            "org",
            section,
            NavItem(
                _("Institutions"),
                "org:institution_list",
                (Cap.ORG_VIEW, Cap.STRUCTURE_MANAGE),
                "hospital",
            ),
            order=10,
        )
