from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "hongfan.logistics"
    label = "logistics"
    verbose_name = _("Logistics service")
