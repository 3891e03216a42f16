"""Pages of the working-day calendar: year view, calculator, and the day table for admins."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.core.access import capability_required, get_visible_or_404
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors as _apply_errors
from hongfan.workdays import selectors, services
from hongfan.workdays.forms import CalculatorForm, DayFilterForm, DayForm, YearMarkForm


def _year_param(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1900 <= year <= 2200 else timezone.localdate().year


# The official calendar is public information every signed-in user needs for deadlines.
@login_required
def year_view(request: HttpRequest) -> HttpResponse:
    year = _year_param(request)
    entries = selectors.calendar_days_in_year(year)
    return render(
        request,
        "workdays/year.html",
        {
            "year": year,
            "months": selectors.year_grid(year, entries),
            "entries": selectors.entry_ranges(entries),
            "warning": services.coverage_warning(dt.date(year, 1, 1)),
            "year_entry": selectors.calendar_year_entry(year),
            "can_manage": request.user.has_capability(Cap.CALENDAR_MANAGE),  # type: ignore[union-attr]
            "mark_form": YearMarkForm(),
        },
    )


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    form = CalculatorForm(request.GET or None)
    result = warning = None
    if form.is_valid():
        start, days = form.cleaned_data["start"], form.cleaned_data["days"]
        result = services.add_working_days(start, days)
        warning = services.coverage_warning(start, result)
    return render(
        request, "workdays/calculator.html", {"form": form, "result": result, "warning": warning}
    )


@capability_required(Cap.CALENDAR_MANAGE)
def day_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.calendar_days_visible_to(request.user)
    form = DayFilterForm(request.GET or None)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            q = Q(name__icontains=d["q"])
            with contextlib.suppress(ValueError):
                q |= Q(date=dt.date.fromisoformat(d["q"].strip()))
            qs = qs.filter(q)
        if d["year"]:
            qs = qs.filter(date__year=d["year"])
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["source"]:
            qs = qs.filter(source=d["source"])
    qs = qs.order_by("-date")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(  # type: ignore[return-value]
            request,
            filename=_("working-day calendar"),
            headers=[_("Date"), _("Weekday"), _("Kind"), _("Festival"), _("Source")],
            rows=(
                (
                    d.date,
                    _weekday(d.date),
                    d.get_kind_display(),
                    d.name,
                    d.get_source_display(),
                )
                for d in qs.iterator(chunk_size=500)
            ),
            object_type="workdays.calendarday",
            sheet_title=_("Calendar days"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "workdays/day_list.html", {"filter_form": form, "page_obj": page})


def _weekday(day: dt.date) -> str:
    return date_format(day, "l")


def _day_form(
    request: HttpRequest, form: DayForm, *, title: str, previous: dt.date | None = None
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        taken = selectors.calendar_days_visible_to(request.user).filter(date=d["date"])
        if d["date"] != previous and taken.exists():
            form.add_error("date", _("This date already has an entry: edit that entry instead."))
            return render(request, "workdays/day_form.html", {"form": form, "title": title})
        try:
            services.calendar_day_set(
                day=d["date"], kind=d["kind"], name=d["name"], previous=previous
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The calendar day has been saved."))
            return redirect("workdays:day_list")
    return render(request, "workdays/day_form.html", {"form": form, "title": title})


@capability_required(Cap.CALENDAR_MANAGE)
def day_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("date"):
        initial["date"] = request.GET["date"]
    form = DayForm(request.POST or None, initial=initial)
    return _day_form(request, form, title=_("Add a calendar day"))


@capability_required(Cap.CALENDAR_MANAGE)
def day_edit(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_visible_or_404(selectors.calendar_days_visible_to(request.user), pk=pk)
    form = DayForm(
        request.POST or None, initial={"date": day.date, "kind": day.kind, "name": day.name}
    )
    return _day_form(
        request,
        form,
        title=_("Edit calendar day %(date)s") % {"date": day.date},
        previous=day.date,
    )


@capability_required(Cap.CALENDAR_MANAGE)
def day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_visible_or_404(selectors.calendar_days_visible_to(request.user), pk=pk)
    if request.method == "POST":
        services.calendar_day_remove(day=day.date)
        messages.success(request, _("The calendar day has been removed."))
        return redirect("workdays:day_list")
    return render(request, "workdays/day_delete.html", {"day": day})


@require_POST
@capability_required(Cap.CALENDAR_MANAGE)
def year_mark(request: HttpRequest, year: int) -> HttpResponse:
    if request.POST.get("action") == "unmark":
        services.calendar_year_remove(year=year)
        messages.success(
            request, _("%(year)s now counts Monday to Friday (no official data).") % {"year": year}
        )
    else:
        form = YearMarkForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        services.calendar_year_set(year=year, note=note)
        messages.success(
            request,
            _("The official arrangement for %(year)s is marked as entered.") % {"year": year},
        )
    return redirect(f"{reverse('workdays:year')}?year={year}")
