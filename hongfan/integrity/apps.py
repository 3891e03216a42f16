from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "hongfan.integrity"
    label = "integrity"
    verbose_name = _("Integrity")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.core.navigation import NavItem, register
        from hongfan.demo.extensions import register as register_demo

        section, label = "integrity", _("Integrity")
        view = (Cap.INTEGRITY_MANAGE, Cap.INTEGRITY_VIEW)
        for item in (
            NavItem(_("My integrity"), "integrity:my", (Cap.SELF_VIEW,), "shield-check"),
            NavItem(_("Integrity work"), "integrity:dashboard", view, "speedometer2"),
            NavItem(_("Letters and pledges"), "integrity:letters", view, "pen"),
            NavItem(_("Risk register"), "integrity:risks", view, "exclamation-diamond"),
            NavItem(_("Festival reminders"), "integrity:reminders", view, "calendar-heart"),
            NavItem(_("Festival self-checks"), "integrity:selfchecks", view, "ui-checks"),
            NavItem(
                _("Envelope register"),
                "integrity:envelopes",
                (Cap.INTEGRITY_MANAGE,),
                "envelope-x",
            ),
            NavItem(_("四必谈"), "integrity:talks", (Cap.SELF_VIEW,), "people"),
            NavItem(_("Warning education"), "integrity:education", view, "camera-reels"),
            NavItem(_("Reports"), "integrity:reports", (Cap.LOOPS_INTEGRITY,), "megaphone"),
            NavItem(_("Service code"), "integrity:code_list", (Cap.SELF_VIEW,), "journal-text"),
        ):
            register(section, label, item, order=45)
        register_demo("integrity", "hongfan.integrity.demo.seed", order=70)
