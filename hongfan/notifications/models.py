"""The in-app inbox and each user's delivery preferences.

Reminders and escalations of every module end up here (``services.notify``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel
from hongfan.core.fields import EncryptedTextField


class Notification(AuditedModel):
    class Level(models.TextChoices):
        INFO = "info", _("Information")
        REMINDER = "reminder", _("Reminder")
        WARNING = "warning", _("Warning")
        ESCALATION = "escalation", _("Escalation")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Idempotency: the same reminder (e.g. "meeting-gap:branch 7:2026-11") is sent once.
    dedup_key = models.CharField(_("de-duplication key"), max_length=200, blank=True)
    source_type = models.CharField(_("source type"), max_length=100, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    # Which module sent it (notifications.kinds); channel preferences are chosen per kind.
    kind = models.CharField(_("kind"), max_length=40, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"],
                condition=~models.Q(dedup_key=""),
                name="notif_unique_dedup",
                violation_error_message=_("This notification has already been sent."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(AuditedModel):
    """How a user wants to be told, besides the in-app inbox (always on)."""

    class Webhook(models.TextChoices):
        NONE = "", _("None")
        WECOM = "wecom", _("WeCom group robot (企业微信)")
        DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("also send e-mail"), default=False)
    webhook = models.CharField(
        _("group robot"), max_length=10, choices=Webhook.choices, default="", blank=True
    )
    # The robot URL carries its access key: stored encrypted, never shown back in full.
    webhook_url = EncryptedTextField(_("robot webhook address"), blank=True)
    webhook_secret = EncryptedTextField(_("robot signing secret (DingTalk)"), blank=True)
    min_level = models.CharField(
        _("send outside the inbox from level"),
        max_length=12,
        choices=Notification.Level.choices,
        default=Notification.Level.REMINDER,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(webhook="") | ~Q(webhook_url=""),
                name="notif_pref_webhook_needs_url",
                violation_error_message=_("A group robot needs its webhook address."),
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class KindPreference(AuditedModel):
    """A user's channels for one kind of notification (overrides the default preference)."""

    class Channels(models.TextChoices):
        INBOX = "inbox", _("Inbox only")
        EMAIL = "email", _("Inbox and e-mail")
        ROBOT = "robot", _("Inbox and group robot")
        BOTH = "both", _("Inbox, e-mail and group robot")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_kind_preferences",
    )
    kind = models.CharField(_("kind"), max_length=40)
    channels = models.CharField(_("channels"), max_length=8, choices=Channels.choices)

    class Meta:
        verbose_name = _("notification channels of a kind")
        verbose_name_plural = _("notification channels of kinds")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="notif_kind_pref_unique",
                violation_error_message=_("This kind already has a channel choice."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.channels}"

    @property
    def email(self) -> bool:
        return self.channels in (self.Channels.EMAIL, self.Channels.BOTH)

    @property
    def robot(self) -> bool:
        return self.channels in (self.Channels.ROBOT, self.Channels.BOTH)
