from django.contrib import admin

from hongfan.equipment.models import AdverseEvent, Device, Maintenance, QualityCheck, Revenue


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("asset_no", "name", "department", "purchased_on", "price", "status")
    list_filter = ("category", "status")
    search_fields = ("asset_no", "name", "model", "serial_no")


@admin.register(Maintenance)
class MaintenanceAdmin(admin.ModelAdmin):
    list_display = ("device", "kind", "done_on", "cost")
    list_filter = ("kind",)
    raw_id_fields = ("device",)


@admin.register(QualityCheck)
class QualityCheckAdmin(admin.ModelAdmin):
    list_display = ("device", "kind", "checked_on", "result")
    list_filter = ("kind", "result")
    raw_id_fields = ("device",)


@admin.register(AdverseEvent)
class AdverseEventAdmin(admin.ModelAdmin):
    list_display = ("device", "occurred_on", "severity", "status")
    list_filter = ("severity", "status")
    raw_id_fields = ("device",)


@admin.register(Revenue)
class RevenueAdmin(admin.ModelAdmin):
    list_display = ("device", "month", "amount", "uses")
    raw_id_fields = ("device",)
