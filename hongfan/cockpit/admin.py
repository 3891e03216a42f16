from django.contrib import admin

from hongfan.cockpit.models import GeneratedReport, ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_active", "updated_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "year", "quarter", "generated_at", "seconds")
    list_filter = ("kind", "year")
    readonly_fields = ("figures", "text")
