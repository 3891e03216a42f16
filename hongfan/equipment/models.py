"""Equipment life cycle (医疗设备全生命周期): the register of large equipment, preventive
maintenance, quality checks, adverse events, revenue for cost–benefit, scrapping."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongfan.audit.models import AuditedModel


class Device(AuditedModel):
    class Category(models.TextChoices):
        IMAGING = "imaging", _("Imaging")  # 影像设备
        LIFE_SUPPORT = "life_support", _("Life support")  # 急救生命支持
        LABORATORY = "laboratory", _("Laboratory")  # 检验设备
        SURGICAL = "surgical", _("Surgical")  # 手术设备
        THERAPY = "therapy", _("Therapy")  # 治疗设备
        MONITORING = "monitoring", _("Monitoring")  # 监护设备
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        IN_USE = "in_use", _("In use")  # 在用
        UNDER_REPAIR = "under_repair", _("Under repair")  # 维修中
        IDLE = "idle", _("Idle")  # 闲置
        SCRAPPED = "scrapped", _("Scrapped")  # 已报废

    asset_no = models.CharField(_("asset number"), max_length=32, unique=True)
    name = models.CharField(_("device name"), max_length=100)
    model = models.CharField(_("model"), max_length=100, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=100, blank=True)
    serial_no = models.CharField(_("serial number"), max_length=64, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    purchased_on = models.DateField(_("purchase date"))
    price = models.DecimalField(_("original value (yuan)"), max_digits=14, decimal_places=2)
    service_life_years = models.PositiveSmallIntegerField(_("service life (years)"))
    maintenance_interval_months = models.PositiveSmallIntegerField(
        _("preventive maintenance every (months)"), default=6
    )
    check_interval_months = models.PositiveSmallIntegerField(
        _("quality check every (months)"), default=12
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_USE
    )
    scrapped_on = models.DateField(_("scrapped on"), null=True, blank=True)
    scrap_reason = models.CharField(_("reason for scrapping"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["asset_no"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gt=0),
                name="equipment_device_price_positive",
                violation_error_message=_("The original value must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(service_life_years__gte=1) & Q(service_life_years__lte=30),
                name="equipment_device_life_range",
                violation_error_message=_("The service life is 1 to 30 years."),
            ),
            models.CheckConstraint(
                condition=Q(maintenance_interval_months__gte=1) & Q(check_interval_months__gte=1),
                name="equipment_device_intervals_positive",
                violation_error_message=_("Intervals are at least one month."),
            ),
            models.CheckConstraint(
                condition=Q(scrapped_on__isnull=True)
                | Q(scrapped_on__gte=models.F("purchased_on")),
                name="equipment_device_scrapped_after_purchase",
                violation_error_message=_("A device cannot be scrapped before it was bought."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_no} {self.name}"


class Maintenance(AuditedModel):
    class Kind(models.TextChoices):
        PREVENTIVE = "preventive", _("Preventive maintenance")  # 预防性维护
        REPAIR = "repair", _("Repair")  # 故障维修

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="maintenance"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    done_on = models.DateField(_("date"))
    cost = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2, default=0)
    engineer = models.CharField(_("engineer / vendor"), max_length=100)
    fault = models.CharField(_("fault"), max_length=300, blank=True)
    work_done = models.TextField(_("work done"))
    downtime_hours = models.PositiveIntegerField(_("downtime (hours)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("maintenance record")
        verbose_name_plural = _("maintenance records")
        ordering = ["-done_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="equipment_maintenance_cost_not_negative",
                violation_error_message=_("The cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device.asset_no} {self.done_on}"


class QualityCheck(AuditedModel):
    class Kind(models.TextChoices):
        METROLOGY = "metrology", _("Metrological verification")  # 计量检定
        PERFORMANCE = "performance", _("Performance test")  # 性能检测
        SAFETY = "safety", _("Electrical safety test")  # 电气安全检测
        RADIATION = "radiation", _("Radiation protection test")  # 放射防护检测

    class Result(models.TextChoices):
        PASSED = "passed", pgettext_lazy("quality check", "Passed")
        RESTRICTED = "restricted", _("Passed with restrictions")
        FAILED = "failed", _("Failed")

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="checks"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    checked_on = models.DateField(_("date"))
    result = models.CharField(
        pgettext_lazy("quality check", "result"), max_length=12, choices=Result.choices
    )
    inspector = models.CharField(_("inspector / agency"), max_length=100)
    certificate_no = models.CharField(_("certificate number"), max_length=64, blank=True)
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.device.asset_no} {self.checked_on}"


class AdverseEvent(AuditedModel):
    """A medical device adverse event (医疗器械不良事件) report."""

    class Severity(models.TextChoices):
        DEATH = "death", _("Death")
        SERIOUS = "serious", _("Serious injury")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported internally")
        SUBMITTED = "submitted", _("Submitted to the national system")
        CLOSED = "closed", pgettext_lazy("adverse event", "Closed")

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="events"
    )
    occurred_on = models.DateField(_("occurred on"))
    discovered_on = models.DateField(_("discovered on"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("what happened"))
    patient_harm = models.CharField(_("harm to the patient"), max_length=300, blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REPORTED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("adverse event")
        verbose_name_plural = _("adverse events")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discovered_on__gte=models.F("occurred_on")),
                name="equipment_event_discovered_after_occurred",
                violation_error_message=_("An event cannot be discovered before it occurred."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device.asset_no} {self.occurred_on}"

    @property
    def report_deadline_days(self) -> int:
        """Days to report under 《医疗器械不良事件监测和再评价管理办法》 art. 25."""
        return {self.Severity.DEATH: 7, self.Severity.SERIOUS: 20}.get(self.severity, 30)


class Revenue(AuditedModel):
    """The device's revenue in a month (收入), from the charging system."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="revenue"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("revenue (yuan)"), max_digits=14, decimal_places=2)
    uses = models.PositiveIntegerField(_("examinations / uses"), default=0)

    class Meta:
        verbose_name = _("device revenue")
        verbose_name_plural = _("device revenue")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "month"],
                name="equipment_revenue_one_per_month",
                violation_error_message=_("This month's revenue is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="equipment_revenue_not_negative",
                violation_error_message=_("Revenue cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device.asset_no} {self.month:%Y-%m}"
