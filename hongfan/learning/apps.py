from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "hongfan.learning"
    label = "learning"
    verbose_name = _("Learning and branch brands")

    def ready(self) -> None:
        from hongfan.demo.extensions import register as register_demo

        register_demo("learning", "hongfan.learning.demo.seed", order=50)
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register

        section = _("Learning")
        for item in (
            NavItem(
                _("Study activities"),
                "learning:activity_list",
                (Cap.SELF_VIEW, Cap.LEARNING_MANAGE),
                "book",
            ),
            NavItem(
                _("Study hours and coverage"),
                "learning:hours_report",
                (Cap.LEARNING_MANAGE,),
                "bar-chart",
            ),
            NavItem(
                _("Knowledge contests"),
                "learning:contest_list",
                (Cap.SELF_VIEW, Cap.LEARNING_MANAGE),
                "trophy",
            ),
            NavItem(
                _("Question bank"),
                "learning:question_list",
                (Cap.LEARNING_ADMIN,),
                "question-circle",
            ),
            NavItem(_("Branch brands"), "learning:brand_list", (Cap.LEARNING_MANAGE,), "award"),
        ):
            register("learning", section, item, order=45)
