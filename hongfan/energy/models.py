"""Energy monitoring: meters (ORM), 15-minute register readings (analytic store, dataset
``energy_readings``), import history and alarms (ORM).

Readings are cumulative register values in kWh at the end of each 15-minute interval; the
use of an interval is the difference to the reading 15 minutes earlier. They live in Parquet
partitioned by month (``hongfan.core.analytics``), never in the database.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


class Meter(AuditedModel):
    """An electricity meter of a building, a department or a device, with its alarm settings."""

    class Scope(models.TextChoices):
        BUILDING = "building", _("Building")
        DEPARTMENT = "department", _("Department")
        DEVICE = "device", _("Device")

    code = models.CharField(_("meter number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("measures"), max_length=12, choices=Scope.choices)
    building = models.CharField(_("building"), max_length=60)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    device = models.CharField(_("device"), max_length=100, blank=True)
    margin_percent = models.PositiveSmallIntegerField(
        _("alarm margin above baseline (%)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("A day's use above the baseline by more than this share raises an alarm."),
    )
    night_ratio_percent = models.PositiveSmallIntegerField(
        _("night load limit (% of daytime load)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "Mean load 23:00–05:00 above this share of the mean load 08:00–18:00 raises an alarm."
        ),
    )
    spike_factor = models.DecimalField(
        _("spike factor"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("3.0"),
        validators=[MinValueValidator(Decimal("1.1"))],
        help_text=_("A 15-minute use above this multiple of the previous hour's mean is a spike."),
    )
    spike_min_kwh = models.DecimalField(
        _("smallest spike (kWh)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["building", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(scope="department") | models.Q(department__isnull=False),
                name="energy_department_meter_needs_department",
                violation_error_message=_("A department meter needs its department."),
            ),
            models.CheckConstraint(
                condition=~models.Q(scope="device") | ~models.Q(device=""),
                name="energy_device_meter_needs_device",
                violation_error_message=_("A device meter needs the device's name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("energy:meter", args=[self.pk])


class ReadingImport(AuditedModel):
    """One imported reading file (the readings themselves are in the analytic store)."""

    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("rows"))
    new_rows = models.PositiveIntegerField(_("new readings"))
    meters = models.PositiveIntegerField(_("meters"))
    first_at = models.DateTimeField(_("first reading"))
    last_at = models.DateTimeField(_("last reading"))
    alarms = models.PositiveIntegerField(_("alarms raised"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reading import")
        verbose_name_plural = _("reading imports")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class Alarm(AuditedModel):
    """An anomaly found in a meter's readings: one per meter, kind and day."""

    class Kind(models.TextChoices):
        ABOVE_BASELINE = "above_baseline", _("Use above baseline")
        NIGHT_LOAD = "night_load", _("Night-time load")
        SPIKE = "spike", _("Sudden spike")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_HAND = "in_hand", _("Work order opened")
        CLOSED = "closed", _("Closed")

    meter = models.ForeignKey(
        Meter, verbose_name=_("meter"), on_delete=models.CASCADE, related_name="alarms"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("at"), null=True, blank=True)
    value = models.FloatField(_("measured"))
    reference = models.FloatField(_("reference"))
    limit = models.FloatField(_("limit"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    work_order = models.ForeignKey(
        "logistics.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_note = models.CharField(_("closing note"), max_length=200, blank=True)
    detected_at = models.DateTimeField(_("detected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("energy alarm")
        verbose_name_plural = _("energy alarms")
        ordering = ["-day", "meter__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "kind", "day"],
                name="energy_alarm_once_per_day",
                violation_error_message=_("This alarm is already recorded for that day."),
            )
        ]
        indexes = [models.Index(fields=["status", "day"], name="energy_alarm_status_day")]

    def __str__(self) -> str:
        return f"{self.meter.code} {self.get_kind_display()} {self.day}"

    def get_absolute_url(self) -> str:
        return reverse("energy:alarm", args=[self.pk])

    @property
    def excess_percent(self) -> float | None:
        if not self.reference:
            return None
        return round(100 * (self.value / self.reference - 1), 1)
