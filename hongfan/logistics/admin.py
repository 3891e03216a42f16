from django.contrib import admin

from hongfan.logistics.models import ServiceTeam, WorkOrder


@admin.register(ServiceTeam)
class ServiceTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "leader", "phone", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("name",)
    filter_horizontal = ("members",)


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    list_display = ("number", "category", "urgency", "title", "team", "filed_at", "finished_at")
    list_filter = ("category", "urgency", "team")
    search_fields = ("number", "title", "location")
    raw_id_fields = ("requester", "assignee", "matter", "department")
    exclude = ("contact_phone",)
