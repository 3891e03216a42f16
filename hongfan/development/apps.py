from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "hongfan.development"
    label = "development"
    verbose_name = _("Member development")

    def ready(self) -> None:
        from hongfan.demo.extensions import register as register_demo

        register_demo("development", "hongfan.development.demo.seed", order=40)
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register

        register(
            "development",
            _("Member development"),
            NavItem(
                _("Development pipeline"),
                "development:candidate_list",
                (Cap.DEVELOPMENT_MANAGE,),
                "people",
            ),
            order=35,
        )
