"""Member development (发展党员): versioned rule sets, candidates and their step records.

The stages, steps and every time/quorum parameter are data (``RuleSet`` → ``Stage`` → ``Step``
with ``rules`` as JSON), so a revision of 《中国共产党发展党员工作细则》 is added as another
rule set without code changes. The checks that read those parameters live in ``rules.py``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


class RuleSet(AuditedModel):
    """One version of the development rules (e.g. the 2014 细则)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    effective_on = models.DateField(_("effective on"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("development rule set")
        verbose_name_plural = _("development rule sets")
        ordering = ["-effective_on", "code"]

    def __str__(self) -> str:
        return self.name


class Stage(AuditedModel):
    """One of the five stages (入党申请人 → … → 正式党员)."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("development stage")
        verbose_name_plural = _("development stages")
        ordering = ["rule_set_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "order"],
                name="development_stage_unique_order",
                violation_error_message=_("A stage with this order already exists."),
            ),
            models.UniqueConstraint(
                fields=["rule_set", "code"],
                name="development_stage_unique_code",
                violation_error_message=_("A stage with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Step(AuditedModel):
    """One of the 25 steps, with the checks that apply when it is recorded.

    ``rules`` maps a check name (see ``rules.CHECKS``) to its parameters, e.g.
    ``{"min_months_since": {"step": "application", "months": 6}}``.
    """

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    rules = models.JSONField(_("checks"), default=dict, blank=True)
    repeatable = models.BooleanField(
        _("repeatable"), default=False, help_text=_("E.g. the half-yearly activist assessment.")
    )
    by_committee = models.BooleanField(
        _("recorded by the Party committee"),
        default=False,
        help_text=_("Only the Party committee office records this step."),
    )

    class Meta:
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")
        ordering = ["rule_set_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "order"],
                name="development_step_unique_order",
                violation_error_message=_("A step with this order already exists."),
            ),
            models.UniqueConstraint(
                fields=["rule_set", "code"],
                name="development_step_unique_code",
                violation_error_message=_("A step with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Candidate(AuditedModel):
    """A person's development file, from the application to full membership."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Became a full member")
        STOPPED = "stopped", _("Stopped")

    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="development_files",
    )
    branch = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="candidates"
    )
    current_stage = models.ForeignKey(
        Stage,
        verbose_name=_("current stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    extension_months = models.PositiveSmallIntegerField(
        _("probation extended by (months)"), default=0
    )
    extended_on = models.DateField(_("probation extended on"), null=True, blank=True)
    extension_reason = models.CharField(_("reason for the extension"), max_length=200, blank=True)
    member = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("Party member record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("development candidate")
        verbose_name_plural = _("development candidates")
        ordering = ["branch_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(status="active"),
                name="development_one_active_file",
                violation_error_message=_(
                    "This person already has a development file in progress."
                ),
            ),
            models.CheckConstraint(
                condition=Q(extension_months=0)
                | Q(extension_months__gte=6, extension_months__lte=24),
                name="development_extension_range",
                violation_error_message=_("The extension of the probation period is out of range."),
            ),
        ]

    def __str__(self) -> str:
        return self.staff.name


class StepRecord(AuditedModel):
    """The record of one step for one candidate: date, people, approvals and votes."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="records"
    )
    step = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.PROTECT, related_name="records"
    )
    date = models.DateField(_("date"))
    contacts = models.ManyToManyField(
        "party.PartyMember",
        verbose_name=_("cultivation contacts"),
        blank=True,
        related_name="+",
        help_text=_("培养联系人: 1–2 full members."),
    )
    introducers = models.ManyToManyField(
        "party.PartyMember",
        verbose_name=_("introducers"),
        blank=True,
        related_name="+",
        help_text=_("入党介绍人: exactly 2 full members."),
    )
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True)
    approval_ref = models.CharField(_("approval reference"), max_length=100, blank=True)
    special_reason = models.CharField(
        _("special reason"),
        max_length=200,
        blank=True,
        help_text=_("Allows the longer time limit where the rules provide one."),
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    training_hours = models.DecimalField(
        _("training hours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    training_days = models.PositiveSmallIntegerField(_("training days"), null=True, blank=True)
    notice_start = models.DateField(_("public notice from"), null=True, blank=True)
    notice_end = models.DateField(_("public notice until"), null=True, blank=True)
    members_due = models.PositiveSmallIntegerField(
        _("full members due to attend"), null=True, blank=True
    )
    members_present = models.PositiveSmallIntegerField(
        _("full members present"), null=True, blank=True
    )
    votes_yes = models.PositiveSmallIntegerField(_("yes votes"), null=True, blank=True)
    votes_no = models.PositiveSmallIntegerField(_("no votes"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("step record")
        verbose_name_plural = _("step records")
        ordering = ["candidate_id", "date", "step__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_start__isnull=True)
                | Q(notice_end__isnull=True)
                | Q(notice_end__gte=models.F("notice_start")),
                name="development_notice_end_after_start",
                violation_error_message=_("The public notice cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.step.name} · {self.date:%Y-%m-%d}"


def document_path(instance: StepDocument, filename: str) -> str:
    return f"development/{instance.record.candidate_id}/{dt.date.today():%Y%m}/{filename}"


class StepDocument(AuditedModel):
    """A scanned document attached to a step record (入党申请书, 志愿书, 公示 …)."""

    record = models.ForeignKey(
        StepRecord,
        verbose_name=_("step record"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=document_path)

    class Meta:
        verbose_name = _("step document")
        verbose_name_plural = _("step documents")
        ordering = ["record_id", "id"]

    def __str__(self) -> str:
        return self.title
