"""Admin for the question bank (the office edits questions on the question page too)."""

from django.contrib import admin

from hongfan.learning.models import Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "category", "is_active")
    list_filter = ("kind", "category", "is_active")
    list_editable = ("is_active",)
    search_fields = ("text",)
