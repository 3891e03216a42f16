from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hongfan.notifications"
    label = "notifications"
    verbose_name = _("In-app inbox, e-mail and group-robot webhooks")
