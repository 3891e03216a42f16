"""The scoring engine's event ledger (and, later, scorecards, assessments and ratings).

Every source module (patient voice, integrity, organisational life, outreach, clinical
analytics, publicity) records what a person, department or branch did through
``hongfan.scoring.services.record_event``; the ethics file, the annual 医德考评, branch star
ratings and the department red flag read the ledger. See docs/apps/scoring.md.
"""

from __future__ import annotations

from typing import Any

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


# --- scorecards (data) -------------------------------------------------------------------------


class Scorecard(AuditedModel):
    """A score sheet: items with point ranges, rules and grade bands (all editable data)."""

    class Purpose(models.TextChoices):
        ETHICS = "ethics", _("Annual medical ethics assessment")
        BRANCH = "branch", _("Branch star rating")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    base_score = models.DecimalField(_("base score"), max_digits=7, decimal_places=2, default=0)
    rule_source = models.CharField(_("rule source"), max_length=200, blank=True)
    version_date = models.DateField(_("version date"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["purpose", "code"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self) -> str:
        return self.name


class ScorecardItem(AuditedModel):
    """One line of a scorecard: rated by assessors, or filled automatically."""

    class Kind(models.TextChoices):
        RATED = "rated", _("Rated item")
        ADDITION = "addition", _("Addition")
        DEDUCTION = "deduction", _("Deduction")
        VETO = "veto", _("Veto item")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Scored by assessors")
        LEDGER = "ledger", _("Ledger events")
        ORGLIFE = "orglife.compliance", _("Organisational-life compliance")
        LEARNING = "learning.coverage", _("Learning coverage")

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="items", verbose_name=_("scorecard")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("scoring guide"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.RATED)
    source = models.CharField(
        _("source"), max_length=32, choices=Source.choices, default=Source.MANUAL
    )
    min_points = models.DecimalField(_("minimum points"), max_digits=7, decimal_places=2)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    ledger_categories = models.CharField(
        _("ledger categories"), max_length=200, blank=True, help_text=_("Comma-separated.")
    )
    ledger_codes = models.CharField(
        _("ledger codes"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )
    ledger_sign = models.SmallIntegerField(
        _("ledger sign"),
        default=0,
        help_text=_("1: positive events only; -1: negative events only; 0: all."),
    )

    class Meta:
        ordering = ["scorecard", "order", "pk"]
        verbose_name = _("scorecard item")
        verbose_name_plural = _("scorecard items")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "code"],
                name="scoring_item_code_unique",
                violation_error_message=_("This scorecard already has an item with this code."),
            ),
            models.CheckConstraint(
                condition=Q(min_points__lte=models.F("max_points")),
                name="scoring_item_range",
                violation_error_message=_("The minimum points may not exceed the maximum points."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        return self.source == self.Source.MANUAL

    def category_list(self) -> list[str]:
        return [c.strip() for c in self.ledger_categories.split(",") if c.strip()]

    def code_list(self) -> list[str]:
        return [c.strip() for c in self.ledger_codes.split(",") if c.strip()]


class GradeBand(AuditedModel):
    """A grade (优秀 / 良好 …, or 5 stars …) with its threshold, quota and HR consequences."""

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="bands", verbose_name=_("scorecard")
    )
    rank = models.PositiveSmallIntegerField(_("rank (1 = best)"))
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=50)
    min_score = models.DecimalField(_("minimum score"), max_digits=7, decimal_places=2)
    requires_no_deduction = models.BooleanField(_("requires no deduction"), default=False)
    quota_percent = models.DecimalField(
        _("quota (% of the assessed)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    is_veto_grade = models.BooleanField(_("grade given on a veto"), default=False)
    fails_periodic_review = models.BooleanField(_("fails the periodic review"), default=False)
    promotion_eligible = models.BooleanField(_("eligible for promotion"), default=True)
    appointment_eligible = models.BooleanField(_("eligible for appointment"), default=True)
    award_eligible = models.BooleanField(_("eligible for awards"), default=False)
    pay_coefficient = models.DecimalField(
        _("performance pay coefficient"), max_digits=4, decimal_places=2, default=1
    )

    class Meta:
        ordering = ["scorecard", "rank"]
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "rank"],
                name="scoring_band_rank_unique",
                violation_error_message=_("Two grades of a scorecard cannot share a rank."),
            ),
            models.CheckConstraint(
                condition=Q(quota_percent__isnull=True)
                | Q(quota_percent__gt=0, quota_percent__lte=100),
                name="scoring_band_quota_range",
                violation_error_message=_("A quota is a percentage above 0 and at most 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- periods and assessments -------------------------------------------------------------------


class AssessmentPeriod(AuditedModel):
    """One run of a scorecard (the 2026 医德考评, the 2026 branch star rating)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SELF = "self", _("Self-assessment")
        DEPARTMENT = "department", _("Department assessment")
        INSTITUTION = "institution", _("Institution assessment")
        PUBLISHED = "published", _("Published for comment")
        CLOSED = "closed", _("Closed")

    institution = models.ForeignKey(
        "org.Institution",
        on_delete=models.PROTECT,
        related_name="assessment_periods",
        verbose_name=_("institution"),
    )
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.PROTECT, related_name="periods", verbose_name=_("scorecard")
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    publish_days = models.PositiveSmallIntegerField(_("days of publication"), default=3)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    appeal_until = models.DateTimeField(_("appeals until"), null=True, blank=True)

    class Meta:
        ordering = ["-start", "scorecard"]
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "scorecard", "start"],
                name="scoring_period_unique",
                violation_error_message=_("This scorecard already has a period starting then."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="scoring_period_dates",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ethics(self) -> bool:
        return self.scorecard.purpose == Scorecard.Purpose.ETHICS

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CLOSED)


class Assessment(AuditedModel):
    """The assessment of one staff member (医德考评) or one branch (star rating) in a period."""

    period = models.ForeignKey(
        AssessmentPeriod,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("period"),
    )
    staff = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("staff member"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("Party branch"),
    )
    self_comment = models.TextField(_("self-evaluation"), blank=True)
    self_submitted_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    department_comment = models.TextField(_("department opinion"), blank=True)
    department_submitted_at = models.DateTimeField(
        _("department assessed at"), null=True, blank=True
    )
    institution_comment = models.TextField(_("institution opinion"), blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    ledger_points = models.DecimalField(
        _("ledger points"), max_digits=7, decimal_places=2, default=0
    )
    has_deduction = models.BooleanField(_("has a deduction"), default=False)
    has_veto = models.BooleanField(_("has a veto"), default=False)
    computed_grade = models.ForeignKey(
        GradeBand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grade by the rules"),
    )
    grade = models.ForeignKey(
        GradeBand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grade"),
    )
    grade_note = models.CharField(_("grade note"), max_length=300, blank=True)
    grade_overridden = models.BooleanField(_("set by the institution"), default=False)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    # {item code: points} as computed when graded (a snapshot for the published result).
    breakdown = models.JSONField(_("breakdown"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        ordering = ["period", "rank", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "staff"],
                name="scoring_assessment_staff_unique",
                violation_error_message=_("This staff member is already assessed in the period."),
            ),
            models.UniqueConstraint(
                fields=["period", "organisation"],
                name="scoring_assessment_org_unique",
                violation_error_message=_("This branch is already assessed in the period."),
            ),
            models.CheckConstraint(
                condition=Q(staff__isnull=False, organisation__isnull=True)
                | Q(staff__isnull=True, organisation__isnull=False),
                name="scoring_assessment_one_subject",
                violation_error_message=_("An assessment concerns one staff member or branch."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.subject}"

    @property
    def subject(self) -> Any:
        return self.staff or self.organisation


class ItemScore(AuditedModel):
    """Points given to one item at one stage (自评, 科评, 院评) or filled automatically."""

    class Stage(models.TextChoices):
        SELF = "self", _("Self")
        DEPARTMENT = "department", _("Department")
        INSTITUTION = "institution", _("Institution")
        AUTO = "auto", _("Automatic")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    item = models.ForeignKey(
        ScorecardItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["assessment", "item__order", "stage"]
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item", "stage"],
                name="scoring_itemscore_unique",
                violation_error_message=_("This item already has a score at this stage."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.stage} {self.points}"


class Appeal(AuditedModel):
    """A written appeal against a published grade (申诉)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("assessment")
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"))
    reason = models.TextField(_("grounds of the appeal"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    decision = models.TextField(_("decision"), blank=True)
    grade_before = models.ForeignKey(
        GradeBand,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("grade before"),
    )
    grade_after = models.ForeignKey(
        GradeBand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grade after"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.assessment} {self.get_status_display()}"


# --- the department red flag (流动红旗) ---------------------------------------------------------


class RedFlagComponent(AuditedModel):
    """One part of the red-flag score, with its weight (shown on every ranking)."""

    class Source(models.TextChoices):
        INDICATOR = "indicator", _("Indicator of another module")
        LEDGER = "ledger", _("Ledger events per staff member")

    key = models.CharField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    indicator_key = models.CharField(
        _("indicator key"),
        max_length=64,
        blank=True,
        help_text=_("An indicator key, or a prefix ending in * (e.g. clinical.*)."),
    )
    ledger_categories = models.CharField(_("ledger categories"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("red flag component")
        verbose_name_plural = _("red flag components")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="scoring_redflag_weight_positive",
                violation_error_message=_("A weight cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RedFlagRound(AuditedModel):
    """One quarter's red-flag ranking of an institution's departments."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        AWARDED = "awarded", _("Awarded")

    institution = models.ForeignKey(
        "org.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.COMPUTED
    )
    weights = models.JSONField(_("weights used"), default=list)
    computed_at = models.DateTimeField(_("computed at"))
    holder = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("flag holder"),
    )
    award_note = models.CharField(_("note"), max_length=300, blank=True)
    awarded_at = models.DateTimeField(_("awarded at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("red flag round")
        verbose_name_plural = _("red flag rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "quarter"],
                name="scoring_redflag_round_unique",
                violation_error_message=_("This quarter already has a red-flag round."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="scoring_redflag_quarter_1_4",
                violation_error_message=_("A quarter is 1 to 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"


class RedFlagScore(AuditedModel):
    """One department's score in a red-flag round, with every component's figure."""

    round = models.ForeignKey(
        RedFlagRound, on_delete=models.CASCADE, related_name="scores", verbose_name=_("round")
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    # {component key: {"value": str|None, "normalised": str|None, "weight": str}}
    components = models.JSONField(_("components"), default=dict)
    missing = models.PositiveSmallIntegerField(_("missing figures"), default=0)

    class Meta:
        ordering = ["round", "rank", "department__code"]
        verbose_name = _("red flag score")
        verbose_name_plural = _("red flag scores")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "department"],
                name="scoring_redflag_score_unique",
                violation_error_message=_("This department already has a score in the round."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.department} {self.score}"
