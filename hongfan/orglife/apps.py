from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrglifeConfig(AppConfig):
    name = "hongfan.orglife"
    label = "orglife"
    verbose_name = _("Organisational life")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        register_demo("orglife", "hongfan.orglife.demo.seed", order=30)

        section = _("Organisational life")
        for item in (
            NavItem(
                _("Meetings"),
                "orglife:meeting_list",
                (Cap.SELF_VIEW, Cap.ORGLIFE_MANAGE),
                "calendar-event",
            ),
            NavItem(
                _("Compliance"), "orglife:compliance_matrix", (Cap.ORGLIFE_MANAGE,), "grid-3x3"
            ),
            NavItem(
                _("Democratic review"),
                "orglife:campaign_list",
                (Cap.SELF_VIEW, Cap.ORGLIFE_MANAGE),
                "check2-square",
            ),
            NavItem(_("Frequency rules"), "orglife:rule_list", (Cap.ORGLIFE_MANAGE,), "sliders"),
        ):
            register("orglife", section, item, order=40)
