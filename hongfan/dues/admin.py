"""Admin for the dues configuration: pay items counted and deducted, rate brackets."""

from django.contrib import admin

from hongfan.dues.models import DuesConfig, MemberDuesCategory, RateBracket


@admin.register(DuesConfig)
class DuesConfigAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "max_backpay_months", "lapse_months", "is_active")


@admin.register(RateBracket)
class RateBracketAdmin(admin.ModelAdmin):
    list_display = ("category", "lower", "upper", "rate_percent", "fixed_amount")
    list_filter = ("category",)


@admin.register(MemberDuesCategory)
class MemberDuesCategoryAdmin(admin.ModelAdmin):
    list_display = ("member", "category", "reason")
    raw_id_fields = ("member",)
