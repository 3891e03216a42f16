from django.contrib import admin

from hongfan.outreach.models import (
    Activity,
    Deployment,
    EmergencyCall,
    Honour,
    Participant,
    Pledge,
    TaskTeam,
)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ("staff",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("held_on", "title", "kind", "organisation", "people_served", "hours")
    list_filter = ("kind",)
    search_fields = ("title", "place")
    date_hierarchy = "held_on"
    inlines = [ParticipantInline]
    raw_id_fields = ("organisation", "recorded_by")


@admin.register(Honour)
class HonourAdmin(admin.ModelAdmin):
    list_display = ("awarded_on", "title", "level", "holder", "revoked_on")
    list_filter = ("level", "holder")
    search_fields = ("title", "staff__name", "organisation__name")
    raw_id_fields = ("staff", "organisation")


@admin.register(EmergencyCall)
class EmergencyCallAdmin(admin.ModelAdmin):
    list_display = ("issued_on", "title", "status", "temporary_branch")


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ("call", "typed_name", "signed_at", "is_member")
    raw_id_fields = ("staff", "signed_by")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a signed pledge is never edited


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = ("call", "staff", "place", "role", "starts_on", "ends_on")
    raw_id_fields = ("staff",)


admin.site.register(TaskTeam)
