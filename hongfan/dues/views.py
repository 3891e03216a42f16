"""Pages of Party dues: ledger, payments, imports, arrears, summaries."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.accounts.roles import Cap
from hongfan.core.access import capability_required, require
from hongfan.core.exports import xlsx_response
from hongfan.dues import selectors, services
from hongfan.dues.forms import (
    ArrearsFilterForm,
    LedgerFilterForm,
    PaymentForm,
    SummaryFilterForm,
    UploadForm,
)
from hongfan.dues.importing import payment_import, payroll_import


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    require(request, Cap.DUES_MANAGE, Cap.SELF_VIEW)
    qs = selectors.assessments_visible_to(request.user)
    form = LedgerFilterForm(
        request.GET or None, branches=selectors.branches_visible_to(request.user)
    )
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(
                Q(member__staff__name__icontains=d["q"])
                | Q(member__staff__employee_no__icontains=d["q"])
            )
        if d["branch"]:
            qs = qs.filter(organisation=d["branch"])
        if d["month"]:
            qs = qs.filter(month=d["month"].replace(day=1))
        if d["status"]:
            qs = qs.filter(payment__isnull=d["status"] == "unpaid")
    qs = qs.order_by("-month", "organisation__code", "member__staff__employee_no")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("dues ledger"),
            headers=[
                _("Month"),
                _("Name"),
                _("Employee number"),
                _("Branch"),
                _("Category"),
                _("Pay base"),
                _("Rate (%)"),
                _("Amount due"),
                _("Paid on"),
            ],
            rows=(
                (
                    f"{a.month:%Y-%m}",
                    a.member.staff.name,
                    a.member.staff.employee_no,
                    a.organisation.name,
                    a.get_category_display(),
                    a.base,
                    a.rate_percent,
                    a.amount_due,
                    a.payment.paid_on if a.payment else "",
                )
                for a in qs.iterator(chunk_size=500)
            ),
            object_type="dues.duesassessment",
            sheet_title=_("Dues ledger"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dues/ledger.html",
        {
            "filter_form": form,
            "page_obj": page,
            "can_manage": request.user.has_capability(Cap.DUES_MANAGE),
        },
    )


@capability_required(Cap.DUES_MANAGE)
def payment_create(request: HttpRequest) -> HttpResponse:
    form = PaymentForm(request.POST or None, members=selectors.members_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.dues_pay(
                member=d["member"],
                first_month=d["first_month"],
                last_month=d["last_month"],
                amount=d["amount"],
                paid_on=d["paid_on"],
                method=d["method"],
                note=d["note"],
                user=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    for e in errs:
                        form.add_error(field if field in form.fields else None, e)
            else:
                for e in exc.messages:
                    form.add_error(None, e)
        else:
            messages.success(request, _("The payment has been recorded."))
            return redirect("dues:ledger")
    return render(request, "dues/payment_form.html", {"form": form})


def _upload(request: HttpRequest, kind: str) -> HttpResponse:
    require(request, Cap.DUES_MANAGE)
    require(request, Cap.IMPORTS_RUN)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        members = selectors.members_visible_to(request.user)
        try:
            if kind == "payroll":
                result = payroll_import(data=data, members=members)
            else:
                result = payment_import(data=data, members=members, user=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if result.ok:
                messages.success(
                    request,
                    _("%(n)s rows imported, %(u)s unchanged.")
                    % {"n": result.created, "u": result.unchanged},
                )
                return redirect("dues:ledger")
    title = _("Import payroll") if kind == "payroll" else _("Import payments")
    columns = (
        "工号, 月份, 岗位工资, 薪级工资, 绩效工资, 津贴补贴, 个人所得税, 养老保险, …"
        if kind == "payroll"
        else "工号, 姓名, 月份, 金额, 缴纳日期, 缴纳方式"
    )
    return render(
        request,
        "dues/import.html",
        {"form": form, "result": result, "title": title, "columns": columns},
    )


@login_required
def payroll_upload(request: HttpRequest) -> HttpResponse:
    return _upload(request, "payroll")


@login_required
def payment_upload(request: HttpRequest) -> HttpResponse:
    return _upload(request, "payment")


@capability_required(Cap.DUES_MANAGE)
def arrears(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    members = selectors.members_visible_to(request.user)
    branches = selectors.branches_visible_to(request.user)
    form = ArrearsFilterForm(request.GET or None, branches=branches)
    level = ""
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            members = members.filter(
                Q(staff__name__icontains=d["q"]) | Q(staff__employee_no__icontains=d["q"])
            )
        if d["branch"]:
            members = members.filter(organisation=d["branch"])
        level = d["level"]
    rows = selectors.arrears(as_of=today, members=members)
    if level == "warned":
        rows = [a for a in rows if a.level]
    elif level == "lapsed":
        rows = [a for a in rows if a.lapsed]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("dues arrears"),
            headers=[
                _("Name"),
                _("Employee number"),
                _("Branch"),
                _("Months unpaid"),
                _("Unpaid since"),
                _("Amount"),
            ],
            rows=(
                (
                    a.member.staff.name,
                    a.member.staff.employee_no,
                    a.member.organisation.name,
                    a.months,
                    f"{a.first_unpaid:%Y-%m}",
                    a.amount,
                )
                for a in rows
            ),
            object_type="dues.arrears",
            sheet_title=_("Arrears"),
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "dues/arrears.html", {"page_obj": page, "as_of": today, "filter_form": form}
    )


@capability_required(Cap.DUES_MANAGE)
def summary(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = SummaryFilterForm(request.GET or {"year": today.year})
    year, month = today.year, None
    if form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    qs = selectors.assessments_visible_to(request.user).filter(month__year=year)
    if month:
        qs = qs.filter(month=dt.date(year, month, 1))
    branches = selectors.summary_by_branch(qs, by_month=False)
    months = selectors.summary_by_month(qs)
    total = selectors.summary_total(qs)
    total.label = _("Total")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("dues summary"),
            headers=[
                _("Branch"),
                _("Members"),
                _("Amount due"),
                _("Paid"),
                _("Arrears"),
                _("Payment rate (%)"),
            ],
            rows=[
                (r.label, r.members, r.due, r.paid, r.arrears, r.rate) for r in [*branches, total]
            ],
            object_type="dues.summary",
            sheet_title=_("Summary"),
            detail={"year": year, "month": month},
        )
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "xAxis": {"type": "category", "data": [r.label for r in months]},
        "yAxis": [{"type": "value"}, {"type": "value", "max": 100}],
        "series": [
            {"type": "bar", "name": _("Amount due"), "data": [float(r.due) for r in months]},
            {"type": "bar", "name": _("Paid"), "data": [float(r.paid) for r in months]},
            {
                "type": "line",
                "name": _("Payment rate (%)"),
                "yAxisIndex": 1,
                "data": [float(r.rate) if r.rate is not None else None for r in months],
            },
        ],
    }
    return render(
        request,
        "dues/summary.html",
        {
            "chart": chart,
            "form": form,
            "branches": branches,
            "months": months,
            "total": total,
            "year": year,
            "month": month,
        },
    )
