"""Pages of the one-stop logistics service: file (phone), my orders (phone), detail with the
steps the user may take, the service desk's list, statistics and teams."""

from __future__ import annotations

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
from hongfan.core.masking import mask_phone
from hongfan.logistics import forms, selectors, services
from hongfan.logistics.models import Category, ServiceTeam, WorkOrder
from hongfan.loops import services as loops
from hongfan.loops.models import MatterEvent

FILTER_KEYS = ("q", "category", "team", "state", "overdue", "month")


def _errors(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _order(request: HttpRequest, pk: int) -> WorkOrder:
    require(request, Cap.SELF_VIEW, Cap.LOGISTICS_MANAGE)
    return get_visible_or_404(
        selectors.work_orders_visible_to(request.user).select_related(
            "team__leader__staff",
            "matter__type",
            "matter__owner__staff",
            "requester__staff",
            "assignee__staff",
            "department",
        ),
        pk=pk,
    )


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW, Cap.LOGISTICS_MANAGE)
    filters = {k: request.GET.get(k, "").strip() for k in FILTER_KEYS}
    visible = selectors.work_orders_visible_to(request.user)
    qs = selectors.work_order_list(visible, filters).order_by("-filed_at", "-pk")
    if request.GET.get("export") == "xlsx":
        return _export(request, qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "logistics/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "categories": Category.choices,
            "states": services.work_order_type().state_choices(),
            "teams": ServiceTeam.objects.filter(pk__in=visible.values("team_id")),
            "now": timezone.now(),
            "is_desk": request.user.has_capability(Cap.LOGISTICS_MANAGE),
        },
    )


def _export(request: HttpRequest, qs: Any) -> HttpResponse:
    def rows() -> Any:
        for o in qs.iterator(chunk_size=1000):
            m = o.matter
            yield [
                o.number,
                o.get_category_display(),
                o.get_urgency_display(),
                o.title,
                o.location,
                o.requester.display_name,
                o.department.name if o.department else "",
                mask_phone(o.contact_phone),
                o.team.name,
                o.assignee.display_name if o.assignee else "",
                m.state_label if m else "",
                timezone.localtime(o.filed_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(m.due_at).strftime("%Y-%m-%d %H:%M") if m else "",
                timezone.localtime(o.finished_at).strftime("%Y-%m-%d %H:%M")
                if o.finished_at
                else "",
                (_("Yes") if m.closed_at <= m.due_at else _("No")) if m and m.closed_at else "",
                m.feedback_rating or "" if m else "",
                o.result,
            ]

    return xlsx_response(
        request,
        filename=_("Work orders"),
        headers=[
            _("Number"),
            _("Category"),
            _("Urgency"),
            _("What is needed"),
            _("Place"),
            _("Requester"),
            _("Department"),
            _("Contact phone"),
            _("Team"),
            _("Worker"),
            _("State"),
            _("Filed at"),
            _("Deadline"),
            _("Finished at"),
            _("On time"),
            _("Rating"),
            _("Result"),
        ],
        rows=rows(),
        object_type="logistics.WorkOrder",
    )


@login_required
def order_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    if getattr(request.user, "staff", None) is None:
        messages.error(request, _("Only staff members can file work orders."))
        return redirect("logistics:mine")
    form = forms.WorkOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.work_order_file(requester=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Work order %(number)s filed: %(team)s will handle it by %(due)s.")
                % {
                    "number": order.number,
                    "team": order.team.name,
                    "due": timezone.localtime(order.matter.due_at).strftime("%m-%d %H:%M"),
                },
            )
            return redirect("logistics:detail", pk=order.pk)
    return render(request, "logistics/create.html", {"form": form})


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    """The phone page: the orders I filed and, for service staff, the orders I work on."""
    require(request, Cap.SELF_VIEW, Cap.LOGISTICS_MANAGE)
    base = WorkOrder.objects.select_related("team", "matter__type", "assignee__staff")
    filed = base.filter(requester=request.user).order_by("-filed_at")[:30]
    tasks = base.filter(matter__owner=request.user, matter__closed_at__isnull=True).order_by(
        "matter__due_at"
    )[:30]
    return render(
        request,
        "logistics/mine.html",
        {"filed": filed, "tasks": tasks, "now": timezone.now()},
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    matter = order.matter
    user = request.user
    allowed = {t["action"] for t in loops.allowed_transitions(matter, user)} if matter else set()
    handler = user.pk in {order.assignee_id, order.team.leader_id} or user.has_capability(
        Cap.LOGISTICS_MANAGE
    )
    events = (
        MatterEvent.objects.filter(matter=matter)
        .select_related("actor__staff")
        .order_by("at", "pk")
        if matter
        else []
    )
    evidence = matter.evidence.select_related("uploaded_by__staff") if matter else []
    ctx = {
        "order": order,
        "matter": matter,
        "events": events,
        "evidence": evidence,
        "allowed": allowed,
        "phone": order.contact_phone if handler else mask_phone(order.contact_phone),
        "dispatch_form": forms.DispatchForm(team=order.team) if "dispatch" in allowed else None,
        "finish_form": forms.FinishForm() if "finish" in allowed else None,
        "reason_form": forms.ReasonForm(),
        "rate_form": (
            forms.RateForm()
            if matter
            and matter.state == "done"
            and matter.originator_id == user.pk
            and not matter.feedback_rating
            else None
        ),
    }
    return render(request, "logistics/detail.html", ctx)


@login_required
@require_POST
def order_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One POST target for every step (dispatch, start, finish, withdraw, reopen, rate)."""
    order = _order(request, pk)
    action = request.POST.get("action", "")
    version = request.POST.get("expected_version")
    expected = int(version) if version and version.isdigit() else None
    user = request.user
    try:
        if action == "dispatch":
            form = forms.DispatchForm(request.POST, team=order.team)
            if not form.is_valid():
                raise ValidationError(_("Choose a worker of the team."))
            services.work_order_dispatch(
                order=order,
                actor=user,
                assignee=form.cleaned_data["assignee"],
                expected_version=expected,
            )
        elif action == "start":
            services.work_order_start(order=order, actor=user, expected_version=expected)
        elif action == "finish":
            files = [request.FILES["photo"]] if request.FILES.get("photo") else []
            services.work_order_finish(
                order=order,
                actor=user,
                result=request.POST.get("result", ""),
                files=files,
                expected_version=expected,
            )
        elif action == "cancel":
            services.work_order_cancel(
                order=order,
                actor=user,
                reason=request.POST.get("reason", ""),
                expected_version=expected,
            )
        elif action == "reopen":
            services.work_order_reopen(
                order=order,
                actor=user,
                reason=request.POST.get("reason", ""),
                expected_version=expected,
            )
        elif action == "rate":
            form = forms.RateForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose from one to five stars."))
            services.work_order_rate(
                order=order,
                actor=user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        else:
            raise ValidationError(_("Unknown step."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("logistics:detail", pk=order.pk)


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    require(request, Cap.LOGISTICS_MANAGE)
    filters = {k: request.GET.get(k, "").strip() for k in ("month", "category", "team")}
    qs = selectors.work_order_list(selectors.work_orders_visible_to(request.user), filters)
    data = selectors.statistics(qs)
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "xAxis": {"type": "category", "data": [r["name"] for r in data["by_team"]]},
        "yAxis": [
            {"type": "value", "name": _("Orders")},
            {"type": "value", "name": "%", "max": 100},
        ],
        "series": [
            {
                "name": _("Finished"),
                "type": "bar",
                "data": [r["finished"] for r in data["by_team"]],
            },
            {
                "name": _("On-time rate"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [r["on_time_rate"] for r in data["by_team"]],
            },
        ],
    }
    return render(
        request,
        "logistics/stats.html",
        {
            "data": data,
            "chart": chart,
            "filters": filters,
            "categories": Category.choices,
            "teams": ServiceTeam.objects.all(),
        },
    )


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.LOGISTICS_MANAGE)
    teams = (
        ServiceTeam.objects.select_related("leader__staff")
        .prefetch_related("members__staff")
        .annotate(
            open_orders=Count("orders", filter=Q(orders__matter__closed_at__isnull=True)),
            all_orders=Count("orders"),
        )
    )
    return render(request, "logistics/teams.html", {"teams": teams})


@login_required
def team_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, Cap.LOGISTICS_MANAGE)
    team = get_visible_or_404(ServiceTeam.objects.all(), pk=pk) if pk else None
    initial = (
        {
            "name": team.name,
            "category": team.category,
            "leader": team.leader,
            "members": list(team.members.all()),
            "phone": team.phone,
            "is_active": team.is_active,
        }
        if team
        else None
    )
    form = forms.TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_save(team=team, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Team saved."))
            return redirect("logistics:teams")
    return render(request, "logistics/team_form.html", {"form": form, "team": team})
