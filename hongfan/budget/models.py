"""Three-level budget (全面预算): lines, actual spending, mid-year adjustments, assessment.

Levels: the budget committee (预算管理委员会) approves; the 归口管理部门 (central managing
department, e.g. 总务科 for utilities, 信息科 for IT) reviews the lines it manages; the
executing department (执行科室) prepares and spends. A line's *available* amount is the
approved amount plus applied adjustments; its *spent* amount is the sum of imported spending.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongfan.audit.models import AuditedModel


class BudgetLine(AuditedModel):
    class Level(models.TextChoices):
        COMMITTEE = "committee", _("Budget committee")  # 预算管理委员会
        CENTRAL = "central", _("Central managing department")  # 归口管理部门
        EXECUTING = "executing", _("Executing department")  # 执行科室

    class Category(models.TextChoices):
        BASIC = "basic", _("Basic support")  # 基础保障类
        KEY = "key", _("Key support")  # 重点支持类
        COMPRESSED = "compressed", _("Compressed control")  # 压缩控制类

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")  # 编制中
        SUBMITTED = "submitted", _("Awaiting central review")  # 待归口审核
        REVIEWED = "reviewed", _("Awaiting committee approval")  # 待委员会审批
        APPROVED = "approved", _("Approved")  # 已批复
        RETURNED = "returned", _("Returned")  # 已退回

    year = models.PositiveSmallIntegerField(_("budget year"))
    code = models.CharField(_("budget code"), max_length=32)
    name = models.CharField(_("budget item"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("executing department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    central_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("central managing department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("budget amount (yuan)"), max_digits=14, decimal_places=2)
    adjusted = models.DecimalField(
        _("adjustments (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    justification = models.TextField(_("basis and justification"), blank=True)
    is_major = models.BooleanField(_("三重一大 item"), default=False)
    decision = models.ForeignKey(
        "decisions.AgendaItem",
        verbose_name=_("collective decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("budget", "reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(
        pgettext_lazy("budget", "reviewed at"), null=True, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("budget", "approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code"],
                name="budget_line_code_unique_in_year",
                violation_error_message=_("This budget code is already used in this year."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="budget_line_amount_positive",
                violation_error_message=_("The budget amount must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(level="committee") | Q(department__isnull=False),
                name="budget_line_department_below_committee",
                violation_error_message=_(
                    "A line of a central or executing department needs its department."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(level="executing") | Q(central_department__isnull=False),
                name="budget_line_executing_has_central",
                violation_error_message=_(
                    "A line of an executing department needs its central managing department."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.code} {self.name}"

    @property
    def available(self) -> Decimal:
        return self.amount + self.adjusted

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Expense(AuditedModel):
    """One actual spending entry imported from the finance system (natural key: voucher)."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="expenses"
    )
    voucher_no = models.CharField(_("voucher number"), max_length=40, unique=True)
    paid_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    summary = models.CharField(pgettext_lazy("voucher", "summary"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("spending entry")
        verbose_name_plural = _("spending entries")
        ordering = ["-paid_on", "voucher_no"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="budget_expense_amount_not_zero",
                violation_error_message=_("The amount cannot be zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.voucher_no


class Adjustment(AuditedModel):
    """A mid-year adjustment (年中调整) of a line: more, less, or moved from another line."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting committee approval")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    amount = models.DecimalField(
        _("change (yuan)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Positive to add to the line, negative to take from it."),
    )
    source_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("moved from line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("budget", "decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(pgettext_lazy("budget", "decided at"), null=True, blank=True)
    decision_note = models.CharField(
        pgettext_lazy("budget", "decision note"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="budget_adjustment_amount_not_zero",
                violation_error_message=_("The change cannot be zero."),
            ),
            models.CheckConstraint(
                condition=Q(source_line__isnull=True) | Q(amount__gt=0),
                name="budget_adjustment_transfer_positive",
                violation_error_message=_("A transfer from another line adds to this line."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.code} {self.amount:+}"


class Assessment(AuditedModel):
    """Year-end assessment (预算考核) of one executing department's execution."""

    year = models.PositiveSmallIntegerField(_("budget year"))
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    available = models.DecimalField(_("available (yuan)"), max_digits=14, decimal_places=2)
    spent = models.DecimalField(_("spent (yuan)"), max_digits=14, decimal_places=2)
    rate = models.DecimalField(_("execution rate (%)"), max_digits=7, decimal_places=2)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    comment = models.CharField(pgettext_lazy("budget", "comment"), max_length=300, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), auto_now=True)

    class Meta:
        verbose_name = _("budget assessment")
        verbose_name_plural = _("budget assessments")
        ordering = ["-year", "-score", "department__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department"],
                name="budget_assessment_unique",
                violation_error_message=_("This department is already assessed for the year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.department}"
