"""Party dues (党费, 中组发〔2008〕3号): pay-base configuration, rate brackets, monthly ledger.

The ledger is one ``DuesAssessment`` per member and month (the amount due); a ``DuesPayment``
settles one or more assessments. Money is ``Decimal`` rounded to the fen, half-up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


class DuesConfig(AuditedModel):
    """How the pay base is computed and the time limits; exactly one row is active.

    ``income_items`` are added, ``deduction_items`` subtracted; ``excluded_items`` are pay items
    that are known but not counted (e.g. 改革性补贴). A payroll column in none of the three
    lists is refused so that nothing is silently dropped.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    income_items = models.JSONField(_("pay items counted"), default=list)
    deduction_items = models.JSONField(_("deductions"), default=list)
    excluded_items = models.JSONField(_("pay items not counted"), default=list, blank=True)
    max_backpay_months = models.PositiveSmallIntegerField(
        _("back-payment limit (months)"), default=6
    )
    warn_months = models.JSONField(_("arrears warnings at (months)"), default=list)
    lapse_months = models.PositiveSmallIntegerField(
        _("months without dues treated as leaving the Party"), default=6
    )
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("dues configuration")
        verbose_name_plural = _("dues configurations")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="dues_one_active_config",
                violation_error_message=_("Only one dues configuration can be active."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DuesCategory(models.TextChoices):
    IN_POST = "in_post", _("In post")
    RETIREE = "retiree", _("Retiree")
    FLAT = "flat", _("Student / unemployed / low income")


class RateBracket(AuditedModel):
    """A row of the rate table: base in (lower, upper] → a percentage or a fixed amount."""

    category = models.CharField(_("category"), max_length=12, choices=DuesCategory.choices)
    lower = models.DecimalField(
        _("base above"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    upper = models.DecimalField(
        _("base up to (inclusive)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    rate_percent = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    fixed_amount = models.DecimalField(
        _("fixed monthly amount"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("dues rate bracket")
        verbose_name_plural = _("dues rate brackets")
        ordering = ["category", "lower"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_percent__isnull=False) | Q(fixed_amount__isnull=False),
                name="dues_bracket_has_rate",
                violation_error_message=_("A bracket needs a rate or a fixed amount."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.lower or 0}, {self.upper or '∞'}]"


class MemberDuesCategory(AuditedModel):
    """An explicit category for a member (e.g. ¥0.2 for a student); otherwise derived."""

    member = models.OneToOneField(
        "party.PartyMember",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="dues_category",
    )
    category = models.CharField(_("category"), max_length=12, choices=DuesCategory.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("member dues category")
        verbose_name_plural = _("member dues categories")

    def __str__(self) -> str:
        return f"{self.member} · {self.get_category_display()}"


class DuesPayment(AuditedModel):
    """A payment settling one or more months of one member."""

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        TRANSFER = "transfer", _("Bank transfer")
        PAYROLL = "payroll", _("Deducted from pay")
        ONLINE = "online", _("Online payment")

    member = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    first_month = models.DateField(_("first month covered"))
    last_month = models.DateField(_("last month covered"))
    note = models.CharField(_("note"), max_length=200, blank=True)
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
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="dues_payment_positive",
                violation_error_message=_("The amount must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(last_month__gte=models.F("first_month")),
                name="dues_payment_period_order",
                violation_error_message=_("The last month cannot precede the first month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.amount}"


class DuesAssessment(AuditedModel):
    """The dues one member owes for one month; settled when a payment is attached."""

    member = models.ForeignKey(
        "party.PartyMember",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_assessments",
    )
    organisation = models.ForeignKey(
        "party.PartyOrganisation",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="dues_assessments",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    category = models.CharField(_("category"), max_length=12, choices=DuesCategory.choices)
    base = models.DecimalField(_("pay base"), max_digits=10, decimal_places=2)
    rate_percent = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    amount_due = models.DecimalField(_("amount due"), max_digits=10, decimal_places=2)
    pay_items = models.JSONField(_("pay items"), default=dict, blank=True)
    payment = models.ForeignKey(
        DuesPayment,
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )

    class Meta:
        verbose_name = _("dues assessment")
        verbose_name_plural = _("dues assessments")
        ordering = ["-month", "organisation_id", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"],
                name="dues_assessment_unique_month",
                violation_error_message=_("The dues of this member for this month already exist."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="dues_assessment_first_of_month",
                violation_error_message=_("A month is stored as its first day."),
            ),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0) & Q(base__gte=0),
                name="dues_assessment_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "month"], name="dues_org_month_idx")]

    def __str__(self) -> str:
        return f"{self.member} · {self.month:%Y-%m}"

    @property
    def is_settled(self) -> bool:
        return self.payment_id is not None
