from django.contrib import admin

from hongfan.clinical.models import (
    ClinicalWarning,
    ColumnProfile,
    Finding,
    HisImport,
    Parameter,
    ReviewSample,
    ScreeningRun,
)


@admin.register(ColumnProfile)
class ColumnProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "dataset", "note")
    list_filter = ("dataset",)


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "note")
    search_fields = ("key",)


@admin.register(HisImport)
class HisImportAdmin(admin.ModelAdmin):
    list_display = ("at", "dataset", "period", "file_name", "status", "rows", "error_count")
    list_filter = ("dataset", "status")
    search_fields = ("file_name", "sha256")
    readonly_fields = ("errors",)


@admin.register(ScreeningRun)
class ScreeningRunAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "month",
        "backend",
        "prescriptions",
        "findings",
        "warnings",
        "duration_ms",
    )


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("rx_no", "rule_code", "category", "month", "dept_code", "doctor_no", "status")
    list_filter = ("status", "category", "source", "month")
    search_fields = ("rx_no", "doctor_no")
    raw_id_fields = ("department", "doctor", "reviewed_by")


@admin.register(ReviewSample)
class ReviewSampleAdmin(admin.ModelAdmin):
    list_display = ("month", "setting", "population", "required", "drawn_at")


@admin.register(ClinicalWarning)
class ClinicalWarningAdmin(admin.ModelAdmin):
    list_display = ("month", "kind", "dept_code", "doctor_no", "value", "threshold")
    list_filter = ("kind", "month")
    raw_id_fields = ("department", "doctor", "matter")
