"""Admin for the integrity reference data (templates, key dates, risk points, the code).

Reports, their messages and attachments, envelope entries (patient names) and self-check
answers are deliberately not registered: only the discipline office reads them, through the
app's own pages, and the admin site belongs to the system administrator.
"""

from django.contrib import admin

from hongfan.integrity.models import CodeDocument, KeyDate, LetterTemplate, RiskPoint


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "level", "kind", "is_active")
    list_filter = ("level", "kind", "is_active")


@admin.register(KeyDate)
class KeyDateAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "custom_date", "days_before", "auto_send", "is_active")


@admin.register(RiskPoint)
class RiskPointAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "area", "level", "department", "next_review_on", "is_active")
    list_filter = ("area", "level", "is_active")
    search_fields = ("code", "title")
    raw_id_fields = ("department", "responsible")


@admin.register(CodeDocument)
class CodeDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "effective_on", "requires_acknowledgement")
