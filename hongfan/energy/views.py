"""Energy pages: dashboard, meters, alarms (to work orders), reading import, detection."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors
from hongfan.energy import forms, selectors, services
from hongfan.energy.models import Alarm, Meter, ReadingImport

VIEW = (Cap.ENERGY_VIEW, Cap.ENERGY_MANAGE)


def _errors(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    meters = selectors.meters_visible_to(request.user).filter(is_active=True)
    building = request.GET.get("building", "").strip()
    buildings = sorted(set(meters.values_list("building", flat=True)))
    if building:
        meters = meters.filter(building=building)
    today = timezone.localdate()
    end = _date(request.GET.get("end", ""), today - dt.timedelta(days=1))
    start = _date(request.GET.get("start", ""), end - dt.timedelta(days=29))
    if end < start or (end - start).days > 400:
        messages.error(request, _("Choose a period of at most 400 days, the start before the end."))
        start, end = end - dt.timedelta(days=29), end
    meter_rows = list(meters.values("pk", "code", "name", "building"))
    ids = [m["pk"] for m in meter_rows]
    rows = selectors.daily_use(ids, start, end, by_meter=True)
    by_day: dict[dt.date, float] = defaultdict(float)
    by_building: dict[str, float] = defaultdict(float)
    by_meter: dict[int, float] = defaultdict(float)
    where = {m["pk"]: m["building"] for m in meter_rows}
    for r in rows:
        by_day[r["day"]] += r["kwh"]
        by_building[where[r["meter_id"]]] += r["kwh"]
        by_meter[r["meter_id"]] += r["kwh"]
    alarms = selectors.alarms_visible_to(request.user).filter(
        day__gte=start, day__lte=end, meter__in=meters
    )
    kinds = dict(Alarm.Kind.choices)
    alarm_counts = {
        r["kind"]: r["n"] for r in alarms.order_by().values("kind").annotate(n=Count("pk"))
    }
    days = sorted(by_day)
    day_chart = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [d.strftime("%m-%d") for d in days]},
        "yAxis": {"type": "value", "name": "kWh"},
        "series": [
            {
                "name": _("Use (kWh)"),
                "type": "line",
                "smooth": True,
                "data": [round(by_day[d], 1) for d in days],
            }
        ],
    }
    blds = sorted(by_building, key=lambda b: -by_building[b])
    building_chart = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": blds},
        "yAxis": {"type": "value", "name": "kWh"},
        "series": [
            {
                "name": _("Use (kWh)"),
                "type": "bar",
                "data": [round(by_building[b], 1) for b in blds],
            }
        ],
    }
    alarm_chart = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": "60%",
                "data": [{"name": str(kinds[k]), "value": alarm_counts.get(k, 0)} for k in kinds],
            }
        ],
    }
    names = {m["pk"]: m for m in meter_rows}
    top = [
        {**names[mid], "kwh": round(kwh, 1)}
        for mid, kwh in sorted(by_meter.items(), key=lambda kv: -kv[1])[:10]
    ]
    return render(
        request,
        "energy/dashboard.html",
        {
            "start": start,
            "end": end,
            "building": building,
            "buildings": buildings,
            "total": round(sum(by_day.values()), 1),
            "meter_count": len(ids),
            "alarm_total": sum(alarm_counts.values()),
            "open_alarms": alarms.filter(status=Alarm.Status.OPEN).select_related("meter")[:10],
            "open_count": alarms.filter(status=Alarm.Status.OPEN).count(),
            "has_data": bool(rows),
            "top": top,
            "day_chart": day_chart,
            "building_chart": building_chart,
            "alarm_chart": alarm_chart,
            "can_manage": request.user.has_capability(Cap.ENERGY_MANAGE),
        },
    )


@login_required
def meter_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "scope", "building")}
    visible = selectors.meters_visible_to(request.user)
    qs = (
        selectors.meter_list(visible, filters)
        .annotate(open_alarms=Count("alarms", filter=Q(alarms__status="open")))
        .order_by("building", "code")
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Meters"),
            headers=[
                _("Meter number"),
                _("Name"),
                _("Measures"),
                _("Building"),
                _("Department"),
                _("Device"),
                _("Margin (%)"),
                _("Night limit (%)"),
                _("Spike factor"),
                _("Active"),
                _("Open alarms"),
            ],
            rows=(
                [
                    m.code,
                    m.name,
                    m.get_scope_display(),
                    m.building,
                    m.department.name if m.department else "",
                    m.device,
                    m.margin_percent,
                    m.night_ratio_percent,
                    float(m.spike_factor),
                    _("Yes") if m.is_active else _("No"),
                    m.open_alarms,
                ]
                for m in qs
            ),
            object_type="energy.Meter",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "energy/meters.html",
        {
            "page_obj": page,
            "filters": filters,
            "scopes": Meter.Scope.choices,
            "buildings": sorted(set(visible.values_list("building", flat=True))),
            "can_manage": request.user.has_capability(Cap.ENERGY_MANAGE),
        },
    )


@login_required
def meter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    meter = get_visible_or_404(
        selectors.meters_visible_to(request.user).select_related("department"), pk=pk
    )
    end = timezone.localdate() - dt.timedelta(days=1)
    start = end - dt.timedelta(days=59)
    rows = selectors.daily_use([meter.pk], start, end)
    chart = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [r["day"].strftime("%m-%d") for r in rows]},
        "yAxis": {"type": "value", "name": "kWh"},
        "series": [
            {"name": _("Use (kWh)"), "type": "bar", "data": [round(r["kwh"], 1) for r in rows]}
        ],
    }
    return render(
        request,
        "energy/meter.html",
        {
            "meter": meter,
            "chart": chart,
            "has_data": bool(rows),
            "alarms": meter.alarms.select_related("work_order").order_by("-day")[:20],
            "can_manage": request.user.has_capability(Cap.ENERGY_MANAGE),
        },
    )


@login_required
def meter_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, Cap.ENERGY_MANAGE)
    meter = get_visible_or_404(Meter.objects.all(), pk=pk) if pk else None
    form = forms.MeterForm(request.POST or None, instance=meter)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.meter_save(meter=meter, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Meter saved."))
            return redirect("energy:meter", pk=saved.pk)
    return render(request, "energy/meter_form.html", {"form": form, "meter": meter})


ALARM_FILTERS = ("q", "kind", "status", "building", "start", "end")


@login_required
def alarm_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in ALARM_FILTERS}
    visible = selectors.alarms_visible_to(request.user)
    qs = selectors.alarm_list(visible, filters).order_by("-day", "meter__code", "kind")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Energy alarms"),
            headers=[
                _("Day"),
                _("Meter number"),
                _("Meter"),
                _("Building"),
                _("Kind"),
                _("Measured"),
                _("Reference"),
                _("Limit"),
                _("Detail"),
                _("Status"),
                _("Work order"),
            ],
            rows=(
                [
                    a.day,
                    a.meter.code,
                    a.meter.name,
                    a.meter.building,
                    a.get_kind_display(),
                    a.value,
                    a.reference,
                    a.limit,
                    a.detail,
                    a.get_status_display(),
                    a.work_order.number if a.work_order else "",
                ]
                for a in qs.iterator(chunk_size=1000)
            ),
            object_type="energy.Alarm",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "energy/alarms.html",
        {
            "page_obj": page,
            "filters": filters,
            "kinds": Alarm.Kind.choices,
            "statuses": Alarm.Status.choices,
            "buildings": sorted(
                set(selectors.meters_visible_to(request.user).values_list("building", flat=True))
            ),
        },
    )


@login_required
def alarm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    alarm = get_visible_or_404(
        selectors.alarms_visible_to(request.user).select_related(
            "meter__department", "work_order__matter__type"
        ),
        pk=pk,
    )
    points = selectors.intraday(alarm.meter_id, alarm.day)
    chart = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [p["ts"].strftime("%m-%d %H:%M") for p in points]},
        "yAxis": {"type": "value", "name": "kWh"},
        "series": [
            {
                "name": _("Use per 15 minutes (kWh)"),
                "type": "line",
                "step": "end",
                "data": [round(p["usage"], 3) for p in points],
            }
        ],
    }
    return render(
        request,
        "energy/alarm.html",
        {
            "alarm": alarm,
            "chart": chart,
            "has_points": bool(points),
            "close_form": forms.CloseForm(),
            "can_manage": request.user.has_capability(Cap.ENERGY_MANAGE),
        },
    )


@login_required
@require_POST
def alarm_act(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.ENERGY_MANAGE)
    alarm = get_visible_or_404(selectors.alarms_visible_to(request.user), pk=pk)
    try:
        if request.POST.get("action") == "work_order":
            alarm = services.alarm_open_work_order(
                alarm=alarm, actor=request.user, note=request.POST.get("note", "")
            )
            messages.success(
                request, _("Work order %(n)s opened.") % {"n": alarm.work_order.number}
            )
        elif request.POST.get("action") == "close":
            services.alarm_close(alarm=alarm, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Alarm closed."))
        else:
            raise ValidationError(_("Unknown step."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("energy:alarm", pk=alarm.pk)


@login_required
def import_readings(request: HttpRequest) -> HttpResponse:
    require(request, Cap.ENERGY_MANAGE)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.readings_import(
                data=upload.read(), file_name=upload.name, user=request.user
            )
        except services.ImportRefused as exc:
            errors = exc.errors
            messages.error(
                request,
                _("The file was refused: %(n)s rows have problems; nothing was imported.")
                % {"n": len(errors)},
            )
        else:
            messages.success(
                request,
                _(
                    "%(rows)s readings of %(meters)s meters checked: %(new)s new, "
                    "%(same)s already imported; %(alarms)s new alarms."
                )
                % {
                    "rows": record.rows,
                    "meters": record.meters,
                    "new": record.new_rows,
                    "same": record.rows - record.new_rows,
                    "alarms": record.alarms,
                },
            )
            return redirect("energy:import")
    history = ReadingImport.objects.select_related("imported_by__staff")[:20]
    return render(
        request,
        "energy/import.html",
        {
            "form": form,
            "errors": errors,
            "history": history,
            "detect_form": forms.DetectForm(
                initial={
                    "start": timezone.localdate() - dt.timedelta(days=7),
                    "end": timezone.localdate() - dt.timedelta(days=1),
                }
            ),
        },
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    require(request, Cap.ENERGY_MANAGE)
    body = "表号,时间,读数\nM-ZY-01,2026-07-01 00:15,12580.25\nM-ZY-01,2026-07-01 00:30,12581.10\n"
    response = HttpResponse(
        ("\ufeff" + body).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = "attachment; filename=energy-readings-template.csv"
    return response


@login_required
@require_POST
def detect(request: HttpRequest) -> HttpResponse:
    require(request, Cap.ENERGY_MANAGE)
    form = forms.DetectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("energy:import")
    result = services.alarms_detect(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    messages.success(
        request, _("%(found)s alarms found: %(created)s new, %(updated)s updated.") % result
    )
    return redirect("energy:alarms")
