from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "hongfan.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from hongfan.audit import signals

        signals.connect()
