"""Budget pages: lines (prepare → review → approve), adjustments, analysis, assessment and the
department performance sheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.budget import forms, selectors, services
from hongfan.budget.models import Adjustment, Assessment, BudgetLine
from hongfan.budget.performance import performance_sheet
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors
from hongfan.org.models import Department

FILTER_KEYS = ("q", "year", "level", "category", "status", "department", "major")


def _errors(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _numbers(rows: Any) -> Any:
    """Amounts as numbers in Excel (the exporter writes a Decimal as text)."""
    for row in rows:
        yield tuple(float(v) if isinstance(v, Decimal) else v for v in row)


def _line(request: HttpRequest, pk: int) -> BudgetLine:
    require(request, Cap.BUDGET_VIEW)
    return get_visible_or_404(
        selectors.lines_visible_to(request.user).select_related(
            "department",
            "central_department",
            "decision__meeting",
            "prepared_by__staff",
            "reviewed_by__staff",
            "approved_by__staff",
        ),
        pk=pk,
    )


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@login_required
def line_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.BUDGET_VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in FILTER_KEYS}
    visible = selectors.lines_visible_to(request.user)
    qs = selectors.line_list(visible, filters).order_by("-year", "code")
    if request.GET.get("export") == "xlsx":
        return _export(request, qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for line in page.object_list:
        line.rate = (line.spent * 100 / line.available) if line.available else None
    dept_ids = set(visible.values_list("department_id", flat=True)) | set(
        visible.values_list("central_department_id", flat=True)
    )
    return render(
        request,
        "budget/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "levels": BudgetLine.Level.choices,
            "categories": BudgetLine.Category.choices,
            "statuses": BudgetLine.Status.choices,
            "years": selectors.year_choices(visible),
            "departments": Department.objects.filter(pk__in=dept_ids).order_by("code"),
            "can_prepare": request.user.has_capability(Cap.BUDGET_MANAGE)
            or bool(request.user.scope.department_ids),
            "can_manage": request.user.has_capability(Cap.BUDGET_MANAGE),
        },
    )


def _export(request: HttpRequest, qs: Any) -> HttpResponse:
    def rows() -> Any:
        for line in qs.iterator(chunk_size=500):
            rate = (
                (line.spent * 100 / line.available).quantize(Decimal("0.1"))
                if line.available
                else ""
            )
            yield (
                line.year,
                line.code,
                line.name,
                line.get_level_display(),
                line.get_category_display(),
                line.department.name if line.department_id else "",
                line.central_department.name if line.central_department_id else "",
                line.amount,
                line.adjusted,
                line.available,
                line.spent,
                rate,
                _("Yes") if line.is_major else "",
                line.decision.title if line.decision_id else "",
                line.get_status_display(),
            )

    return xlsx_response(
        request,
        filename=_("Budget lines"),
        headers=[
            _("Budget year"),
            _("Budget code"),
            _("Budget item"),
            _("Level"),
            _("Category"),
            _("Department"),
            _("Central managing department"),
            _("Budget amount (yuan)"),
            _("Adjustments (yuan)"),
            _("Available (yuan)"),
            _("Spent (yuan)"),
            _("Execution rate (%)"),
            _("三重一大"),
            _("Collective decision"),
            _("Status"),
        ],
        rows=_numbers(rows()),
        object_type="budget.budgetline",
        sheet_title=_("Budget lines"),
    )


@login_required
def line_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.BUDGET_VIEW)
    if not (request.user.has_capability(Cap.BUDGET_MANAGE) or request.user.scope.department_ids):
        raise PermissionDenied
    initial = {"year": timezone.localdate().year + (1 if timezone.localdate().month >= 9 else 0)}
    form = forms.LineForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.line_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The budget line was saved as a draft."))
            return redirect("budget:detail", pk=line.pk)
    return render(request, "budget/form.html", {"form": form, "line": None})


@login_required
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    if not services.can_prepare(line, request.user):
        raise PermissionDenied
    if not line.is_editable:
        messages.error(request, _("Only a line being prepared or returned can be edited."))
        return redirect("budget:detail", pk=line.pk)
    form = forms.LineForm(request.POST or None, instance=line, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.line_update(line=line, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The budget line was saved."))
            return redirect("budget:detail", pk=line.pk)
    line.refresh_from_db()
    return render(request, "budget/form.html", {"form": form, "line": line})


@login_required
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    spent = services.spent_of(line)
    user = request.user
    rate = (spent * 100 / line.available).quantize(Decimal("0.1")) if line.available else None
    warnings = services.execution_warnings([line], {line.pk: spent}, timezone.localdate())
    expenses = line.expenses.order_by("-paid_on", "voucher_no")
    return render(
        request,
        "budget/detail.html",
        {
            "line": line,
            "spent": spent,
            "remaining": line.available - spent,
            "rate": rate,
            "warnings": warnings,
            "expenses": Paginator(expenses, 50).get_page(request.GET.get("page")),
            "adjustments": line.adjustments.select_related(
                "source_line", "requested_by__staff", "decided_by__staff"
            ),
            "transfers_out": Adjustment.objects.filter(source_line=line).select_related("line"),
            "problems": services.approval_problems(line)
            if line.status == BudgetLine.Status.REVIEWED
            else [],
            "threshold": services.major_threshold(),
            "can_prepare": line.is_editable and services.can_prepare(line, user),
            "can_review": line.status == BudgetLine.Status.SUBMITTED
            and services.can_review(line, user),
            "can_approve": user.has_capability(Cap.BUDGET_APPROVE),
            "can_manage": user.has_capability(Cap.BUDGET_MANAGE),
            "return_form": forms.ReturnForm(),
        },
    )


def _transition(
    request: HttpRequest, pk: int, action: Any, done: str, allowed: Any, **kwargs: Any
) -> HttpResponse:
    line = _line(request, pk)
    if not allowed(line, request.user):
        raise PermissionDenied
    try:
        action(line=line, actor=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, done)
    return redirect("budget:detail", pk=line.pk)


def _may_return(line: BudgetLine, user: Any) -> bool:
    return services.can_review(line, user) or user.has_capability(Cap.BUDGET_APPROVE)


@login_required
@require_POST
def line_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, services.line_submit, _("The line was submitted."), services.can_prepare
    )


@login_required
@require_POST
def line_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        services.line_review,
        _("The line was passed to the budget committee."),
        services.can_review,
    )


@login_required
@require_POST
def line_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.BUDGET_APPROVE)
    return _transition(
        request, pk, services.line_approve, _("The line was approved."), lambda ln, u: True
    )


@login_required
@require_POST
def line_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        services.line_return,
        _("The line was returned for revision."),
        _may_return,
        reason=request.POST.get("reason", ""),
    )


@login_required
def line_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.BUDGET_MANAGE)
    line = _line(request, pk)
    visible = selectors.lines_visible_to(request.user)
    form = forms.AdjustmentForm(request.POST or None, line=line, lines=visible)
    if request.method == "POST" and form.is_valid():
        try:
            adj = services.adjustment_request(line=line, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if adj.status == Adjustment.Status.APPLIED:
                messages.success(request, _("The reduction was applied."))
            else:
                messages.success(
                    request, _("The adjustment was sent to the budget committee for approval.")
                )
            return redirect("budget:detail", pk=line.pk)
    return render(
        request,
        "budget/adjust.html",
        {"form": form, "line": line, "spent": services.spent_of(line)},
    )


def _adjustment(request: HttpRequest, pk: int) -> Adjustment:
    require(request, Cap.BUDGET_APPROVE)
    return get_visible_or_404(selectors.adjustments_visible_to(request.user), pk=pk)


@login_required
@require_POST
def adjustment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    adj = _adjustment(request, pk)
    try:
        services.adjustment_approve(
            adjustment=adj, actor=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The adjustment was approved and applied."))
    return redirect("budget:detail", pk=adj.line_id)


@login_required
@require_POST
def adjustment_reject(request: HttpRequest, pk: int) -> HttpResponse:
    adj = _adjustment(request, pk)
    try:
        services.adjustment_reject(
            adjustment=adj, actor=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The adjustment was rejected."))
    return redirect("budget:detail", pk=adj.line_id)


@login_required
def adjustment_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.BUDGET_VIEW)
    status = request.GET.get("status", "")
    qs = selectors.adjustments_visible_to(request.user).select_related(
        "line__department", "source_line", "requested_by__staff", "decided_by__staff"
    )
    if status in Adjustment.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-requested_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "budget/adjustments.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": Adjustment.Status.choices,
            "can_approve": request.user.has_capability(Cap.BUDGET_APPROVE),
        },
    )


@login_required
def analysis(request: HttpRequest) -> HttpResponse:
    require(request, Cap.BUDGET_VIEW)
    year = _year(request)
    visible = selectors.lines_visible_to(request.user)
    today = timezone.localdate()
    on = min(today, dt.date(year, 12, 31))
    by_category = selectors.category_execution(year=year, qs=visible)
    by_level = selectors.level_execution(year=year, qs=visible)
    by_department = selectors.department_execution(year=year, qs=visible)
    monthly = selectors.monthly_spending(year=year, qs=visible)
    lines = list(
        visible.filter(year=year, status=BudgetLine.Status.APPROVED).select_related("department")
    )
    spent = selectors.spent_by_line([ln.pk for ln in lines], until=on)
    warnings = services.execution_warnings(lines, spent, on) if on.year == year else []
    total_available = sum((r.available for r in by_category), Decimal("0"))
    cumulative, running = [], Decimal("0")
    for m in monthly:
        running += m
        cumulative.append(float(running))
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Monthly spending"), _("Cumulative spending")]},
        "xAxis": {"type": "category", "data": [f"{m}月" for m in range(1, 13)]},
        "yAxis": {"type": "value", "name": _("yuan")},
        "series": [
            {"name": _("Monthly spending"), "type": "bar", "data": [float(m) for m in monthly]},
            {"name": _("Cumulative spending"), "type": "line", "data": cumulative},
        ],
    }
    return render(
        request,
        "budget/analysis.html",
        {
            "year": year,
            "years": selectors.year_choices(visible) or [year],
            "by_category": by_category,
            "by_level": by_level,
            "by_department": by_department,
            "warnings": warnings,
            "progress": services.time_progress(on),
            "total_available": total_available,
            "total_spent": sum(monthly, Decimal("0")),
            "chart": chart,
        },
    )


@login_required
def assessment(request: HttpRequest) -> HttpResponse:
    require(request, Cap.BUDGET_VIEW)
    year = _year(request)
    if request.method == "POST":
        require(request, Cap.BUDGET_MANAGE)
        rows = services.assessment_run(year=year, actor=request.user)
        messages.success(
            request,
            _("%(n)d departments were assessed for %(year)d.") % {"n": len(rows), "year": year},
        )
        return redirect(f"{request.path}?year={year}")
    qs = Assessment.objects.filter(year=year).select_related("department")
    if not request.user.scope.hospital_wide:
        qs = qs.filter(department_id__in=request.user.scope.department_ids)
    qs = qs.order_by("-score", "department__code")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Budget assessment %(year)d") % {"year": year},
            headers=[
                _("Department"),
                _("Available (yuan)"),
                _("Spent (yuan)"),
                _("Execution rate (%)"),
                _("Score"),
                pgettext("budget", "Comment"),
            ],
            rows=_numbers(
                (a.department.name, a.available, a.spent, a.rate, a.score, a.comment) for a in qs
            ),
            object_type="budget.assessment",
            sheet_title=_("Budget assessment"),
        )
    years = selectors.year_choices(selectors.lines_visible_to(request.user)) or [year]
    return render(
        request,
        "budget/assessment.html",
        {
            "year": year,
            "years": years,
            "rows": list(qs),
            "can_manage": request.user.has_capability(Cap.BUDGET_MANAGE),
        },
    )


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, str]:
    """The sheet's period from ?start=&end= (default: the current quarter to date)."""
    today = timezone.localdate()
    default = (_quarter_start(today), today)
    raw_start, raw_end = request.GET.get("start", ""), request.GET.get("end", "")
    try:
        start = parse_date(raw_start) if raw_start else default[0]
        end = parse_date(raw_end) if raw_end else default[1]
    except ValueError:
        start = end = None
    if start is None or end is None:
        return (*default, _("Enter dates as YYYY-MM-DD; the current quarter is shown."))
    if end < start:
        return (
            *default,
            _("The end of the period is before its start; the current quarter is shown."),
        )
    return start, end, ""


def _quarters(year: int) -> list[tuple[str, dt.date, dt.date]]:
    out = []
    for q in range(1, 5):
        start = dt.date(year, 3 * q - 2, 1)
        end = (dt.date(year + (q == 4), (3 * q) % 12 + 1, 1)) - dt.timedelta(days=1)
        out.append((f"{year}Q{q}", start, end))
    return out


@login_required
def performance(request: HttpRequest) -> HttpResponse:
    require(request, Cap.PERFORMANCE_VIEW)
    try:
        start, end, error = _period(request)
    except ValueError:
        start, end, error = (
            dt.date(timezone.localdate().year, 1, 1),
            timezone.localdate(),
            _("Enter dates as YYYY-MM-DD; the year to date is shown."),
        )
    departments = list(Department.objects.filter(is_active=True).order_by("code"))
    q = request.GET.get("q", "").strip()
    if q:
        departments = [d for d in departments if q in d.name or q in d.code]
    sheet = performance_sheet(start=start, end=end, departments=departments)
    if request.GET.get("export") == "xlsx":
        headers = [_("Department code"), _("Department")] + [
            f"{c.label}（{c.unit}）" if c.unit else c.label for c in sheet.columns
        ]
        rows = [
            [d.code, d.name] + ["—" if v is None else float(v) for v in vals]
            for d, vals in sheet.rows
        ]
        return xlsx_response(
            request,
            filename=_("Department performance %(start)s–%(end)s") % {"start": start, "end": end},
            headers=headers,
            rows=rows,
            object_type="budget.performance",
            sheet_title=_("Department performance"),
        )
    return render(
        request,
        "budget/performance.html",
        {
            "sheet": sheet,
            "start": start,
            "end": end,
            "error": error,
            "q": q,
            "quarters": _quarters(end.year),
        },
    )
