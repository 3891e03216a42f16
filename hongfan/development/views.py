"""Pages of member development: pipeline board, candidate file, step recording, Word file."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.audit.services import record_read
from hongfan.core.access import capability_required, get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors as _errors_to_form
from hongfan.development import selectors, services
from hongfan.development.documents import candidate_docx
from hongfan.development.forms import (
    CandidateFilterForm,
    CandidateForm,
    ExtensionForm,
    StepRecordForm,
)
from hongfan.development.models import Candidate
from hongfan.org.models import Staff
from hongfan.party.models import PartyOrganisation

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _branches(request: HttpRequest) -> QuerySet[PartyOrganisation]:
    qs = PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.BRANCH, is_temporary=False)
    scope = request.user.scope
    return qs if scope.hospital_wide else qs.filter(pk__in=scope.organisation_ids)


@capability_required(Cap.DEVELOPMENT_MANAGE)
def candidate_list(request: HttpRequest) -> HttpResponse:
    base = selectors.candidates_visible_to(request.user)
    form = CandidateFilterForm(request.GET or None, branches=_branches(request))
    qs = base
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(
                Q(staff__name__icontains=d["q"]) | Q(staff__employee_no__icontains=d["q"])
            )
        if d["stage"]:
            qs = qs.filter(current_stage__order=d["stage"])
        if d["branch"]:
            qs = qs.filter(branch=d["branch"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["due"]:
            alerts = selectors.development_alerts(today=timezone.localdate(), candidates=qs)
            qs = qs.filter(
                pk__in={a.candidate.pk for a in alerts if a.overdue or d["due"] == "soon"}
            )
    qs = qs.order_by("branch__sort_order", "branch__code", "staff__employee_no")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("development candidates"),
            headers=[
                _("Name"),
                _("Employee number"),
                _("Branch"),
                _("Stage"),
                _("Status"),
                _("Rule set"),
            ],
            rows=(
                (
                    c.staff.name,
                    c.staff.employee_no,
                    c.branch.name,
                    c.current_stage.name if c.current_stage else "",
                    c.get_status_display(),
                    c.rule_set.name,
                )
                for c in qs.iterator(chunk_size=500)
            ),
            object_type="development.candidate",
            sheet_title=_("Candidates"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    upcoming = selectors.next_steps_for(list(page.object_list))
    for c in page.object_list:
        c.upcoming = upcoming.get(c.pk)
    return render(
        request,
        "development/candidate_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "board": selectors.stage_counts(base),
            "today": timezone.localdate(),
        },
    )


@capability_required(Cap.DEVELOPMENT_MANAGE)
def candidate_create(request: HttpRequest) -> HttpResponse:
    form = CandidateForm(request.POST or None, branches=_branches(request))
    if request.method == "POST" and form.is_valid():
        staff = Staff.objects.filter(employee_no=form.cleaned_data["employee_no"].strip()).first()
        if staff is None:
            form.add_error("employee_no", _("No staff member has this employee number."))
        else:
            try:
                candidate = services.candidate_create(
                    staff=staff, branch=form.cleaned_data["branch"]
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The development file has been opened."))
                return redirect("development:candidate_detail", pk=candidate.pk)
    return render(request, "development/candidate_form.html", {"form": form})


def _detail_context(request: HttpRequest, candidate: Candidate) -> dict[str, object]:
    steps = list(candidate.rule_set.steps.select_related("stage").order_by("order"))
    records = list(
        candidate.records.select_related("step__stage", "recorded_by").prefetch_related(
            "contacts__staff", "introducers__staff", "documents"
        )
    )
    return {
        "candidate": candidate,
        "records": sorted(records, key=lambda r: (r.step.order, r.date)),
        "next": selectors.next_step(candidate, steps, records),
        "assessment": selectors.assessment_due(candidate, steps, records),
        "can_manage": request.user.has_capability(Cap.DEVELOPMENT_MANAGE)
        and (
            request.user.scope.hospital_wide
            or candidate.branch_id in request.user.scope.organisation_ids
        ),
    }


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.DEVELOPMENT_MANAGE, Cap.SELF_VIEW)
    candidate = get_visible_or_404(selectors.candidates_visible_to(request.user), pk=pk)
    record_read(candidate, user=request.user, what="development file")
    ctx = _detail_context(request, candidate)
    ctx["form"] = StepRecordForm(
        candidate=candidate, initial={"step": ctx["next"].step if ctx["next"] else None}
    )
    ctx["extension_form"] = ExtensionForm()
    return render(request, "development/candidate_detail.html", ctx)


def _managed_candidate(request: HttpRequest, pk: int) -> Candidate:
    require(request, Cap.DEVELOPMENT_MANAGE)
    qs = selectors.candidates_visible_to(request.user)
    scope = request.user.scope
    if not scope.hospital_wide:
        qs = qs.filter(branch_id__in=scope.organisation_ids)
    return get_visible_or_404(qs, pk=pk)


@login_required
@require_POST
def step_record(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _managed_candidate(request, pk)
    form = StepRecordForm(request.POST, request.FILES, candidate=candidate)
    if form.is_valid():
        doc = form.cleaned_data.get("document")
        try:
            services.step_record(
                candidate=candidate,
                step=form.cleaned_data["step"],
                data=form.step_input(),
                user=request.user,
                approved_by=form.cleaned_data["approved_by"],
                approval_ref=form.cleaned_data["approval_ref"],
                note=form.cleaned_data["note"],
                documents=[(doc.name, doc)] if doc else None,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The step has been recorded."))
            return redirect("development:candidate_detail", pk=candidate.pk)
    ctx = _detail_context(request, candidate)
    ctx["form"] = form
    ctx["extension_form"] = ExtensionForm()
    return render(request, "development/candidate_detail.html", ctx, status=200)


@login_required
@require_POST
def candidate_extend(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _managed_candidate(request, pk)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_extend_probation(candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            for e in exc.messages:
                messages.error(request, e)
        else:
            messages.success(request, _("The probation period has been extended."))
    else:
        messages.error(request, _("Enter the date, the months and the reason of the extension."))
    return redirect("development:candidate_detail", pk=candidate.pk)


@login_required
def candidate_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.DEVELOPMENT_MANAGE, Cap.SELF_VIEW)
    candidate = get_visible_or_404(selectors.candidates_visible_to(request.user), pk=pk)
    record_read(candidate, user=request.user, what="development file (Word)")
    response = HttpResponse(candidate_docx(candidate), content_type=DOCX)
    label = _("development file")
    name = quote(f"{candidate.staff.name}-{label}.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
