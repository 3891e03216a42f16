from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "hongfan.decisions"
    label = "decisions"
    verbose_name = _("Decision meetings and supervision")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo import extensions

        extensions.register("decisions", "hongfan.decisions.demo.seed", order=40)

        section = _("Decision meetings")
        for item in (
            NavItem(_("Meetings"), "decisions:meeting_list", (Cap.DECISIONS_VIEW,), "people"),
            NavItem(
                _("三重一大 compliance"),
                "decisions:compliance",
                (Cap.DECISIONS_VIEW,),
                "shield-check",
            ),
            NavItem(
                _("President's office meeting members"),
                "decisions:office_members",
                (Cap.DECISIONS_MANAGE,),
                "person-lines-fill",
            ),
            NavItem(
                _("Hospital affairs disclosure"),
                "decisions:disclosure",
                (Cap.SELF_VIEW,),
                "megaphone",
            ),
        ):
            register("decisions", section, item, order=48)
        register(
            "supervision",
            _("Supervision and rectification"),
            NavItem(
                _("Resolutions"),
                "decisions:resolution_list",
                (Cap.DECISIONS_VIEW,),
                "check2-square",
            ),
            order=50,
        )
