"""Admin for the development rule sets: stages, steps and their check parameters are data."""

from django.contrib import admin

from hongfan.development.models import RuleSet, Stage, Step


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "effective_on", "is_active")
    list_editable = ("is_active",)
    inlines = [StageInline]


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "code", "stage", "rule_set", "repeatable", "by_committee")
    list_filter = ("rule_set", "stage__order")
    search_fields = ("name", "code")
