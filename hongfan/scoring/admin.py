from django.contrib import admin

from hongfan.scoring.models import (
    Appeal,
    Assessment,
    AssessmentPeriod,
    EventRule,
    GradeBand,
    LedgerEvent,
    RedFlagComponent,
    RedFlagRound,
    Scorecard,
    ScorecardItem,
)


@admin.register(EventRule)
class EventRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "subject_kind", "points", "is_veto", "is_active"]
    list_filter = ["category", "subject_kind", "is_veto", "is_active"]
    search_fields = ["code", "name"]


@admin.register(LedgerEvent)
class LedgerEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "rule", "subject_kind", "points", "status"]
    list_filter = ["status", "subject_kind", "rule__category"]
    search_fields = ["summary", "rule__code"]
    raw_id_fields = ["staff", "department", "organisation", "recorded_by"]
    readonly_fields = ["dedupe_key", "recorded_at"]


class ItemInline(admin.TabularInline):
    model = ScorecardItem
    extra = 0


class BandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "purpose", "version_date", "is_active"]
    inlines = [ItemInline, BandInline]


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "scorecard", "start", "end", "status"]
    list_filter = ["status", "scorecard"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["period", "staff", "organisation", "score", "grade", "rank"]
    list_filter = ["period"]
    raw_id_fields = ["staff", "department", "organisation"]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["assessment", "filed_at", "status"]
    list_filter = ["status"]
    raw_id_fields = ["assessment"]


@admin.register(RedFlagComponent)
class RedFlagComponentAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "source", "weight", "is_active"]


@admin.register(RedFlagRound)
class RedFlagRoundAdmin(admin.ModelAdmin):
    list_display = ["institution", "year", "quarter", "status", "holder"]
