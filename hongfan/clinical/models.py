"""Clinical integrity analytics: only findings, samples and aggregates live in the database.

Prescriptions, the drug dictionary, diagnoses, consumable use, discharges and claims stay in the
analytic store (Parquet by month, read through Ibis; see ``schema`` and ``engine``). The
screening writes ``Finding`` rows (one per prescription and rule), ``IndicatorValue`` rows
(numerator and denominator per month × department × doctor × indicator) and
``ClinicalWarning`` rows (consumable and insurance anomalies, each a 约谈 matter on the
closed-loop engine). Pharmacists review a ``ReviewSample`` drawn per the 2010 review norms.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


class ColumnProfile(AuditedModel):
    """How one hospital's HIS export names the columns of a dataset (canonical → header)."""

    name = models.CharField(_("name"), max_length=60)
    dataset = models.CharField(_("dataset"), max_length=20)
    mapping = models.JSONField(_("column mapping"), default=dict)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("column-mapping profile")
        verbose_name_plural = _("column-mapping profiles")
        ordering = ["dataset", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "name"],
                name="clinical_profile_unique_name",
                violation_error_message=_("A profile with this name exists for this dataset."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class HisImport(AuditedModel):
    """One uploaded HIS export: refused as a whole (with every bad row) or imported."""

    class Status(models.TextChoices):
        REFUSED = "refused", _("Refused")
        IMPORTED = "imported", _("Imported")

    dataset = models.CharField(_("dataset"), max_length=20)
    period = models.CharField(_("import period"), max_length=7, blank=True)
    profile = models.ForeignKey(
        ColumnProfile, verbose_name=_("profile"), null=True, blank=True, on_delete=models.SET_NULL
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("error count"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("HIS import")
        verbose_name_plural = _("HIS imports")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("clinical:import_detail", args=[self.pk])


class Parameter(AuditedModel):
    """A rule parameter, indicator target or warning threshold that overrides the default."""

    key = models.CharField(_("key"), max_length=60, unique=True)
    value = models.JSONField(_("value"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class ScreeningRun(AuditedModel):
    month = models.CharField(_("month"), max_length=7, db_index=True)
    backend = models.CharField(_("engine"), max_length=10, default="duckdb")
    prescriptions = models.PositiveIntegerField(_("prescriptions"), default=0)
    findings = models.PositiveIntegerField(_("findings"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.month} {self.backend}"


class VisitType(models.TextChoices):
    OUTPATIENT = "outpatient", _("Outpatient")
    EMERGENCY = "emergency", _("Emergency")
    INPATIENT = "inpatient", _("Inpatient")


class Finding(AuditedModel):
    """A criterion met by one prescription: found by the machine or added by a pharmacist."""

    class Source(models.TextChoices):
        MACHINE = "machine", _("Machine")
        PHARMACIST = "pharmacist", _("Pharmacist")

    class Status(models.TextChoices):
        OPEN = "open", _("Not reviewed")
        CONFIRMED = "confirmed", _("Confirmed")
        OVERRIDDEN = "overridden", _("Overridden")

    class Category(models.TextChoices):
        ART17 = "art17", _("Non-standard prescription (Art. 17)")
        ART18 = "art18", _("Inappropriate prescription (Art. 18)")
        ART19 = "art19", _("Excessive prescription (Art. 19)")

    month = models.CharField(_("month"), max_length=7, db_index=True)
    rx_no = models.CharField(_("prescription number"), max_length=40, db_index=True)
    visit_no = models.CharField(_("visit number"), max_length=40, blank=True)
    visit_type = models.CharField(_("visit type"), max_length=12, choices=VisitType.choices)
    rx_date = models.DateField(_("prescription date"))
    dept_code = models.CharField(_("department code"), max_length=32)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    doctor_no = models.CharField(_("doctor's staff number"), max_length=32)
    doctor = models.ForeignKey(
        "org.Staff",
        verbose_name=_("doctor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rule_code = models.CharField(_("rule"), max_length=12, blank=True)
    category = models.CharField(_("category"), max_length=8, choices=Category.choices)
    value = models.FloatField(_("measured value"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prescription finding")
        verbose_name_plural = _("prescription findings")
        ordering = ["-rx_date", "rx_no", "rule_code"]
        indexes = [models.Index(fields=["month", "dept_code", "doctor_no"])]
        constraints = [
            models.UniqueConstraint(
                fields=["rx_no", "rule_code"],
                condition=Q(source="machine"),
                name="clinical_finding_one_per_rule",
                violation_error_message=_("This prescription already has this finding."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.rx_no} {self.rule_code}"


class ReviewSample(AuditedModel):
    """The month's review sample of one setting (门急诊 prescriptions or 住院 records)."""

    class Setting(models.TextChoices):
        OUTPATIENT = "outpatient", _("Outpatient and emergency prescriptions")
        INPATIENT = "inpatient", _("Inpatient medical records")

    month = models.CharField(_("month"), max_length=7)
    setting = models.CharField(_("setting"), max_length=12, choices=Setting.choices)
    population = models.PositiveIntegerField(_("population"))
    required = models.PositiveIntegerField(_("required sample size"))
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("review sample")
        verbose_name_plural = _("review samples")
        ordering = ["-month", "setting"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "setting"],
                name="clinical_sample_once_a_month",
                violation_error_message=_("The sample of this month has already been drawn."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.get_setting_display()}"


class SampleItem(AuditedModel):
    """One prescription (outpatient) or one discharged record (inpatient) to review."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        REVIEWED = "reviewed", _("Reviewed")

    class Verdict(models.TextChoices):
        RATIONAL = "rational", _("Rational")
        IRRATIONAL = "irrational", _("Irrational")

    sample = models.ForeignKey(ReviewSample, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(_("prescription or record number"), max_length=40)
    visit_no = models.CharField(_("visit number"), max_length=40, blank=True)
    rx_date = models.DateField(_("date"))
    dept_code = models.CharField(_("department code"), max_length=32)
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    doctor_no = models.CharField(_("doctor's staff number"), max_length=32)
    doctor = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    machine_findings = models.PositiveSmallIntegerField(_("machine findings"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, blank=True)
    note = models.TextField(_("pharmacist's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sample item")
        verbose_name_plural = _("sample items")
        ordering = ["status", "dept_code", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "key"],
                name="clinical_sample_item_unique",
                violation_error_message=_("This record is already in the sample."),
            )
        ]

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        return reverse("clinical:workstation", args=[self.pk])


class IndicatorValue(models.Model):
    """Numerator and denominator of one indicator for one month × department × doctor.

    An aggregate recomputed by every screening of the month (not audited row by row: the
    screening run is the audited write).
    """

    month = models.CharField(max_length=7)
    dept_code = models.CharField(max_length=32)
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    doctor_no = models.CharField(max_length=32)
    doctor = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    indicator = models.CharField(max_length=32)
    num = models.FloatField()
    den = models.FloatField()

    class Meta:
        ordering = ["month", "dept_code", "doctor_no", "indicator"]
        indexes = [models.Index(fields=["indicator", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dept_code", "doctor_no", "indicator"],
                name="clinical_indicator_value_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.dept_code} {self.doctor_no} {self.indicator}"


class ClinicalWarning(AuditedModel):
    """A consumable or insurance-fund anomaly; each one is a 约谈 matter (clinical_warning)."""

    class Kind(models.TextChoices):
        PEER_OUTLIER = "peer_outlier", _("Consumable use far above department peers")
        GROWTH = "growth", _("Month-on-month growth of consumable use")
        KEY_SHARE = "key_share", _("High share of key-governed consumables")
        SPLIT_ADMISSION = "split_admission", _("Split admission")
        DUPLICATE_CHARGE = "duplicate_charge", _("Duplicate charge")
        UNBUNDLED_CHARGE = "unbundled_charge", _("Unbundled charge")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    month = models.CharField(_("month"), max_length=7, db_index=True)
    dept_code = models.CharField(_("department code"), max_length=32, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    doctor_no = models.CharField(_("doctor's staff number"), max_length=32, blank=True)
    doctor = models.ForeignKey(
        "org.Staff",
        verbose_name=_("doctor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=80, blank=True)
    value = models.FloatField(_("value"))
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    threshold = models.FloatField(_("threshold"))
    detail = models.TextField(_("detail"))
    matter = models.OneToOneField(
        "loops.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("clinical warning")
        verbose_name_plural = _("clinical warnings")
        ordering = ["-month", "kind", "dept_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "month", "dept_code", "doctor_no", "subject"],
                name="clinical_warning_unique",
                violation_error_message=_("This warning has already been raised."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month}"

    def get_absolute_url(self) -> str:
        return reverse("clinical:warning", args=[self.pk])

    @property
    def risk_point(self) -> str:
        """The integrity risk point (廉政风险点) this warning monitors."""
        return str(RISK_POINTS[self.kind])


RISK_POINTS = {
    ClinicalWarning.Kind.PEER_OUTLIER: _("High-value consumable use (kickbacks on consumables)"),
    ClinicalWarning.Kind.GROWTH: _("High-value consumable use (kickbacks on consumables)"),
    ClinicalWarning.Kind.KEY_SHARE: _("High-value consumable use (kickbacks on consumables)"),
    ClinicalWarning.Kind.SPLIT_ADMISSION: _("Insurance fund: split admissions"),
    ClinicalWarning.Kind.DUPLICATE_CHARGE: _("Insurance fund: duplicate or unbundled charges"),
    ClinicalWarning.Kind.UNBUNDLED_CHARGE: _("Insurance fund: duplicate or unbundled charges"),
}
