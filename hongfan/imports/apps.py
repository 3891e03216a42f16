from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "hongfan.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register

        autodiscover_modules("importers")
        register(
            "org",
            _("People and organisation"),
            NavItem(
                _("Excel import"), "imports:index", (Cap.IMPORTS_RUN,), "file-earmark-arrow-up"
            ),
        )
