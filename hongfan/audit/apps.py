from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "hongfan.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from hongfan.accounts.roles import Cap
        from hongfan.audit import signals
        from hongfan.core.navigation import NavItem, register

        signals.connect()
        section = _("Audit")
        for item in (
            NavItem(_("Audit log"), "audit:log", (Cap.AUDIT_VIEW,), "journal-text"),
            NavItem(_("Verify the audit chain"), "audit:verify", (Cap.AUDIT_VIEW,), "shield-check"),
        ):
            register("audit", section, item, order=95)
