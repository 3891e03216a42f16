from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoopsConfig(AppConfig):
    name = "hongfan.loops"
    label = "loops"
    verbose_name = _("Closed-loop matters")
