"""Innovation project pages: list, detail with stage timeline, create/edit, stage moves,
team, reports with files, evaluation and acceptance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors as _apply_errors
from hongfan.innovation import forms, selectors, services
from hongfan.innovation.models import (
    STAGE_ORDER,
    Evaluation,
    Project,
    Report,
    ReportFile,
    Stage,
    TeamMember,
)
from hongfan.party.models import PartyOrganisation

VIEW_CAPS = (Cap.INNOVATION_VIEW, Cap.INNOVATION_MANAGE, Cap.SELF_VIEW)
FILTER_KEYS = ("q", "stage", "branch", "year", "result")


def _errors(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _project(request: HttpRequest, pk: int, *caps: str) -> Project:
    require(request, *(caps or VIEW_CAPS))
    return get_visible_or_404(
        selectors.projects_visible_to(request.user).select_related(
            "organisation", "department", "leader", "mentor__member__staff"
        ),
        pk=pk,
    )


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW_CAPS)
    filters = {k: request.GET.get(k, "").strip() for k in FILTER_KEYS}
    visible = selectors.projects_visible_to(request.user)
    qs = selectors.project_list(visible, filters).order_by("-started_on", "code")
    if request.GET.get("export") == "xlsx":
        return _export(request, qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    reports = selectors.report_counts([p.pk for p in page.object_list])
    for p in page.object_list:
        p.report_stats = reports.get(p.pk, {"due": 0, "submitted": 0, "overdue": 0})
    return render(
        request,
        "innovation/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "stages": Stage.choices,
            "results": Project.Result.choices,
            "branches": PartyOrganisation.objects.filter(
                kind__in=[PartyOrganisation.Kind.BRANCH, PartyOrganisation.Kind.GENERAL_BRANCH],
                pk__in=visible.values("organisation_id"),
            ).order_by("code"),
            "years": selectors.year_choices(visible),
            "can_manage": request.user.has_capability(Cap.INNOVATION_MANAGE),
        },
    )


def _export(request: HttpRequest, qs: Any) -> HttpResponse:
    rows = (
        (
            n,
            p.code,
            p.title,
            p.organisation.name if p.organisation_id else "",
            p.department.name if p.department_id else "",
            p.leader.name,
            p.mentor.member.staff.name,
            p.team_size,
            p.get_stage_display(),
            p.started_on,
            p.planned_end,
            p.get_result_display() if p.result else "",
            p.accepted_on,
        )
        for n, p in enumerate(qs.iterator(chunk_size=500), start=1)
    )
    headers = [
        _("Serial no."),
        _("Code"),
        _("Project"),
        _("Branch"),
        _("Department"),
        _("Project leader"),
        _("Mentor"),
        _("Team size"),
        _("Stage"),
        _("Start"),
        _("Planned end"),
        _("Acceptance result"),
        _("Accepted on"),
    ]
    return xlsx_response(
        request,
        filename=_("Innovation projects"),
        headers=headers,
        rows=rows,
        object_type="innovation.project",
        sheet_title=_("Innovation projects"),
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    changes = list(project.stage_changes.select_related("by__staff"))
    reached = {c.to_stage for c in changes}
    current = STAGE_ORDER.index(project.stage)
    timeline = [
        {
            "code": code,
            "label": label,
            "number": i + 1,
            "state": "done" if i < current else ("current" if i == current else "todo"),
            "visited": code in reached,
        }
        for i, (code, label) in enumerate(Stage.choices)
    ]
    reports = list(project.reports.prefetch_related("files"))
    evaluations = project.evaluations.select_related("evaluator").prefetch_related(
        Prefetch("scores", queryset=_scores_qs())
    )
    can_manage = request.user.has_capability(Cap.INNOVATION_MANAGE)
    return render(
        request,
        "innovation/detail.html",
        {
            "project": project,
            "timeline": timeline,
            "changes": changes,
            "team": project.team.select_related("staff__department"),
            "reports": reports,
            "today": timezone.localdate(),
            "evaluations": evaluations,
            "can_manage": can_manage,
            "can_report": services.can_report(project, request.user),
            "stage_form": forms.StageForm(project=project) if can_manage else None,
            "scored_stage": project.stage in services.SCORED_STAGES,
        },
    )


def _scores_qs() -> Any:
    from hongfan.innovation.models import Score

    return Score.objects.select_related("item").order_by("item__sort_order")


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.INNOVATION_MANAGE)
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The project was registered."))
            return redirect("innovation:detail", pk=project.pk)
    return render(request, "innovation/form.html", {"form": form, "project": None})


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Cap.INNOVATION_MANAGE)
    form = forms.ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The project was saved."))
            return redirect("innovation:detail", pk=project.pk)
    project.refresh_from_db()
    return render(request, "innovation/form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_stage(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Cap.INNOVATION_MANAGE)
    form = forms.StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage."))
        return redirect("innovation:detail", pk=project.pk)
    try:
        project = services.project_move_stage(
            project=project,
            to_stage=form.cleaned_data["to_stage"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("The project is now at “%(stage)s”.") % {"stage": project.get_stage_display()},
        )
    return redirect("innovation:detail", pk=project.pk)


@login_required
def project_team(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    can_manage = request.user.has_capability(Cap.INNOVATION_MANAGE)
    form = forms.TeamMemberForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.team_member_add(project=project, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Team member added."))
                return redirect("innovation:team", pk=project.pk)
    return render(
        request,
        "innovation/team.html",
        {
            "project": project,
            "team": project.team.select_related("staff__department"),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def team_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    project = _project(request, pk, Cap.INNOVATION_MANAGE)
    member = get_visible_or_404(TeamMember.objects.filter(project=project), pk=member_pk)
    try:
        services.team_member_remove(member=member)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Team member removed."))
    return redirect("innovation:team", pk=project.pk)


@login_required
def report_detail(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    project = _project(request, pk)
    report = get_visible_or_404(
        Report.objects.filter(project=project).select_related("submitted_by__staff"),
        pk=report_pk,
    )
    allowed = services.can_report(project, request.user)
    form = forms.ReportForm(
        request.POST or None, request.FILES or None, initial={"text": report.text}
    )
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.report_submit(
                    report=report,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The report was submitted."))
                return redirect("innovation:detail", pk=project.pk)
    return render(
        request,
        "innovation/report.html",
        {
            "project": project,
            "report": report,
            "files": report.files.all(),
            "form": form,
            "can_report": allowed,
            "today": timezone.localdate(),
        },
    )


@login_required
def report_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    project = _project(request, pk)
    f = get_visible_or_404(ReportFile.objects.filter(report__project=project), pk=file_pk)
    return FileResponse(f.file.open("rb"), as_attachment=True, filename=f.original_name)


@login_required
def project_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Cap.INNOVATION_MANAGE)
    form = forms.EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(
                project=project,
                evaluator=form.cleaned_data["evaluator"],
                evaluated_on=form.cleaned_data["evaluated_on"],
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The scores were recorded."))
            return redirect("innovation:detail", pk=project.pk)
    return render(
        request,
        "innovation/evaluate.html",
        {
            "project": project,
            "form": form,
            "scored_stage": project.stage in services.SCORED_STAGES,
            "evaluations": Evaluation.objects.filter(project=project).select_related("evaluator"),
        },
    )


@login_required
def project_accept(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, Cap.INNOVATION_MANAGE)
    initial = {
        "result": project.result,
        "accepted_on": project.accepted_on or timezone.localdate(),
        "note": project.acceptance_note,
    }
    form = forms.AcceptanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_accept(
                project=project,
                result=form.cleaned_data["result"],
                accepted_on=form.cleaned_data["accepted_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The acceptance result was recorded."))
            return redirect("innovation:detail", pk=project.pk)
    return render(
        request,
        "innovation/accept.html",
        {
            "project": project,
            "form": form,
            "at_acceptance": project.stage == Stage.ACCEPTANCE,
            "evaluations": Evaluation.objects.filter(project=project, stage=Stage.ACCEPTANCE),
        },
    )
