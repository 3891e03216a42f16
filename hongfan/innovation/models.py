"""Innovation projects run as a seven-stage closed loop (DOMAIN.md §9, 沧州: 16 projects).

项目立项 → 团队组建 → 实时指导 → 定期汇报 → 效果评价 → 阶段检视 → 年终验收. Stage moves go
through ``services.project_move_stage`` (one stage forward at a time; backwards only with a
reason). Reports are scheduled on working days and reminded through notifications; the
``matter`` links (``Report.matter``, ``Project.acceptance_matter``) are reserved for tracking
them as loops matters and are not used yet (see docs/apps/innovation.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


class Stage(models.TextChoices):
    INITIATION = "initiation", _("Project initiation")  # 项目立项
    TEAM = "team", _("Team building")  # 团队组建
    GUIDANCE = "guidance", _("Ongoing guidance")  # 实时指导
    REPORTING = "reporting", _("Regular reports")  # 定期汇报
    EVALUATION = "evaluation", _("Effect evaluation")  # 效果评价
    REVIEW = "review", _("Stage review")  # 阶段检视
    ACCEPTANCE = "acceptance", _("Year-end acceptance")  # 年终验收


STAGE_ORDER: list[str] = list(Stage.values)


def stage_index(stage: str) -> int:
    return STAGE_ORDER.index(stage)


class Project(AuditedModel):
    Stage = Stage

    class Result(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")  # 优秀
        PASS = "pass", _("Pass")  # 合格
        FAIL = "fail", _("Fail")  # 不合格

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="innovation_projects",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="innovation_projects",
    )
    leader = models.ForeignKey(
        "org.Staff",
        verbose_name=_("project leader"),
        on_delete=models.PROTECT,
        related_name="innovation_projects_led",
    )
    mentor = models.ForeignKey(
        "party.CommitteeMember",
        verbose_name=_("mentor (committee member)"),
        on_delete=models.PROTECT,
        related_name="innovation_projects_mentored",
    )
    goals = models.TextField(_("goals"))
    started_on = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    report_every_months = models.PositiveSmallIntegerField(_("report every (months)"), default=1)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.INITIATION
    )
    stage_changed_at = models.DateTimeField(_("stage changed at"), default=timezone.now)
    result = models.CharField(
        _("acceptance result"), max_length=10, choices=Result.choices, blank=True
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    acceptance_note = models.TextField(_("acceptance opinion"), blank=True)
    acceptance_matter = models.OneToOneField(
        "loops.Matter",
        verbose_name=_("acceptance matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("innovation project")
        verbose_name_plural = _("innovation projects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("started_on")),
                name="innovation_project_end_after_start",
                violation_error_message=_("The planned end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(report_every_months__gte=1) & Q(report_every_months__lte=12),
                name="innovation_report_interval_range",
                violation_error_message=_("Reports are due every 1 to 12 months."),
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(stage="acceptance"),
                name="innovation_result_only_at_acceptance",
                violation_error_message=_(
                    "An acceptance result is only given at the year-end acceptance."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def stage_number(self) -> int:
        return stage_index(self.stage) + 1


class TeamMember(AuditedModel):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="team"
    )
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role in the team"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["project_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "staff"],
                name="innovation_team_unique",
                violation_error_message=_("This person is already on the team."),
            )
        ]

    def __str__(self) -> str:
        return str(self.staff)


class StageChange(AuditedModel):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"

    @property
    def is_backwards(self) -> bool:
        return bool(self.from_stage) and stage_index(self.to_stage) < stage_index(self.from_stage)


class Report(AuditedModel):
    """A periodic report (定期汇报), due on a date of the project's schedule."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    due_on = models.DateField(_("due on"))
    text = models.TextField(_("report"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    matter = models.OneToOneField(
        "loops.Matter",
        verbose_name=_("supervised matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")
        ordering = ["project_id", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "due_on"],
                name="innovation_report_unique_due",
                violation_error_message=_("A report for this date already exists."),
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(text=""),
                name="innovation_submitted_report_has_text",
                violation_error_message=_("A submitted report needs its text."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.due_on}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


def _report_path(instance: ReportFile, filename: str) -> str:
    stamp = timezone.now()
    return f"innovation/{stamp:%Y/%m}/{instance.report_id}/{filename}"


class ReportFile(AuditedModel):
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=_report_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")

    def __str__(self) -> str:
        return self.original_name


class EvaluationItem(AuditedModel):
    """A scored criterion (data; defaults seeded by a migration)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=1),
                name="innovation_item_max_positive",
                violation_error_message=_("The maximum score is at least 1."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(AuditedModel):
    """One evaluator's scores of a project at a stage (效果评价, 阶段检视 or 年终验收)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="evaluations"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    evaluator = models.ForeignKey(
        "org.Staff", verbose_name=_("evaluator"), on_delete=models.PROTECT, related_name="+"
    )
    evaluated_on = models.DateField(_("date"))
    comment = models.TextField(_("comment"), blank=True)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["project_id", "evaluated_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stage", "evaluator"],
                name="innovation_evaluation_unique",
                violation_error_message=_("This evaluator has already scored this stage."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.evaluator}"


class Score(AuditedModel):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        EvaluationItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "item"],
                name="innovation_score_unique",
                violation_error_message=_("This item is already scored."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0),
                name="innovation_score_not_negative",
                violation_error_message=_("A score cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"
