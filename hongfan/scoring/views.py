"""Views of the assessments: ledger, ethics files, 医德考评, star ratings, red flag."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.audit.services import record_read
from hongfan.core.access import capability_required, get_visible_or_404
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors
from hongfan.scoring import documents, selectors, services
from hongfan.scoring.forms import (
    AppealDecisionForm,
    AppealForm,
    AssessmentFilterForm,
    BandForm,
    ComponentFormSet,
    EventFilterForm,
    GradeSetForm,
    ItemForm,
    ManualEventForm,
    PeriodForm,
    RedFlagAwardForm,
    RedFlagComputeForm,
    ReviewEventForm,
    ScoreSheetForm,
    StaffFilterForm,
)
from hongfan.scoring.models import (
    Appeal,
    Assessment,
    AssessmentPeriod,
    GradeBand,
    ItemScore,
    LedgerEvent,
    RedFlagComponent,
    Scorecard,
    ScorecardItem,
)

Status = AssessmentPeriod.Status


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, 50).get_page(request.GET.get("page"))


def _can_manage(request: HttpRequest) -> bool:
    return request.user.has_capability(Cap.SCORING_MANAGE)  # type: ignore[union-attr]


# --- home --------------------------------------------------------------------------------------


@capability_required(Cap.SELF_VIEW, Cap.SCORING_VIEW, Cap.SCORING_MANAGE)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    periods = list(selectors.periods_visible_to(user)[:8])
    mine = list(
        Assessment.objects.filter(staff_id=user.staff_id)  # type: ignore[union-attr]
        .select_related("period", "grade")
        .order_by("-period__start")[:5]
        if user.staff_id  # type: ignore[union-attr]
        else []
    )
    pending = (
        LedgerEvent.objects.filter(status=LedgerEvent.Status.PENDING).count()
        if _can_manage(request)
        else 0
    )
    open_appeals = (
        selectors.appeals_visible_to(user).filter(status=Appeal.Status.OPEN).count()
        if _can_manage(request)
        else 0
    )
    rounds = list(selectors.red_flag_rounds_visible_to(user)[:4])
    return render(
        request,
        "scoring/home.html",
        {
            "periods": periods,
            "mine": mine,
            "pending": pending,
            "open_appeals": open_appeals,
            "rounds": rounds,
            "can_manage": _can_manage(request),
        },
    )


# --- ledger ------------------------------------------------------------------------------------


@capability_required(Cap.SELF_VIEW, Cap.SCORING_VIEW, Cap.SCORING_MANAGE)
def event_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.events_visible_to(request.user)
    form = EventFilterForm(request.GET)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(
                Q(summary__icontains=d["q"])
                | Q(staff__name__icontains=d["q"])
                | Q(department__name__icontains=d["q"])
                | Q(organisation__name__icontains=d["q"])
                | Q(rule__code__icontains=d["q"])
            )
        if d["category"]:
            qs = qs.filter(rule__category=d["category"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["subject_kind"]:
            qs = qs.filter(subject_kind=d["subject_kind"])
        if d["start"]:
            qs = qs.filter(occurred_on__gte=d["start"])
        if d["end"]:
            qs = qs.filter(occurred_on__lte=d["end"])
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename="ledger.xlsx",
            headers=[
                _("date"),
                _("subject"),
                _("code"),
                _("name"),
                _("points"),
                _("status"),
                _("summary"),
            ],
            rows=(
                [
                    e.occurred_on,
                    str(e.subject),
                    e.rule.code,
                    _(e.rule.name),
                    e.points,
                    e.get_status_display(),
                    e.summary,
                ]
                for e in qs.iterator(chunk_size=1000)
            ),
            object_type="scoring.LedgerEvent",
        )
    return render(
        request,
        "scoring/event_list.html",
        {"form": form, "page_obj": _page(request, qs), "can_manage": _can_manage(request)},
    )


@capability_required(Cap.SCORING_MANAGE)
def event_add(request: HttpRequest) -> HttpResponse:
    staff_qs = selectors.staff_files_visible_to(request.user).filter(left_on__isnull=True)
    form = ManualEventForm(
        request.POST or None,
        staff_qs=staff_qs,
        initial={"staff": request.GET.get("staff"), "occurred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        own = getattr(request.user, "staff", None)
        try:
            event = services.manual_event_record(
                staff=d["staff"],
                institution=own.institution if own else None,
                occurred_on=d["occurred_on"],
                points=d["points"],
                summary=d["summary"],
                evidence_url=d["evidence_url"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The event is recorded."))
            return redirect("scoring:file_detail", pk=event.staff_id)
    return render(request, "scoring/event_form.html", {"form": form})


@require_POST
@capability_required(Cap.SCORING_MANAGE)
def event_review(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible_or_404(selectors.events_visible_to(request.user), pk=pk)
    form = ReviewEventForm(request.POST)
    if form.is_valid():
        try:
            services.event_review(
                event=event,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The event is updated."))
    else:
        messages.error(request, _("Choose confirm or void."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "scoring:event_list"
    return redirect(target)


# --- ethics files ------------------------------------------------------------------------------


@capability_required(Cap.SCORING_VIEW, Cap.SCORING_MANAGE)
def file_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    qs = selectors.staff_files_visible_to(request.user).annotate(
        n_events=Count(
            "ledger_events",
            filter=Q(
                ledger_events__status=LedgerEvent.Status.CONFIRMED,
                ledger_events__occurred_on__year=year,
            ),
        ),
        n_pending=Count(
            "ledger_events", filter=Q(ledger_events__status=LedgerEvent.Status.PENDING)
        ),
    )
    form = StaffFilterForm(request.GET)
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        qs = qs.filter(
            Q(name__icontains=q) | Q(employee_no__icontains=q) | Q(department__name__icontains=q)
        )
    qs = qs.order_by("department__code", "employee_no")
    return render(
        request,
        "scoring/file_list.html",
        {"form": form, "page_obj": _page(request, qs), "year": year},
    )


def _file(request: HttpRequest, pk: int) -> Any:
    staff = get_visible_or_404(selectors.staff_files_visible_to(request.user), pk=pk)
    events = list(
        LedgerEvent.objects.filter(staff=staff).select_related("rule").order_by("-occurred_on")
    )
    return staff, events, selectors.year_totals(events)


@capability_required(Cap.SELF_VIEW, Cap.SCORING_VIEW, Cap.SCORING_MANAGE)
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff, events, totals = _file(request, pk)
    if staff.pk != request.user.staff_id:  # type: ignore[union-attr]
        record_read(staff, user=request.user, what="ethics file")
    return render(
        request,
        "scoring/file_detail.html",
        {
            "staff": staff,
            "events": events,
            "totals": totals,
            "assessments": selectors.published_assessments_for(staff),
            "can_manage": _can_manage(request),
        },
    )


@capability_required(Cap.SELF_VIEW, Cap.SCORING_VIEW, Cap.SCORING_MANAGE)
def file_docx(request: HttpRequest, pk: int) -> HttpResponse:
    staff, events, totals = _file(request, pk)
    record_read(staff, user=request.user, what="ethics file (Word)")
    data = documents.ethics_file_docx(
        staff, events, totals, list(selectors.published_assessments_for(staff))
    )
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="ethics-file-{staff.employee_no}.docx"'
    return response


@capability_required(Cap.SELF_VIEW, Cap.SCORING_VIEW, Cap.SCORING_MANAGE)
def file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    staff, events, totals = _file(request, pk)
    record_read(staff, user=request.user, what="ethics file (PDF)")
    data = documents.ethics_file_pdf(
        staff, events, totals, list(selectors.published_assessments_for(staff))
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ethics-file-{staff.employee_no}.pdf"'
    return response


# --- the staff member's own assessments --------------------------------------------------------


@capability_required(Cap.SELF_VIEW)
def my_assessments(request: HttpRequest) -> HttpResponse:
    rows = list(
        Assessment.objects.filter(staff_id=request.user.staff_id)  # type: ignore[union-attr]
        .select_related("period__scorecard", "grade")
        .prefetch_related("appeals")
        .order_by("-period__start")
        if request.user.staff_id  # type: ignore[union-attr]
        else []
    )
    return render(request, "scoring/my_assessments.html", {"rows": rows, "now": timezone.now()})


def _own(request: HttpRequest, pk: int) -> Assessment:
    staff_id = request.user.staff_id  # type: ignore[union-attr]
    if not staff_id:
        raise Http404
    return get_visible_or_404(
        Assessment.objects.select_related("period__scorecard", "staff"), pk=pk, staff_id=staff_id
    )


def _stage_values(a: Assessment, stage: str) -> tuple[dict[int, Any], dict[int, str]]:
    pts, ev = {}, {}
    for s in a.scores.all():
        if s.stage == stage:
            pts[s.item_id], ev[s.item_id] = s.points, s.evidence
    return pts, ev


@capability_required(Cap.SELF_VIEW)
def self_assess(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _own(request, pk)
    items = [
        i
        for i in assessment.period.scorecard.items.all()
        if i.kind == ScorecardItem.Kind.RATED and i.is_manual
    ]
    pts, ev = _stage_values(assessment, ItemScore.Stage.SELF)
    form = ScoreSheetForm(
        request.POST or None,
        items=items,
        comment_label=_("self-evaluation"),
        initial_points=pts,
        initial_evidence=ev,
        initial={"comment": assessment.self_comment},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_submit(
                assessment=assessment,
                points=form.points(),
                evidence=form.evidence(),
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your self-assessment is submitted."))
            return redirect("scoring:my_assessments")
    return render(
        request,
        "scoring/score_sheet.html",
        {
            "form": form,
            "assessment": assessment,
            "title": _("Self-assessment"),
            "is_open": assessment.period.status == Status.SELF,
        },
    )


@capability_required(Cap.SELF_VIEW)
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _own(request, pk)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_file(
                assessment=assessment, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your appeal is filed."))
            return redirect("scoring:my_assessments")
    return render(request, "scoring/appeal_form.html", {"form": form, "assessment": assessment})


# --- scorecards --------------------------------------------------------------------------------


@capability_required(Cap.SCORING_MANAGE)
def scorecard_list(request: HttpRequest) -> HttpResponse:
    cards = Scorecard.objects.annotate(n_items=Count("items", distinct=True)).order_by("code")
    return render(request, "scoring/scorecard_list.html", {"cards": cards})


@require_POST
@capability_required(Cap.SCORING_MANAGE)
def scorecard_defaults(request: HttpRequest) -> HttpResponse:
    services.scorecard_defaults_ensure()
    services.red_flag_components_ensure()
    messages.success(request, _("The default scorecards are in place."))
    return redirect("scoring:scorecard_list")


@capability_required(Cap.SCORING_MANAGE)
def scorecard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_visible_or_404(Scorecard.objects.all(), pk=pk)
    items = list(card.items.all())
    rated_max = sum((i.max_points for i in items if i.kind == "rated"), Decimal(0))
    return render(
        request,
        "scoring/scorecard_detail.html",
        {"card": card, "items": items, "bands": card.bands.all(), "rated_max": rated_max},
    )


def _item_form(request: HttpRequest, item: ScorecardItem) -> HttpResponse:
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_save(item=form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The item is saved."))
            return redirect("scoring:scorecard_detail", pk=item.scorecard_id)
    return render(request, "scoring/simple_form.html", {"form": form, "title": _("Scorecard item")})


@capability_required(Cap.SCORING_MANAGE)
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_visible_or_404(Scorecard.objects.all(), pk=pk)
    return _item_form(request, ScorecardItem(scorecard=card))


@capability_required(Cap.SCORING_MANAGE)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_form(request, get_visible_or_404(ScorecardItem.objects.all(), pk=pk))


@capability_required(Cap.SCORING_MANAGE)
def band_edit(request: HttpRequest, pk: int) -> HttpResponse:
    band = get_visible_or_404(GradeBand.objects.all(), pk=pk)
    form = BandForm(request.POST or None, instance=band)
    if request.method == "POST" and form.is_valid():
        try:
            services.band_save(band=form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The grade is saved."))
            return redirect("scoring:scorecard_detail", pk=band.scorecard_id)
    return render(request, "scoring/simple_form.html", {"form": form, "title": _("Grade")})


# --- periods -----------------------------------------------------------------------------------


@capability_required(Cap.SCORING_VIEW, Cap.SCORING_MANAGE)
def period_list(request: HttpRequest) -> HttpResponse:
    qs = (
        selectors.periods_visible_to(request.user)
        .annotate(n=Count("assessments"))
        .order_by("-start", "scorecard__code")
    )
    purpose = request.GET.get("purpose", "")
    if purpose in Scorecard.Purpose.values:
        qs = qs.filter(scorecard__purpose=purpose)
    return render(
        request,
        "scoring/period_list.html",
        {
            "page_obj": _page(request, qs),
            "purpose": purpose,
            "purposes": Scorecard.Purpose.choices,
            "can_manage": _can_manage(request),
        },
    )


@capability_required(Cap.SCORING_MANAGE)
def period_add(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The period is created."))
            return redirect("scoring:period_detail", pk=period.pk)
    return render(request, "scoring/simple_form.html", {"form": form, "title": _("New period")})


def _period_assessments(request: HttpRequest, period: AssessmentPeriod) -> Any:
    return (
        selectors.assessments_visible_to(request.user)
        .filter(period=period)
        .annotate(n_appeals=Count("appeals"))
        .order_by("rank", "department__code", "organisation__code", "staff__employee_no")
    )


@capability_required(Cap.SCORING_VIEW, Cap.SCORING_MANAGE)
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_visible_or_404(selectors.periods_visible_to(request.user), pk=pk)
    qs = _period_assessments(request, period)
    form = AssessmentFilterForm(request.GET, period=period)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(
                Q(staff__name__icontains=d["q"])
                | Q(department__name__icontains=d["q"])
                | Q(organisation__name__icontains=d["q"])
            )
        if d["grade"]:
            qs = qs.filter(grade=d["grade"])
        if d["pending"] == "self":
            qs = qs.filter(self_submitted_at__isnull=True)
        elif d["pending"] == "department":
            qs = qs.filter(department_submitted_at__isnull=True)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=f"assessment-{period.pk}.xlsx",
            headers=[_("rank"), _("subject"), _("department"), _("score"), _("grade")],
            rows=(
                [
                    a.rank,
                    str(a.subject),
                    a.department.name if a.department else "",
                    a.score,
                    a.grade.name if a.grade and period.status != Status.DRAFT else "",
                ]
                for a in qs
            ),
            object_type="scoring.Assessment",
        )
    dist = (
        period.assessments.filter(grade__isnull=False)
        .values("grade__name", "grade__rank")
        .annotate(n=Count("id"))
        .order_by("grade__rank")
    )
    counts = period.assessments.aggregate(
        total=Count("id"),
        self_done=Count("id", filter=Q(self_submitted_at__isnull=False)),
        dept_done=Count("id", filter=Q(department_submitted_at__isnull=False)),
    )
    return render(
        request,
        "scoring/period_detail.html",
        {
            "period": period,
            "form": form,
            "page_obj": _page(request, qs),
            "dist": list(dist),
            "counts": counts,
            "can_manage": _can_manage(request),
            "quotas": [
                (b, services.quota_limit(b, counts["total"]))
                for b in period.scorecard.bands.all()
                if b.quota_percent
            ],
        },
    )


@require_POST
@capability_required(Cap.SCORING_MANAGE)
def period_action(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_visible_or_404(selectors.periods_visible_to(request.user), pk=pk)
    actions = {
        "advance": services.period_advance,
        "grade": services.period_grade,
        "publish": services.period_publish,
        "close": services.period_close,
    }
    action = actions.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            action(period=period, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done."))
    return redirect("scoring:period_detail", pk=period.pk)


@capability_required(Cap.SCORING_MANAGE)
def period_hr_export(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_visible_or_404(selectors.periods_visible_to(request.user), pk=pk)
    if not period.is_public:
        messages.error(request, _("The HR file is available once the results are published."))
        return redirect("scoring:period_detail", pk=period.pk)

    def yes(flag: bool) -> str:
        return _("yes") if flag else _("no")

    rows = []
    for a in _period_assessments(request, period).filter(staff__isnull=False):
        g = a.grade
        rows.append(
            [
                a.staff.employee_no,
                a.staff.name,
                a.department.name if a.department else "",
                a.score,
                g.name if g else "",
                yes(bool(g and g.promotion_eligible)),
                yes(bool(g and g.appointment_eligible)),
                yes(bool(g and g.award_eligible)),
                g.pay_coefficient if g else "",
                (
                    pgettext("periodic review", "failed")
                    if g and g.fails_periodic_review
                    else pgettext("periodic review", "passed")
                ),
                a.grade_note,
            ]
        )
    return xlsx_response(
        request,
        filename=f"ethics-hr-{period.pk}.xlsx",
        headers=[
            _("employee number"),
            _("name"),
            _("department"),
            _("score"),
            _("grade"),
            _("promotion (晋职晋级)"),
            _("appointment (岗位聘用)"),
            _("awards (评先评优)"),
            _("performance pay coefficient"),
            _("periodic review (定期考核)"),
            _("note"),
        ],
        rows=rows,
        object_type="scoring.Assessment",
        sheet_title="HR",
    )


# --- one assessment ----------------------------------------------------------------------------


@capability_required(Cap.SCORING_VIEW, Cap.SCORING_MANAGE)
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_visible_or_404(selectors.assessments_visible_to(request.user), pk=pk)
    computed = services.assessment_breakdown(a)
    scores = list(a.scores.select_related("item"))
    items = list(a.period.scorecard.items.all())
    table = []
    for item in items:
        by_stage = {s.stage: s for s in scores if s.item_id == item.pk}
        table.append(
            {
                "item": item,
                "self": by_stage.get("self"),
                "department": by_stage.get("department"),
                "institution": by_stage.get("institution"),
                "now": computed.breakdown.get(item.code),
                "stored": a.breakdown.get(item.code),
            }
        )
    events = []
    if a.staff_id:
        events = list(
            LedgerEvent.objects.filter(
                staff_id=a.staff_id,
                occurred_on__gte=a.period.start,
                occurred_on__lte=a.period.end,
            ).select_related("rule")
        )
    user = request.user
    can_department = (
        user.has_capability(Cap.SCORING_DEPARTMENT_REVIEW)  # type: ignore[union-attr]
        and a.department_id in user.scope.department_ids  # type: ignore[union-attr]
        and a.period.status == Status.DEPARTMENT
    )
    return render(
        request,
        "scoring/assessment_detail.html",
        {
            "a": a,
            "table": table,
            "computed": computed,
            "events": events,
            "appeals": a.appeals.all(),
            "can_manage": _can_manage(request),
            "can_department": can_department,
            "grade_form": GradeSetForm(period=a.period),
        },
    )


def _sheet(
    request: HttpRequest, a: Assessment, stage: str, service: Any, title: str, label: str
) -> HttpResponse:
    items = [i for i in a.period.scorecard.items.all() if i.is_manual]
    pts, ev = _stage_values(a, stage)
    if not pts:  # start from the previous stage's figures
        for prev in ("department", "self"):
            pts, ev = _stage_values(a, prev)
            if pts:
                break
    initial = a.department_comment if stage == "department" else a.institution_comment
    form = ScoreSheetForm(
        request.POST or None,
        items=items,
        comment_label=label,
        comment_required=stage == "department",
        initial_points=pts,
        initial_evidence=ev,
        initial={"comment": initial},
    )
    if request.method == "POST" and form.is_valid():
        try:
            service(
                assessment=a,
                points=form.points(),
                evidence=form.evidence(),
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The scores are saved."))
            return redirect("scoring:period_detail", pk=a.period_id)
    is_open = a.period.status == (
        Status.DEPARTMENT if stage == "department" else Status.INSTITUTION
    )
    return render(
        request,
        "scoring/score_sheet.html",
        {
            "form": form,
            "assessment": a,
            "title": title,
            "is_open": is_open,
            "show_self_comment": True,
        },
    )


@capability_required(Cap.SCORING_DEPARTMENT_REVIEW)
def department_review(request: HttpRequest, pk: int) -> HttpResponse:
    qs = selectors.assessments_visible_to(request.user).filter(
        department_id__in=request.user.scope.department_ids  # type: ignore[union-attr]
    )
    a = get_visible_or_404(qs, pk=pk)
    return _sheet(
        request,
        a,
        "department",
        services.department_review_submit,
        _("Department assessment"),
        _("department opinion"),
    )


@capability_required(Cap.SCORING_MANAGE)
def institution_review(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_visible_or_404(selectors.assessments_visible_to(request.user), pk=pk)
    title = _("Institution assessment") if a.staff_id else _("Assessors' scores of the branch")
    return _sheet(
        request, a, "institution", services.institution_review_submit, title, _("opinion")
    )


@require_POST
@capability_required(Cap.SCORING_MANAGE)
def grade_set(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_visible_or_404(selectors.assessments_visible_to(request.user), pk=pk)
    form = GradeSetForm(request.POST, period=a.period)
    if form.is_valid():
        try:
            services.grade_set(
                assessment=a,
                band=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The grade is set."))
    else:
        messages.error(request, _("Choose a grade and give the reason."))
    return redirect("scoring:assessment_detail", pk=a.pk)


# --- appeals -----------------------------------------------------------------------------------


@capability_required(Cap.SCORING_MANAGE)
def appeal_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.appeals_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Appeal.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "scoring/appeal_list.html",
        {"page_obj": _page(request, qs), "status": status, "statuses": Appeal.Status.choices},
    )


@capability_required(Cap.SCORING_MANAGE)
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_visible_or_404(selectors.appeals_visible_to(request.user), pk=pk)
    period = appeal.assessment.period
    form = AppealDecisionForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.appeal_decide(
                appeal=appeal,
                upheld=d["outcome"] == "upheld",
                decision=d["decision"],
                grade=d["grade"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The appeal is decided."))
            return redirect("scoring:appeal_list")
    return render(request, "scoring/appeal_decide.html", {"form": form, "appeal": appeal})


# --- red flag ----------------------------------------------------------------------------------


@capability_required(Cap.SCORING_VIEW)
def redflag_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.red_flag_rounds_visible_to(request.user)
    today = timezone.localdate()
    form = RedFlagComputeForm(initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1})
    return render(
        request,
        "scoring/redflag_list.html",
        {
            "page_obj": _page(request, rounds),
            "form": form,
            "components": RedFlagComponent.objects.all(),
            "can_manage": _can_manage(request),
        },
    )


@require_POST
@capability_required(Cap.SCORING_MANAGE)
def redflag_compute(request: HttpRequest) -> HttpResponse:
    form = RedFlagComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the institution, year and quarter."))
        return redirect("scoring:redflag_list")
    d = form.cleaned_data
    try:
        rnd = services.red_flag_compute(
            institution=d["institution"],
            year=d["year"],
            quarter=int(d["quarter"]),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("scoring:redflag_list")
    messages.success(request, _("The ranking is computed."))
    return redirect("scoring:redflag_detail", pk=rnd.pk)


@capability_required(Cap.SCORING_VIEW)
def redflag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_visible_or_404(selectors.red_flag_rounds_visible_to(request.user), pk=pk)
    scores = list(rnd.scores.select_related("department"))
    weights = rnd.weights
    rows = []
    for s in scores:
        rows.append(
            {
                "s": s,
                "cells": [s.components.get(w["key"]) if w["connected"] else None for w in weights],
            }
        )
    if request.GET.get("export") == "xlsx":
        headers = [_("rank"), _("department"), _("score"), _("missing figures")]
        scaled = _("scaled")
        for w in weights:
            headers += [f"{w['name']}（{w['weight']}）", f"{w['name']} · {scaled}"]
        data = []
        for r in rows:
            line = [r["s"].rank, r["s"].department.name, r["s"].score, r["s"].missing]
            for cell in r["cells"]:
                line += [
                    (cell or {}).get("value") or _("no figure"),
                    (cell or {}).get("normalised") or "",
                ]
            data.append(line)
        return xlsx_response(
            request,
            filename=f"red-flag-{rnd.label}.xlsx",
            headers=headers,
            rows=data,
            object_type="scoring.RedFlagRound",
        )
    history = list(
        selectors.red_flag_rounds_visible_to(request.user)
        .filter(institution=rnd.institution, holder__isnull=False)
        .order_by("-year", "-quarter")[:8]
    )
    return render(
        request,
        "scoring/redflag_detail.html",
        {
            "rnd": rnd,
            "weights": weights,
            "rows": rows,
            "history": history,
            "can_manage": _can_manage(request),
            "award_form": RedFlagAwardForm(),
            "tied": [r["s"] for r in rows if r["s"].rank == 1],
            "today": dt.date.today(),
        },
    )


@require_POST
@capability_required(Cap.SCORING_MANAGE)
def redflag_award(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_visible_or_404(selectors.red_flag_rounds_visible_to(request.user), pk=pk)
    form = RedFlagAwardForm(request.POST)
    form.is_valid()
    try:
        services.red_flag_award(
            rnd=rnd,
            department_id=form.cleaned_data.get("department"),
            note=form.cleaned_data.get("note", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The flag is awarded."))
    return redirect("scoring:redflag_detail", pk=rnd.pk)


@capability_required(Cap.SCORING_MANAGE)
def redflag_weights(request: HttpRequest) -> HttpResponse:
    formset = ComponentFormSet(request.POST or None, queryset=RedFlagComponent.objects.all())
    if request.method == "POST" and formset.is_valid():
        try:
            services.red_flag_weights_save(forms=formset.forms, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The weights are saved."))
            return redirect("scoring:redflag_list")
    return render(request, "scoring/redflag_weights.html", {"formset": formset})
