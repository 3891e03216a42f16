from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "hongfan.scoring"
    label = "scoring"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        register_demo("scoring", "hongfan.scoring.demo.seed", order=95)
        section = _("Assessments")
        for item in (
            NavItem(
                _("My assessments"), "scoring:my_assessments", (Cap.SELF_VIEW,), "person-check"
            ),
            NavItem(
                _("Ethics files"),
                "scoring:file_list",
                (Cap.SCORING_VIEW, Cap.SCORING_MANAGE),
                "journal-medical",
            ),
            NavItem(
                _("Event ledger"),
                "scoring:event_list",
                (Cap.SCORING_VIEW, Cap.SCORING_MANAGE),
                "list-check",
            ),
            NavItem(
                _("Assessment periods"),
                "scoring:period_list",
                (Cap.SCORING_VIEW, Cap.SCORING_MANAGE),
                "clipboard-data",
            ),
            NavItem(_("Appeals"), "scoring:appeal_list", (Cap.SCORING_MANAGE,), "chat-left-text"),
            NavItem(_("Red flag"), "scoring:redflag_list", (Cap.SCORING_VIEW,), "flag"),
            NavItem(_("Scorecards"), "scoring:scorecard_list", (Cap.SCORING_MANAGE,), "sliders"),
        ):
            register("scoring", section, item, order=70)
