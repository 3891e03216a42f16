"""Admin for the decision rules and reference data (thresholds, quorum, committees)."""

from django.contrib import admin

from hongfan.decisions.models import DecisionConfig, OfficeMeetingMember, ProfessionalCommittee


@admin.register(DecisionConfig)
class DecisionConfigAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "large_funds_threshold",
        "major_project_threshold",
        "resolution_deadline_days",
    )


@admin.register(ProfessionalCommittee)
class ProfessionalCommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "scope", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")


@admin.register(OfficeMeetingMember)
class OfficeMeetingMemberAdmin(admin.ModelAdmin):
    list_display = ("staff", "title", "sort_order", "is_active")
    raw_id_fields = ("staff",)
