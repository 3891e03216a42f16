"""Outreach pages: activities with totals, the honours register, emergency mobilisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hongfan.accounts.roles import Cap
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors
from hongfan.org.models import Department
from hongfan.outreach import forms, selectors, services
from hongfan.outreach.models import (
    Activity,
    ActivityPhoto,
    Deployment,
    DutyShift,
    EmergencyCall,
    Honour,
)
from hongfan.party.models import PartyOrganisation

VIEW_CAPS = (Cap.OUTREACH_VIEW, Cap.OUTREACH_MANAGE, Cap.SELF_VIEW)
ACTIVITY_FILTERS = ("q", "kind", "branch", "department", "start", "end")
HONOUR_FILTERS = ("q", "level", "holder", "year", "revoked")


def _errors(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = selectors._date(request.GET.get("start")) or dt.date(today.year, 1, 1)
    end = selectors._date(request.GET.get("end")) or today
    if end < start:
        start, end = end, start
    return start, end


# --- Activities ---------------------------------------------------------------------------


def _activity(request: HttpRequest, pk: int) -> Activity:
    require(request, *VIEW_CAPS)
    return get_visible_or_404(
        selectors.activities_visible_to(request.user).select_related("organisation"), pk=pk
    )


def _managed_organisations(user: Any) -> Any:
    qs = PartyOrganisation.objects.exclude(kind=PartyOrganisation.Kind.GROUP)
    if user.scope.hospital_wide:
        return qs
    return qs.filter(pk__in=user.scope.organisation_ids)


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    filters = {k: request.GET.get(k, "").strip() for k in ACTIVITY_FILTERS}
    visible = selectors.activities_visible_to(request.user)
    qs = selectors.activity_list(visible, filters)
    if request.GET.get("export") == "xlsx":
        return _export_activities(request, qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    sums = selectors.activity_sums(selectors.activity_filter(visible, filters))
    return render(
        request,
        "outreach/activity_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "kinds": Activity.Kind.choices,
            "branches": PartyOrganisation.objects.filter(
                pk__in=visible.values("organisation_id")
            ).order_by("code"),
            "departments": Department.objects.filter(
                pk__in=Activity.departments.through.objects.filter(
                    activity__in=visible.values("pk")
                ).values("department_id")
            ).order_by("code"),
            "sums": sums,
            "can_manage": request.user.has_capability(Cap.OUTREACH_MANAGE),
            "can_totals": request.user.has_capability(Cap.OUTREACH_VIEW),
        },
    )


def _export_activities(request: HttpRequest, qs: Any) -> HttpResponse:
    qs = qs.prefetch_related("departments")
    rows = (
        (
            n,
            a.held_on,
            a.get_kind_display(),
            a.title,
            a.place,
            a.organisation.name,
            "、".join(d.name for d in a.departments.all()),
            a.staff_count,
            a.member_count,
            a.hours,
            a.people_served,
            a.people_cap,
            a.examinations,
            a.materials,
            a.fees_waived,
            a.partners,
        )
        for n, a in enumerate(qs.iterator(chunk_size=500), start=1)
    )
    headers = [
        _("Serial no."),
        _("Date"),
        _("Type"),
        _("Title"),
        _("Place"),
        _("Organising branch"),
        _("Departments"),
        _("Staff taking part"),
        _("of whom Party members"),
        _("Hours per person"),
        _("People served"),
        _("Stated cap on people"),
        _("Examinations done"),
        _("Materials handed out"),
        _("Fees waived (yuan)"),
        _("Partner institutions"),
    ]
    return xlsx_response(
        request,
        filename=_("Outreach activities"),
        headers=headers,
        rows=rows,
        object_type="outreach.activity",
        sheet_title=_("Outreach activities"),
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    participants = activity.participants.select_related("staff__department").order_by(
        "-is_member", "staff__name"
    )
    return render(
        request,
        "outreach/activity_detail.html",
        {
            "activity": activity,
            "departments": activity.departments.order_by("code"),
            "participants": participants,
            "photos": activity.photos.all(),
            "staff_hours": activity.hours * len(participants),
            "can_manage": services.may_manage_activity_for(request.user, activity.organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.OUTREACH_MANAGE)
    orgs = _managed_organisations(request.user)
    # The roster links here with the day's duty prefilled (kind, date, place, volunteers).
    initial: dict[str, Any] = {
        k: request.GET[k] for k in ("kind", "held_on", "place") if k in request.GET
    }
    if request.GET.getlist("participants"):
        initial["participants"] = request.GET.getlist("participants")
    form = forms.ActivityForm(
        request.POST or None, request.FILES or None, organisations=orgs, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("outreach:activity_detail", pk=activity.pk)
    return render(request, "outreach/activity_form.html", {"form": form, "activity": None})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.OUTREACH_MANAGE)
    activity = _activity(request, pk)
    if not services.may_manage_activity_for(request.user, activity.organisation):
        raise PermissionDenied
    form = forms.ActivityForm(
        request.POST or None,
        request.FILES or None,
        instance=activity,
        organisations=_managed_organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        try:
            services.activity_update(
                activity=activity,
                actor=request.user,
                participants=data.pop("participants"),
                departments=data.pop("departments"),
                photos=data.pop("photos"),
                **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("outreach:activity_detail", pk=activity.pk)
    activity.refresh_from_db()
    return render(request, "outreach/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.OUTREACH_MANAGE)
    activity = _activity(request, pk)
    if not services.may_manage_activity_for(request.user, activity.organisation):
        raise PermissionDenied
    services.activity_delete(activity=activity, actor=request.user)
    messages.success(request, _("The activity was deleted; its volunteer hours were voided."))
    return redirect("outreach:activity_list")


@login_required
def activity_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    activity = _activity(request, pk)
    photo = get_visible_or_404(ActivityPhoto.objects.filter(activity=activity), pk=photo_pk)
    return FileResponse(photo.file.open("rb"), filename=photo.original_name)


@login_required
@require_POST
def activity_photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    require(request, Cap.OUTREACH_MANAGE)
    activity = _activity(request, pk)
    if not services.may_manage_activity_for(request.user, activity.organisation):
        raise PermissionDenied
    photo = get_visible_or_404(ActivityPhoto.objects.filter(activity=activity), pk=photo_pk)
    services.activity_photo_delete(photo=photo, actor=request.user)
    messages.success(request, _("The photo was removed."))
    return redirect("outreach:activity_detail", pk=activity.pk)


@login_required
def totals(request: HttpRequest) -> HttpResponse:
    """Cumulative totals by period, type, branch and department (scoped)."""
    require(request, Cap.OUTREACH_VIEW)
    start, end = _period(request)
    scope = request.user.scope
    filters: dict[str, Any] = {}
    if not scope.hospital_wide:
        # A secretary sees the activities their branch organised; a department head those
        # involving their departments.
        if scope.organisation_ids:
            filters = {"organisation_ids": scope.organisation_ids}
        else:
            filters = {"department_ids": scope.department_ids}
    overall = selectors.outreach_totals(start, end, **filters)
    by_branch = selectors.outreach_totals_by(start, end, by="organisation", **filters)
    by_department = selectors.outreach_totals_by(start, end, by="department", **filters)
    if "department_ids" in filters:
        by_department = [r for r in by_department if r["id"] in scope.department_ids]
    if request.GET.get("export") == "xlsx":
        return _export_totals(request, start, end, overall, by_branch, by_department)
    types = list(overall["by_type"].values())
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "xAxis": {"type": "category", "data": [v["label"] for v in types]},
        "yAxis": {"type": "value"},
        "series": [
            {
                "type": "bar",
                "name": _("People served"),
                "data": [v["people_served"] for v in types],
            },
            {"type": "bar", "name": _("Staff-times"), "data": [v["staff_times"] for v in types]},
        ],
    }
    return render(
        request,
        "outreach/totals.html",
        {
            "start": start,
            "end": end,
            "overall": overall,
            "by_branch": by_branch,
            "by_department": by_department,
            "chart": chart,
        },
    )


def _export_totals(
    request: HttpRequest,
    start: dt.date,
    end: dt.date,
    overall: dict[str, Any],
    by_branch: list[dict[str, Any]],
    by_department: list[dict[str, Any]],
) -> HttpResponse:
    keys = (
        "activities",
        "people_served",
        "examinations",
        "materials",
        "fees_waived",
        "staff_times",
        "member_times",
        "hours",
    )
    rows: list[list[Any]] = [
        [_("Total"), f"{start:%Y-%m-%d}~{end:%Y-%m-%d}", *(overall[k] for k in keys)]
    ]
    rows += [[_("Type"), v["label"], *(v[k] for k in keys)] for v in overall["by_type"].values()]
    rows += [[_("Branch"), r["name"], *(r[k] for k in keys)] for r in by_branch]
    rows += [[_("Department"), r["name"], *(r[k] for k in keys)] for r in by_department]
    headers = [
        _("Grouping"),
        _("Name"),
        _("Activities"),
        _("People served"),
        _("Examinations done"),
        _("Materials handed out"),
        _("Fees waived (yuan)"),
        _("Staff-times"),
        _("of whom Party members"),
        _("Volunteer hours"),
    ]
    return xlsx_response(
        request,
        filename=_("Outreach totals"),
        headers=headers,
        rows=rows,
        object_type="outreach.activity",
        sheet_title=_("Outreach totals"),
    )


# --- Honours ------------------------------------------------------------------------------


@login_required
def honour_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW, Cap.HONOURS_MANAGE)
    filters = {k: request.GET.get(k, "").strip() for k in HONOUR_FILTERS}
    visible = selectors.honours_visible_to(request.user)
    qs = selectors.honour_list(visible, filters)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                n,
                h.awarded_on,
                h.title,
                h.get_level_display(),
                h.get_holder_display(),
                h.holder_name,
                h.awarded_by,
                h.document_no,
                h.revoked_on or "",
            )
            for n, h in enumerate(qs.iterator(chunk_size=500), start=1)
        )
        return xlsx_response(
            request,
            filename=_("Honours register"),
            headers=[
                _("Serial no."),
                _("Awarded on"),
                _("Honour"),
                _("Level"),
                _("Awarded to"),
                _("Holder"),
                _("Awarded by"),
                _("Document number"),
                _("Revoked on"),
            ],
            rows=rows,
            object_type="outreach.honour",
            sheet_title=_("Honours register"),
        )
    counts = selectors.honour_counts(selectors.honour_list(visible, {**filters, "level": ""}))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/honour_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "levels": Honour.Level.choices,
            "holders": Honour.Holder.choices,
            "years": selectors.year_choices(visible, "awarded_on"),
            "counts": [
                (code, label, counts[code]["total"]) for code, label in Honour.Level.choices
            ],
            "can_manage": request.user.has_capability(Cap.HONOURS_MANAGE),
            "revoke_form": forms.RevokeForm(initial={"revoked_on": timezone.localdate()}),
        },
    )


HONOUR_TITLES = (
    "先进基层党组织",
    "优秀共产党员",
    "优秀党务工作者",
    "白求恩式医务工作者",
    "党员示范岗",
    "窗口服务标兵",
    "青年文明号",
    "巾帼文明岗",
)


@login_required
@require_http_methods(["GET", "POST"])
def honour_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.HONOURS_MANAGE)
    form = forms.HonourForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.honour_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The honour was registered."))
            return redirect("outreach:honour_list")
    return render(
        request,
        "outreach/honour_form.html",
        {"form": form, "honour": None, "titles": HONOUR_TITLES},
    )


@login_required
@require_http_methods(["GET", "POST"])
def honour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.HONOURS_MANAGE)
    honour = get_visible_or_404(selectors.honours_visible_to(request.user), pk=pk)
    form = forms.HonourForm(request.POST or None, request.FILES or None, instance=honour)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        evidence = data.pop("evidence", None)
        try:
            services.honour_update(honour=honour, actor=request.user, evidence=evidence, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The honour was saved."))
            return redirect("outreach:honour_list")
    honour.refresh_from_db()
    return render(
        request,
        "outreach/honour_form.html",
        {"form": form, "honour": honour, "titles": HONOUR_TITLES},
    )


@login_required
@require_POST
def honour_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.HONOURS_MANAGE)
    honour = get_visible_or_404(selectors.honours_visible_to(request.user), pk=pk)
    form = forms.RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and the reason for revoking the honour."))
        return redirect("outreach:honour_list")
    try:
        services.honour_revoke(
            honour=honour,
            actor=request.user,
            on=form.cleaned_data["revoked_on"],
            reason=form.cleaned_data["revoke_reason"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The honour was revoked."))
    return redirect("outreach:honour_list")


@login_required
def honour_evidence(request: HttpRequest, pk: int) -> FileResponse:
    require(request, Cap.SELF_VIEW, Cap.HONOURS_MANAGE)
    honour = get_visible_or_404(
        selectors.honours_visible_to(request.user).exclude(evidence=""), pk=pk
    )
    return FileResponse(
        honour.evidence.open("rb"), as_attachment=True, filename=honour.evidence_name
    )


# --- Emergency mobilisation ---------------------------------------------------------------


def _call(request: HttpRequest, pk: int, *caps: str) -> EmergencyCall:
    require(request, *(caps or (Cap.SELF_VIEW, Cap.MOBILISATION_MANAGE)))
    return get_visible_or_404(
        selectors.calls_visible_to(request.user).select_related("temporary_branch"), pk=pk
    )


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW, Cap.MOBILISATION_MANAGE)
    qs = (
        selectors.calls_visible_to(request.user)
        .select_related("institution", "temporary_branch")
        .annotate(
            pledge_count=Count("pledges", distinct=True),
            deployed=Count("deployments__staff", distinct=True),
        )
        .order_by("-issued_on", "-id")
    )
    status = request.GET.get("status", "")
    if status in EmergencyCall.Status.values:
        qs = qs.filter(status=status)
    term = request.GET.get("q", "").strip()
    if term:
        qs = qs.filter(Q(title__icontains=term) | Q(task__icontains=term))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    staff_id = request.user.scope.staff_id or 0
    signed = set(
        selectors.pledges_visible_to(request.user)
        .filter(staff_id=staff_id, call__in=[c.pk for c in page.object_list])
        .values_list("call_id", flat=True)
    )
    return render(
        request,
        "outreach/call_list.html",
        {
            "page_obj": page,
            "status": status,
            "q": term,
            "statuses": EmergencyCall.Status.choices,
            "signed": signed,
            "can_manage": request.user.has_capability(Cap.MOBILISATION_MANAGE),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.MOBILISATION_MANAGE)
    form = forms.CallForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The call for volunteers was issued."))
            return redirect("outreach:call_detail", pk=call.pk)
    return render(request, "outreach/call_form.html", {"form": form})


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    can_manage = request.user.has_capability(Cap.MOBILISATION_MANAGE)
    deployments = (
        selectors.deployments_visible_to(request.user)
        .filter(call=call)
        .select_related("staff__department", "team")
        .order_by("starts_on", "staff__name")
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                n,
                d.staff.name,
                d.staff.department.name,
                _("Yes") if d.is_member else "",
                d.team.name if d.team_id else "",
                d.place,
                d.role,
                d.starts_on,
                d.ends_on or "",
            )
            for n, d in enumerate(deployments, start=1)
        )
        return xlsx_response(
            request,
            filename=_("Deployments"),
            headers=[
                _("Serial no."),
                _("Name"),
                _("Department"),
                _("Party member"),
                _("Task team"),
                _("Where"),
                _("Role"),
                _("From"),
                _("To"),
            ],
            rows=rows,
            object_type="outreach.deployment",
            sheet_title=_("Deployments"),
        )
    pledges = (
        selectors.pledges_visible_to(request.user)
        .filter(call=call)
        .select_related("staff__department")
    )
    staff_id = request.user.scope.staff_id
    own_pledge = next((p for p in pledges if p.staff_id == staff_id), None) if staff_id else None
    today = timezone.localdate()
    return render(
        request,
        "outreach/call_detail.html",
        {
            "call": call,
            "pledges": pledges if can_manage else [],
            "own_pledge": own_pledge,
            "deployments": deployments,
            "teams": call.teams.select_related("leader").annotate(size=Count("deployments")),
            "totals": selectors.deployment_totals(
                dt.date(1900, 1, 1), dt.date(2999, 12, 31), call_ids=[call.pk]
            )
            if can_manage
            else None,
            "can_manage": can_manage,
            "can_sign": staff_id is not None
            and own_pledge is None
            and call.status == EmergencyCall.Status.OPEN
            and call.issued_on <= today <= call.sign_up_until,
            "deployment_form": forms.DeploymentForm(call=call) if can_manage else None,
            "team_form": forms.TeamForm() if can_manage else None,
            "branch_form": forms.TemporaryBranchForm(initial={"established_on": today})
            if can_manage and not call.temporary_branch_id
            else None,
            "end_form": forms.DeploymentEndForm(initial={"ends_on": today}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The 请战书 on a phone: read it, type one's name, sign."""
    call = _call(request, pk, Cap.SELF_VIEW)
    form = forms.PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_sign(
                call=call,
                user=request.user,
                typed_name=form.cleaned_data["typed_name"],
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your pledge is signed. Thank you!"))
            return redirect("outreach:call_detail", pk=call.pk)
    return render(request, "outreach/call_sign.html", {"call": call, "form": form})


@login_required
@require_POST
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk, Cap.MOBILISATION_MANAGE)
    services.call_close(call=call, actor=request.user)
    messages.success(request, _("Sign-up for the call was closed."))
    return redirect("outreach:call_detail", pk=call.pk)


def _post_form(
    request: HttpRequest, call: EmergencyCall, form: Any, action: Any, ok: str
) -> HttpResponse:
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, ok)
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label if f in form.fields else ''}：{'，'.join(e)}"
                for f, e in form.errors.items()
            ),
        )
    return redirect("outreach:call_detail", pk=call.pk)


@login_required
@require_POST
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk, Cap.MOBILISATION_MANAGE)
    return _post_form(
        request,
        call,
        forms.TeamForm(request.POST),
        lambda d: services.team_create(call=call, actor=request.user, **d),
        _("The task team was set up."),
    )


@login_required
@require_POST
def deployment_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk, Cap.MOBILISATION_MANAGE)
    return _post_form(
        request,
        call,
        forms.DeploymentForm(request.POST, call=call),
        lambda d: services.deployment_create(call=call, actor=request.user, **d),
        _("The deployment was recorded."),
    )


@login_required
@require_POST
def deployment_end(request: HttpRequest, pk: int, deployment_pk: int) -> HttpResponse:
    call = _call(request, pk, Cap.MOBILISATION_MANAGE)
    deployment = get_visible_or_404(Deployment.objects.filter(call=call), pk=deployment_pk)
    return _post_form(
        request,
        call,
        forms.DeploymentEndForm(request.POST),
        lambda d: services.deployment_end(
            deployment=deployment, actor=request.user, ends_on=d["ends_on"]
        ),
        _("The return date was recorded."),
    )


@login_required
@require_POST
def temporary_branch_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk, Cap.MOBILISATION_MANAGE)
    return _post_form(
        request,
        call,
        forms.TemporaryBranchForm(request.POST),
        lambda d: services.temporary_branch_create(call=call, actor=request.user, **d),
        _("The temporary branch was set up in the organisation tree."),
    )


# --- The 红帆驿站 service-desk roster -------------------------------------------------------


@login_required
def desk_roster(request: HttpRequest) -> HttpResponse:
    """One week of the service-desk roster; each day links to recording its duty."""
    require(request, Cap.SELF_VIEW, Cap.OUTREACH_MANAGE)
    day = selectors._date(request.GET.get("week")) or timezone.localdate()
    monday = day - dt.timedelta(days=day.weekday())
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    shifts = list(
        DutyShift.objects.filter(on__gte=days[0], on__lte=days[-1]).select_related(
            "staff__department", "organisation"
        )
    )
    grid = []
    for d in days:
        row: dict[str, Any] = {"day": d, "slots": [], "staff_ids": [], "desk": ""}
        for code, label in DutyShift.Slot.choices:
            here = [s for s in shifts if s.on == d and s.slot == code]
            row["slots"].append({"code": code, "label": label, "shifts": here})
            row["staff_ids"] += [s.staff_id for s in here]
            row["desk"] = row["desk"] or (here[0].desk if here else "")
        grid.append(row)
    can_manage = request.user.has_capability(Cap.OUTREACH_MANAGE)
    managed = _managed_organisations(request.user)
    return render(
        request,
        "outreach/desk_roster.html",
        {
            "grid": grid,
            "monday": monday,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "managed_ids": set(managed.values_list("pk", flat=True)) if can_manage else set(),
            "form": forms.ShiftForm(
                organisations=managed, initial={"on": max(monday, timezone.localdate())}
            )
            if can_manage
            else None,
            "desks": sorted({s.desk for s in shifts} | {"门诊大厅红帆驿站", "住院部红帆驿站"}),
        },
    )


@login_required
@require_POST
def shift_add(request: HttpRequest) -> HttpResponse:
    require(request, Cap.OUTREACH_MANAGE)
    form = forms.ShiftForm(request.POST, organisations=_managed_organisations(request.user))
    week = request.POST.get("on", "")
    if form.is_valid():
        try:
            services.shift_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The shift was added to the roster."))
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label if f in form.fields else ''}：{'，'.join(e)}"
                for f, e in form.errors.items()
            ),
        )
    return redirect(f"{reverse('outreach:desk_roster')}?week={week}")


@login_required
@require_POST
def shift_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.OUTREACH_MANAGE)
    shift = get_visible_or_404(DutyShift.objects.select_related("organisation"), pk=pk)
    try:
        services.shift_remove(shift=shift, actor=request.user)
    except ValidationError as exc:
        raise PermissionDenied(_errors(exc)) from exc
    messages.success(request, _("The shift was removed from the roster."))
    return redirect(f"{reverse('outreach:desk_roster')}?week={shift.on:%Y-%m-%d}")
