from django.contrib import admin

from hongfan.budget.models import Adjustment, Assessment, BudgetLine, Expense


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("year", "code", "name", "level", "category", "department", "amount", "status")
    list_filter = ("year", "level", "category", "status", "is_major")
    search_fields = ("code", "name")
    raw_id_fields = ("department", "central_department", "decision")


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    list_display = ("voucher_no", "paid_on", "line", "amount")
    search_fields = ("voucher_no", "line__code")
    raw_id_fields = ("line",)


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    list_display = ("line", "amount", "status", "requested_at")
    list_filter = ("status",)
    raw_id_fields = ("line", "source_line")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("year", "department", "rate", "score")
    list_filter = ("year",)
