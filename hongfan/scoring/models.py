"""The scoring engine's event ledger (and, later, scorecards, assessments and ratings).

Every source module (patient voice, integrity, organisational life, outreach, clinical
analytics, publicity) records what a person, department or branch did through
``hongfan.scoring.services.record_event``; the ethics file, the annual 医德考评, branch star
ratings and the department red flag read the ledger. See docs/apps/scoring.md.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


class SubjectKind(models.TextChoices):
    STAFF = "staff", _("Staff member")
    DEPARTMENT = "department", _("Department")
    BRANCH = "branch", _("Party branch")


class EventRule(AuditedModel):
    """A ledger event code with its points (created from ``codes.CODES``, editable)."""

    class Category(models.TextChoices):
        VOICE = "voice", _("Patient voice")
        INTEGRITY = "integrity", _("Integrity")
        ORGLIFE = "orglife", _("Organisational life")
        OUTREACH = "outreach", _("Outreach and honours")
        CLINICAL = "clinical", _("Clinical integrity")
        PUBLICITY = "publicity", _("Publicity")
        MANUAL = "manual", _("Manual entry")

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    subject_kind = models.CharField(_("subject"), max_length=16, choices=SubjectKind.choices)
    points = models.DecimalField(_("points per unit"), max_digits=7, decimal_places=2)
    is_veto = models.BooleanField(_("veto item"), default=False)
    nine_rules_article = models.PositiveSmallIntegerField(
        _("article of the nine rules"), null=True, blank=True
    )
    needs_confirmation = models.BooleanField(_("needs confirmation"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("event rule")
        verbose_name_plural = _("event rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(nine_rules_article__isnull=True)
                | Q(nine_rules_article__gte=1, nine_rules_article__lte=9),
                name="scoring_rule_nine_rules_article_1_9",
                violation_error_message=_("The article of the nine rules is 1 to 9."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LedgerEvent(AuditedModel):
    """One scored event about a staff member, a department or a branch, with its source."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        VOIDED = "voided", _("Voided")
        APPEALED = "appealed", _("Under appeal")

    rule = models.ForeignKey(
        EventRule, on_delete=models.PROTECT, related_name="events", verbose_name=_("rule")
    )
    subject_kind = models.CharField(_("subject"), max_length=16, choices=SubjectKind.choices)
    staff = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_events",
        verbose_name=_("staff member"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_events",
        verbose_name=_("department"),
    )
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_events",
        verbose_name=_("Party branch"),
    )
    institution = models.ForeignKey(
        "org.Institution",
        on_delete=models.PROTECT,
        related_name="ledger_events",
        verbose_name=_("institution"),
    )
    occurred_on = models.DateField(_("date"), db_index=True)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2, default=1)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    is_veto = models.BooleanField(_("veto item"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CONFIRMED
    )
    summary = models.CharField(_("summary"), max_length=300)
    # The source record (a complaint, an envelope entry, a volunteer record…).
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_url = models.CharField(_("source link"), max_length=300, blank=True)
    # code|source type|source id|subject|key — the same source event recorded twice counts once.
    dedupe_key = models.CharField(max_length=255, unique=True, editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("ledger event")
        verbose_name_plural = _("ledger events")
        indexes = [
            models.Index(fields=["staff", "occurred_on"], name="scoring_ev_staff_day"),
            models.Index(fields=["department", "occurred_on"], name="scoring_ev_dept_day"),
            models.Index(fields=["organisation", "occurred_on"], name="scoring_ev_org_day"),
            models.Index(fields=["source_type", "source_id"], name="scoring_ev_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        subject_kind="staff",
                        staff__isnull=False,
                        department__isnull=True,
                        organisation__isnull=True,
                    )
                    | Q(
                        subject_kind="department",
                        staff__isnull=True,
                        department__isnull=False,
                        organisation__isnull=True,
                    )
                    | Q(
                        subject_kind="branch",
                        staff__isnull=True,
                        department__isnull=True,
                        organisation__isnull=False,
                    )
                ),
                name="scoring_event_one_subject",
                violation_error_message=_(
                    "An event concerns exactly one staff member, department or branch."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} {self.occurred_on} {self.points}"

    @property
    def subject(self) -> models.Model:
        return self.staff or self.department or self.organisation  # type: ignore[return-value]

    @property
    def counts(self) -> bool:
        """Whether the event counts in totals (confirmed only)."""
        return self.status == self.Status.CONFIRMED
