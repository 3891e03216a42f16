"""Equipment pages: the register, a device's file (maintenance, checks, events, cost–benefit),
records, scrapping, the maintenance schedule and the adverse-event list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors
from hongfan.equipment import forms, selectors, services
from hongfan.equipment.models import AdverseEvent, Device
from hongfan.org.models import Department

VIEW_CAPS = (Cap.EQUIPMENT_VIEW, Cap.EQUIPMENT_MANAGE)
FILTER_KEYS = ("q", "category", "status", "department")


def _errors(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _numbers(rows: Any) -> Any:
    """Amounts as numbers in Excel (the exporter writes a Decimal as text)."""
    for row in rows:
        yield tuple(float(v) if isinstance(v, Decimal) else v for v in row)


def _device(request: HttpRequest, pk: int, *caps: str) -> Device:
    require(request, *(caps or VIEW_CAPS))
    return get_visible_or_404(
        selectors.devices_visible_to(request.user).select_related("department"), pk=pk
    )


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    filters = {k: request.GET.get(k, "").strip() for k in FILTER_KEYS}
    visible = selectors.devices_visible_to(request.user)
    qs = selectors.device_list(visible, filters)
    if request.GET.get("export") == "xlsx":
        return _export(request, qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for d in page.object_list:
        d.next_pm = services.next_due(d.last_pm, d, d.maintenance_interval_months)
        d.next_check = services.next_due(d.last_check, d, d.check_interval_months)
    return render(
        request,
        "equipment/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "today": today,
            "categories": Device.Category.choices,
            "statuses": Device.Status.choices,
            "departments": Department.objects.filter(
                pk__in=visible.values("department_id")
            ).order_by("code"),
            "can_manage": request.user.has_capability(Cap.EQUIPMENT_MANAGE),
        },
    )


def _export(request: HttpRequest, qs: Any) -> HttpResponse:
    today = timezone.localdate()

    def rows() -> Any:
        for d in qs.iterator(chunk_size=500):
            yield (
                d.asset_no,
                d.name,
                d.model,
                d.manufacturer,
                d.get_category_display(),
                d.department.name,
                d.purchased_on,
                d.price,
                d.service_life_years,
                services.book_value(d, today),
                d.get_status_display(),
                d.last_pm,
                services.next_due(d.last_pm, d, d.maintenance_interval_months)
                if d.status != Device.Status.SCRAPPED
                else "",
                d.last_check,
            )

    return xlsx_response(
        request,
        filename=_("Large equipment"),
        headers=[
            _("Asset number"),
            _("Device name"),
            _("Model"),
            _("Manufacturer"),
            _("Category"),
            _("Department"),
            _("Purchase date"),
            _("Original value (yuan)"),
            _("Service life (years)"),
            _("Book value (yuan)"),
            _("Status"),
            _("Last preventive maintenance"),
            _("Next preventive maintenance"),
            _("Last quality check"),
        ],
        rows=_numbers(rows()),
        object_type="equipment.device",
        sheet_title=_("Large equipment"),
    )


@login_required
def device_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.EQUIPMENT_MANAGE)
    form = forms.DeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.device_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The device was registered."))
            return redirect("equipment:detail", pk=device.pk)
    return render(request, "equipment/form.html", {"form": form, "device": None})


@login_required
def device_edit(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk, Cap.EQUIPMENT_MANAGE)
    form = forms.DeviceForm(request.POST or None, instance=device)
    if request.method == "POST" and form.is_valid():
        try:
            services.device_update(device=device, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The device was saved."))
            return redirect("equipment:detail", pk=device.pk)
    device.refresh_from_db()
    return render(request, "equipment/form.html", {"form": form, "device": device})


@login_required
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    today = timezone.localdate()
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else today.year
    year_start, year_end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    maintenance = list(device.maintenance.select_related("recorded_by__staff"))
    checks = list(device.checks.all())
    last_pm = next((m.done_on for m in maintenance if m.kind == "preventive"), None)
    last_check = checks[0].checked_on if checks else None
    years = list(range(today.year, device.purchased_on.year - 1, -1))
    revenue = list(device.revenue.filter(month__year=year).order_by("month"))
    return render(
        request,
        "equipment/detail.html",
        {
            "device": device,
            "today": today,
            "year": year,
            "years": years,
            "maintenance": maintenance,
            "checks": checks,
            "events": device.events.select_related("reported_by__staff"),
            "revenue": revenue,
            "year_cb": services.cost_benefit(device, year_start, year_end),
            "life_cb": services.cost_benefit(device, device.purchased_on, today),
            "monthly_depreciation": services.monthly_depreciation(device),
            "book_value": services.book_value(device, today),
            "next_pm": None
            if device.status == Device.Status.SCRAPPED
            else services.next_due(last_pm, device, device.maintenance_interval_months),
            "next_check": None
            if device.status == Device.Status.SCRAPPED
            else services.next_due(last_check, device, device.check_interval_months),
            "can_manage": request.user.has_capability(Cap.EQUIPMENT_MANAGE),
            "open": device.status != Device.Status.SCRAPPED,
        },
    )


def _record(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    service: Any,
    title: str,
    done: str,
    *caps: str,
) -> HttpResponse:
    device = _device(request, pk, *(caps or (Cap.EQUIPMENT_MANAGE,)))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(device=device, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("equipment:detail", pk=device.pk)
    return render(
        request, "equipment/record.html", {"form": form, "device": device, "title": title}
    )


@login_required
def maintenance_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        forms.MaintenanceForm,
        services.maintenance_record,
        _("Record maintenance"),
        _("The maintenance was recorded."),
    )


@login_required
def check_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        forms.CheckForm,
        services.check_record,
        _("Record a quality check"),
        _("The quality check was recorded."),
    )


@login_required
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    # The department using the device reports adverse events too.
    return _record(
        request,
        pk,
        forms.EventForm,
        services.event_report,
        _("Report an adverse event"),
        _("The adverse event was reported; medical engineering has been notified."),
        *VIEW_CAPS,
    )


def _revenue(*, device: Device, actor: Any, **data: Any) -> Any:
    return services.revenue_record(device=device, **data)


@login_required
def revenue_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        forms.RevenueForm,
        _revenue,
        _("Record monthly revenue"),
        _("The revenue was recorded."),
    )


@login_required
def device_scrap(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        forms.ScrapForm,
        services.device_scrap,
        _("Scrap the device"),
        _("The device was scrapped; its file is closed."),
    )


@login_required
@require_POST
def event_status(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    device = _device(request, pk, Cap.EQUIPMENT_MANAGE)
    event = get_visible_or_404(AdverseEvent.objects.filter(device=device), pk=event_pk)
    try:
        services.event_set_status(event=event, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The event status was updated."))
    return redirect("equipment:detail", pk=device.pk)


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    today = timezone.localdate()
    raw = request.GET.get("days", "30")
    days = int(raw) if raw.isdigit() and int(raw) <= 366 else 30
    items = selectors.due_items(
        selectors.devices_visible_to(request.user).exclude(status=Device.Status.SCRAPPED),
        on=today,
        within_days=days,
    )
    return render(
        request,
        "equipment/schedule.html",
        {"items": items, "today": today, "days": days},
    )


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    status = request.GET.get("status", "")
    qs = selectors.events_visible_to(request.user).select_related("device__department")
    if status in AdverseEvent.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-occurred_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "equipment/events.html",
        {"page_obj": page, "status": status, "statuses": AdverseEvent.Status.choices},
    )


@login_required
def benefit(request: HttpRequest) -> HttpResponse:
    """Cost–benefit of every visible device for a year, with Excel export."""
    require(request, *VIEW_CAPS)
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    devices = list(
        selectors.devices_visible_to(request.user)
        .filter(purchased_on__lte=end)
        .select_related("department")
        .order_by("asset_no")
    )
    ids = [d.pk for d in devices]
    from hongfan.equipment.models import Maintenance, Revenue

    rev = dict(
        Revenue.objects.filter(device_id__in=ids, month__year=year)
        .order_by()
        .values("device_id")
        .annotate(s=Sum("amount"))
        .values_list("device_id", "s")
    )
    maint = dict(
        Maintenance.objects.filter(device_id__in=ids, done_on__gte=start, done_on__lte=end)
        .order_by()
        .values("device_id")
        .annotate(s=Sum("cost"))
        .values_list("device_id", "s")
    )
    rows = []
    for d in devices:
        cb = services.CostBenefit(
            revenue=rev.get(d.pk) or Decimal("0"),
            uses=0,
            depreciation=services.depreciation(d, start, end),
            maintenance=maint.get(d.pk) or Decimal("0"),
        )
        rows.append((d, cb))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Equipment cost-benefit %(year)d") % {"year": year},
            headers=[
                _("Asset number"),
                _("Device name"),
                _("Department"),
                _("Revenue (yuan)"),
                _("Depreciation (yuan)"),
                _("Maintenance (yuan)"),
                _("Net benefit (yuan)"),
                _("Revenue per yuan of cost"),
            ],
            rows=_numbers(
                (
                    d.asset_no,
                    d.name,
                    d.department.name,
                    cb.revenue,
                    cb.depreciation,
                    cb.maintenance,
                    cb.net,
                    cb.ratio if cb.ratio is not None else "—",
                )
                for d, cb in rows
            ),
            object_type="equipment.device",
            sheet_title=_("Cost-benefit"),
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "equipment/benefit.html",
        {"page_obj": page, "year": year, "years": list(range(today.year, today.year - 6, -1))},
    )
