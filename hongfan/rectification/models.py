"""Rectification (整改): inspections, problems found, and the responsibility list.

Each responsibility item is carried out as one ``hongfan.loops`` matter of type
``rectification_task`` (owner, deadline, evidence, verification by the Party office, closure).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


class Inspection(AuditedModel):
    class SourceKind(models.TextChoices):
        INSPECTION_TOUR = "xuncha", _("Inspection tour (巡察)")
        SUPERVISION = "duzhi", _("Supervision (督导)")
        QUALITY = "quality", _("Quality control (质控)")
        SATISFACTION = "satisfaction", _("Satisfaction survey (满意度)")
        AUDIT = "audit", _("Audit (审计)")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    inspecting_body = models.CharField(_("inspecting body"), max_length=200)
    conducted_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-conducted_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Problem(AuditedModel):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="problems"
    )
    number = models.PositiveIntegerField(_("no."))
    description = models.TextField(_("problem found"))
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"],
                name="rectification_problem_unique_number",
                violation_error_message=_("This number is already used in this inspection."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description[:40]}"


class Task(AuditedModel):
    """One line of the responsibility list: owner, measures, deadline → one loops matter."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="tasks"
    )
    measures = models.TextField(_("measures"))
    deadline = models.DateField(_("deadline"))
    matter = models.OneToOneField(
        "loops.Matter",
        verbose_name=_("matter"),
        on_delete=models.PROTECT,
        related_name="rectification_task",
    )

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["problem", "id"]

    def __str__(self) -> str:
        return self.measures[:40]
