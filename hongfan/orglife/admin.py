"""Admin for organisational life: rules, settings and read-mostly views of meetings and reviews."""

from django.contrib import admin

from hongfan.orglife.models import FrequencyRule, Meeting, OrglifeSettings, ReviewCampaign


@admin.register(FrequencyRule)
class FrequencyRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "period", "minimum", "applies_to", "only_with_groups", "is_active")
    list_filter = ("period", "applies_to", "is_active")


@admin.register(OrglifeSettings)
class OrglifeSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "backfill_days",
        "reminder_days",
        "reminder_days_long",
        "reminder_robot",
    )
    exclude = ("reminder_robot_url", "reminder_robot_secret")  # changed on the settings page


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("topic", "organisation", "kind", "status", "planned_on", "held_on", "is_valid")
    list_filter = ("kind", "status", "is_valid")
    search_fields = ("topic", "organisation__name")
    raw_id_fields = ("organisation", "group", "host", "recorder", "lecturer", "recorded_by")
    date_hierarchy = "planned_on"


@admin.register(ReviewCampaign)
class ReviewCampaignAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "stage", "decided_on")
    list_filter = ("year", "stage")
    raw_id_fields = ("organisation",)
