from django.contrib import admin

from hongfan.publicity.models import (
    Correspondent,
    CulturalActivity,
    MediaAsset,
    Platform,
    Publication,
    ReviewerAssignment,
    SensitiveWord,
    Story,
)


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "adapter", "sort_order", "is_active")


@admin.register(Correspondent)
class CorrespondentAdmin(admin.ModelAdmin):
    list_display = ("staff", "department", "appointed_on", "term_ends_on", "yearly_target")
    search_fields = ("staff__name", "staff__employee_no")


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "level", "is_active")


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ("word", "category", "is_active")
    search_fields = ("word",)


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("title", "department", "author", "status", "version", "published_on")
    list_filter = ("status",)
    search_fields = ("title",)
    readonly_fields = ("status", "pending_level", "version", "submitted_at", "approved_at")


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("story", "platform", "planned_on", "published_on", "views")


@admin.register(MediaAsset)
class MediaAssetAdmin(admin.ModelAdmin):
    list_display = ("caption", "kind", "shows_identifiable_patient", "patient_consent")


@admin.register(CulturalActivity)
class CulturalActivityAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "held_on", "counts_as_study")
    list_filter = ("kind",)
