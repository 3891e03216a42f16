from django.contrib import admin

from hongfan.voice.models import Contact, Discharge, ReceptionDay, Sample, Survey, Wish


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "channel", "received_at")
    list_filter = ("kind", "channel")
    search_fields = ("number",)
    exclude = ("caller_name", "phone", "query_hash")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status")
    list_filter = ("kind", "status")


@admin.register(Discharge)
class DischargeAdmin(admin.ModelAdmin):
    list_display = ("inpatient_no", "department", "discharged_on")
    exclude = ("name", "phone")


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin):
    list_display = ("year", "quarter", "drawn_on", "eligible", "drawn")


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "status")


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin):
    list_display = ("number", "origin", "created_at", "fulfilled_at")
    exclude = ("wisher_name", "phone", "query_hash")
