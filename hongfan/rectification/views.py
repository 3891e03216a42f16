"""Rectification pages: inspections with their problems and responsibility lists, the 整改台账
(ledger, Excel export) and the office's progress board of rectification and innovation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors as _apply_errors
from hongfan.innovation import selectors as innovation_selectors
from hongfan.innovation.models import Report, Stage
from hongfan.loops import services as loops
from hongfan.org.models import Department
from hongfan.rectification import forms, selectors, services
from hongfan.rectification.models import Inspection, Problem

VIEW_CAPS = (Cap.RECTIFICATION_MANAGE, Cap.SELF_VIEW)
BOARD_CAPS = (Cap.RECTIFICATION_MANAGE, Cap.INNOVATION_MANAGE)
LEDGER_KEYS = ("q", "inspection", "department", "state", "status", "overdue")


def _inspection(request: HttpRequest, pk: int, *caps: str) -> Inspection:
    require(request, *(caps or VIEW_CAPS))
    return get_visible_or_404(selectors.inspections_visible_to(request.user), pk=pk)


def _task_type() -> Any:
    return loops.matter_type_get(services.TASK_TYPE)


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "kind", "year")}
    qs = selectors.inspections_visible_to(request.user)
    years = sorted({d.year for d in qs.dates("conducted_on", "year")}, reverse=True)
    if filters["q"]:
        qs = qs.filter(
            Q(title__icontains=filters["q"]) | Q(inspecting_body__icontains=filters["q"])
        )
    if filters["kind"]:
        qs = qs.filter(source_kind=filters["kind"])
    if filters["year"].isdigit():
        qs = qs.filter(conducted_on__year=int(filters["year"]))
    qs = selectors.with_progress(qs).order_by("-conducted_on", "-pk")
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                n,
                i.title,
                i.get_source_kind_display(),
                i.inspecting_body,
                i.conducted_on,
                i.total,
                i.closed,
                i.overdue,
            )
            for n, i in enumerate(qs, start=1)
        )
        return xlsx_response(
            request,
            filename=_("Inspections"),
            headers=[
                _("Serial no."),
                _("Inspection"),
                _("Source"),
                _("Inspecting body"),
                _("Date"),
                _("Tasks"),
                _("Closed"),
                _("Overdue"),
            ],
            rows=rows,
            object_type="rectification.inspection",
            sheet_title=_("Inspections"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "rectification/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "kinds": Inspection.SourceKind.choices,
            "years": years,
            "can_manage": request.user.has_capability(Cap.RECTIFICATION_MANAGE),
        },
    )


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.RECTIFICATION_MANAGE)
    form = forms.InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The inspection was recorded. Add the problems found."))
            return redirect("rectification:detail", pk=inspection.pk)
    return render(request, "rectification/inspection_form.html", {"form": form})


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    can_manage = request.user.has_capability(Cap.RECTIFICATION_MANAGE)
    visible_tasks = selectors.ledger_rows(selectors.tasks_visible_to(request.user))
    problems = inspection.problems.select_related("department").prefetch_related(
        Prefetch("tasks", queryset=visible_tasks, to_attr="visible_tasks")
    )
    if not can_manage:
        problems = problems.filter(tasks__in=selectors.tasks_visible_to(request.user)).distinct()
    mtype = _task_type()
    now = timezone.now()
    rows = list(problems)
    for p in rows:
        for t in p.visible_tasks:
            t.matter.type = mtype
    progress = selectors.with_progress(Inspection.objects.filter(pk=inspection.pk), now).get()
    return render(
        request,
        "rectification/detail.html",
        {
            "inspection": inspection,
            "problems": rows,
            "progress": progress,
            "now": now,
            "can_manage": can_manage,
            "problem_form": forms.ProblemForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def problem_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, Cap.RECTIFICATION_MANAGE)
    form = forms.ProblemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe the problem found."))
    else:
        try:
            problem = services.problem_add(inspection=inspection, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("Problem %(n)s added. Now put it on the responsibility list.")
                % {"n": problem.number},
            )
            return redirect("rectification:task_add", pk=problem.pk)
    return redirect("rectification:detail", pk=inspection.pk)


@login_required
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.RECTIFICATION_MANAGE)
    problem = get_visible_or_404(
        Problem.objects.filter(
            inspection__in=selectors.inspections_visible_to(request.user)
        ).select_related("inspection", "department"),
        pk=pk,
    )
    form = forms.TaskForm(request.POST or None, initial={"owner_department": problem.department_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.task_assign(problem=problem, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The task was assigned and its owner notified."))
            return redirect("rectification:detail", pk=problem.inspection_id)
    return render(
        request,
        "rectification/task_form.html",
        {"problem": problem, "form": form, "tasks": problem.tasks.select_related("matter")},
    )


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The 整改台账: every responsibility line the user may see, with progress."""
    require(request, *VIEW_CAPS)
    now = timezone.now()
    filters = {k: request.GET.get(k, "").strip() for k in LEDGER_KEYS}
    visible = selectors.tasks_visible_to(request.user)
    qs = selectors.ledger(visible, filters, now)
    mtype = _task_type()
    if request.GET.get("export") == "xlsx":
        return _ledger_export(request, qs, mtype, now)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for t in page.object_list:
        t.matter.type = mtype
    return render(
        request,
        "rectification/ledger.html",
        {
            "page_obj": page,
            "filters": filters,
            "now": now,
            "states": mtype.state_choices(),
            "inspections": selectors.inspections_visible_to(request.user).order_by("-conducted_on"),
            "departments": Department.objects.filter(
                pk__in=visible.values("matter__owner_department_id")
            ).order_by("code"),
        },
    )


def _ledger_export(request: HttpRequest, qs: Any, mtype: Any, now: Any) -> HttpResponse:
    def rows() -> Any:
        for n, t in enumerate(qs.iterator(chunk_size=500), start=1):
            m = t.matter
            m.type = mtype
            yield (
                n,
                t.problem.inspection.title,
                t.problem.number,
                t.problem.description,
                m.owner_department.name if m.owner_department_id else "",
                m.owner.staff.name if m.owner_id and m.owner.staff_id else "",
                t.measures,
                t.deadline,
                t.progress_note or "",
                m.state_label,
                timezone.localtime(m.closed_at).date() if m.closed_at else "",
                _("Yes") if m.is_overdue(now) else "",
                t.evidence_count or 0,
            )

    return xlsx_response(
        request,
        filename=_("Rectification ledger"),
        headers=[
            _("Serial no."),
            _("Source of the problem"),
            _("Problem no."),
            _("Problem"),
            _("Department responsible"),
            _("Person responsible"),
            _("Rectification measures"),
            _("Time limit"),
            _("Progress"),
            _("Status"),
            _("Completed on"),
            _("Overdue"),
            _("Evidence items"),
        ],
        rows=rows(),
        object_type="rectification.task",
        sheet_title=_("Rectification ledger"),
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """One board for the office: rectification progress and innovation projects."""
    require(request, *BOARD_CAPS)
    now = timezone.now()
    today = timezone.localdate()
    mtype = _task_type()
    tasks = selectors.tasks_visible_to(request.user)
    inspections = list(
        selectors.with_progress(selectors.inspections_visible_to(request.user), now).order_by(
            "-conducted_on", "-pk"
        )[:20]
    )
    for i in inspections:
        i.rate = round(100 * i.closed / i.total) if i.total else 0
    state_counts = selectors.task_state_counts(tasks)
    overdue = list(selectors.overdue_tasks(tasks, now)[:15])
    due_soon = list(selectors.due_soon_tasks(tasks, now)[:10])
    for t in overdue + due_soon:
        t.matter.type = mtype
    projects = innovation_selectors.projects_visible_to(request.user)
    stage_counts = innovation_selectors.stage_counts(projects)
    late_reports = list(
        Report.objects.filter(project__in=projects, submitted_at__isnull=True, due_on__lt=today)
        .select_related("project__leader")
        .order_by("due_on")[:15]
    )
    total_tasks = sum(state_counts.values())
    closed = sum(n for s, n in state_counts.items() if mtype.is_terminal(s))
    return render(
        request,
        "rectification/board.html",
        {
            "inspections": inspections,
            "task_states": [
                {"code": c, "label": label, "n": state_counts.get(c, 0)}
                for c, label in mtype.state_choices()
            ],
            "total_tasks": total_tasks,
            "closed_tasks": closed,
            "closed_rate": round(100 * closed / total_tasks) if total_tasks else 0,
            "overdue": overdue,
            "overdue_count": tasks.filter(
                matter__closed_at__isnull=True, matter__due_at__lt=now
            ).count(),
            "due_soon": due_soon,
            "stages": [
                {"code": c, "label": label, "n": stage_counts.get(c, 0)}
                for c, label in Stage.choices
            ],
            "project_total": sum(stage_counts.values()),
            "late_reports": late_reports,
            "now": now,
            "show_rectification": request.user.has_capability(Cap.RECTIFICATION_MANAGE)
            or bool(inspections),
            "show_innovation": request.user.has_capability(Cap.INNOVATION_MANAGE),
        },
    )
