from django.contrib import admin

from hongfan.energy.models import Alarm, Meter, ReadingImport


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "scope",
        "building",
        "department",
        "margin_percent",
        "is_active",
    )
    list_filter = ("scope", "building", "is_active")
    search_fields = ("code", "name", "device")


@admin.register(Alarm)
class AlarmAdmin(admin.ModelAdmin):
    list_display = ("day", "meter", "kind", "value", "reference", "status")
    list_filter = ("kind", "status")
    raw_id_fields = ("meter", "work_order")


@admin.register(ReadingImport)
class ReadingImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "rows", "new_rows", "meters", "imported_at", "imported_by")
