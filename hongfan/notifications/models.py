"""The in-app inbox. Reminders and escalations of every module end up here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


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
