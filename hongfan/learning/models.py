"""Learning (学习教育): study activities and hours, knowledge contests, branch brands."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


class StudyActivity(AuditedModel):
    """A study activity with the hours each participant earns."""

    class Kind(models.TextChoices):
        CENTRAL_GROUP = "central_group", _("Central group theory study")  # 中心组学习
        READING_CLASS = "reading_class", _("Special reading class")  # 专题读书班
        RED_BASE = "red_base", _("Red-base visit")  # 红色教育基地
        MICRO_LECTURE = "micro_lecture", _("Micro Party lecture")  # 微党课
        OTHER = "other", _("Other study")

    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="study_activities",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    hours = models.DecimalField(
        _("hours per participant"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("40"))],
    )
    summary = models.TextField(_("summary"), blank=True)
    participants = models.ManyToManyField(
        "party.PartyMember",
        verbose_name=_("participants"),
        through="StudyParticipation",
        related_name="study_activities",
    )

    class Meta:
        verbose_name = _("study activity")
        verbose_name_plural = _("study activities")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="learning_activity_hours_positive",
                violation_error_message=_("Hours must be positive."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class StudyParticipation(AuditedModel):
    activity = models.ForeignKey(
        StudyActivity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    member = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="study_participations",
    )
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"],
                name="learning_participation_unique",
                violation_error_message=_("This member is already listed."),
            )
        ]


class Question(AuditedModel):
    """A question of the bank; ``answer`` holds the indexes of the correct options."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=50, blank=True)
    text = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.JSONField(_("correct options"), default=list)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def choices(self) -> list[str]:
        if self.kind == self.Kind.TRUE_FALSE:
            return [str(_("True")), str(_("False"))]
        return list(self.options)


class Contest(AuditedModel):
    """A knowledge contest: a set of questions answered online, scored automatically."""

    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    points_per_question = models.PositiveSmallIntegerField(_("points per question"), default=10)
    questions = models.ManyToManyField(
        Question, verbose_name=_("questions"), related_name="contests"
    )

    class Meta:
        verbose_name = _("knowledge contest")
        verbose_name_plural = _("knowledge contests")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="learning_contest_dates",
                violation_error_message=_("A contest cannot close before it opens."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ContestAttempt(AuditedModel):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="attempts"
    )
    member = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="contest_attempts",
    )
    score = models.PositiveIntegerField(_("score"))
    max_score = models.PositiveIntegerField(_("maximum score"))
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    answers = models.JSONField(_("answers"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contest attempt")
        verbose_name_plural = _("contest attempts")
        ordering = ["-score", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "member"],
                name="learning_attempt_unique",
                violation_error_message=_("You have already taken part in this contest."),
            )
        ]


class BranchBrand(AuditedModel):
    """一支部一品牌: a branch's brand, slogan, featured activities and evaluation."""

    organisation = models.OneToOneField(
        "party.PartyOrganisation",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="brand",
    )
    name = models.CharField(_("brand name"), max_length=100)
    slogan = models.CharField(_("slogan"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    featured_activities = models.TextField(
        _("featured activities"), blank=True, help_text=_("One per line.")
    )
    score = models.DecimalField(
        _("evaluation score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("branch brand")
        verbose_name_plural = _("branch brands")
        ordering = ["organisation__sort_order", "organisation__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="learning_brand_score_range",
                violation_error_message=_("The score lies between 0 and 100."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def activity_items(self) -> list[str]:
        return [line.strip() for line in self.featured_activities.splitlines() if line.strip()]
