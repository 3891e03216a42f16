from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "hongfan.outreach"
    label = "outreach"
    verbose_name = _("Outreach, honours and mobilisation")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        section = _("Service and honours")
        register(
            "outreach",
            section,
            NavItem(
                _("Outreach activities"),
                "outreach:activity_list",
                (Cap.OUTREACH_VIEW, Cap.OUTREACH_MANAGE),
                "heart-pulse",
            ),
            order=55,
        )
        register(
            "outreach",
            section,
            NavItem(_("Outreach totals"), "outreach:totals", (Cap.OUTREACH_VIEW,), "bar-chart"),
            order=55,
        )
        register(
            "outreach",
            section,
            NavItem(
                _("Service desk roster"),
                "outreach:desk_roster",
                (Cap.SELF_VIEW, Cap.OUTREACH_MANAGE),
                "calendar-week",
            ),
            order=55,
        )
        register(
            "outreach",
            section,
            NavItem(_("Honours register"), "outreach:honour_list", (Cap.SELF_VIEW,), "award"),
            order=55,
        )
        register(
            "outreach",
            section,
            NavItem(
                _("Emergency mobilisation"),
                "outreach:call_list",
                (Cap.SELF_VIEW, Cap.MOBILISATION_MANAGE),
                "megaphone",
            ),
            order=55,
        )
        register_demo("outreach", "hongfan.outreach.demo.seed", order=90)
