from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hongfan.notifications"
    label = "notifications"
    verbose_name = _("In-app inbox, e-mail and group-robot webhooks")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register

        me = _("Me")
        register(
            "me",
            me,
            NavItem(_("Notifications"), "notifications:inbox", (Cap.SELF_VIEW,), "bell"),
            order=5,
        )
        register(
            "me",
            me,
            NavItem(
                _("Notification preferences"),
                "notifications:preferences",
                (Cap.SELF_VIEW,),
                "gear",
            ),
            order=5,
        )
