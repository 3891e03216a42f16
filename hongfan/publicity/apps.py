from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "hongfan.publicity"
    label = "publicity"
    verbose_name = _("Publicity and culture")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        section = _("Publicity and culture")
        for item in (
            NavItem(
                _("Stories"),
                "publicity:story_list",
                (Cap.SELF_VIEW, Cap.PUBLICITY_MANAGE),
                "newspaper",
            ),
            NavItem(
                _("Publishing calendar"), "publicity:calendar", (Cap.PUBLICITY_MANAGE,), "calendar3"
            ),
            NavItem(
                _("Cultural activities"),
                "publicity:activity_list",
                (Cap.CULTURE_MANAGE,),
                "music-note-beamed",
            ),
            NavItem(_("Media library"), "publicity:media_list", (Cap.PUBLICITY_MANAGE,), "images"),
            NavItem(
                _("Publicity statistics"), "publicity:stats", (Cap.PUBLICITY_MANAGE,), "bar-chart"
            ),
        ):
            register("publicity", section, item, order=70)
        register_demo("publicity", "hongfan.publicity.demo.seed", order=90)
