from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoopsConfig(AppConfig):
    name = "hongfan.loops"
    label = "loops"
    verbose_name = _("Closed-loop matters")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register

        supervise = (Cap.LOOPS_SUPERVISE, Cap.LOOPS_SUPERVISE_CLINICAL, Cap.LOOPS_INTEGRITY)
        me = _("Me")
        sup = _("Supervision and rectification")
        register(
            "me", me, NavItem(_("My matters"), "loops:inbox", (Cap.SELF_VIEW,), "inboxes"), order=5
        )
        for item in (
            NavItem(_("Supervision board"), "loops:board", supervise, "kanban"),
            NavItem(
                _("New supervised matter"), "loops:create", (Cap.LOOPS_SUPERVISE,), "plus-square"
            ),
            NavItem(_("Matter statistics"), "loops:stats", supervise, "bar-chart"),
        ):
            register("supervision", sup, item, order=50)
