from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "hongfan.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from hongfan.accounts.roles import ROLE_CAPABILITIES, Cap
        from hongfan.core.navigation import NavItem, register

        # The calendar is for everyone: offer it under any capability a role holds.
        every_cap = tuple(sorted({c for caps in ROLE_CAPABILITIES.values() for c in caps}))
        section = _("Working-day calendar")
        for item in (
            NavItem(_("Calendar"), "workdays:year", every_cap, "calendar3"),
            NavItem(_("Working-day calculator"), "workdays:calculator", every_cap, "calculator"),
            NavItem(_("Calendar days"), "workdays:day_list", (Cap.CALENDAR_MANAGE,), "pencil"),
        ):
            register("workdays", section, item, order=90)
