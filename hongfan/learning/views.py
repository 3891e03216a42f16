"""Views of learning: study activities, hours and coverage, contests, branch brands."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.accounts.roles import Cap
from hongfan.core.access import capability_required, get_visible_or_404
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors as apply_errors
from hongfan.learning import selectors, services
from hongfan.learning.forms import (
    ActivityForm,
    BrandForm,
    ContestForm,
    EvaluateForm,
    FilterForm,
    ImportForm,
    QuestionForm,
    QuizForm,
)
from hongfan.learning.models import BranchBrand, Contest, ContestAttempt, Question
from hongfan.orglife.selectors import member_of


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@capability_required(Cap.SELF_VIEW, Cap.LEARNING_MANAGE)
def activity_list(request: HttpRequest) -> HttpResponse:
    qs = (
        selectors.activities_visible_to(request.user)
        .annotate(n=Count("participations"))
        .order_by("-held_on", "-id")
    )
    form = FilterForm(request.GET)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(title__icontains=d["q"]) | Q(organisation__name__icontains=d["q"]))
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["year"]:
            qs = qs.filter(held_on__year=d["year"])
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("study activities"),
            headers=[
                _("organiser"),
                _("type"),
                _("title"),
                _("date"),
                _("hours per participant"),
                _("participants"),
            ],
            rows=(
                (a.organisation.name, a.get_kind_display(), a.title, a.held_on, a.hours, a.n)
                for a in qs.iterator()
            ),
            object_type="learning.studyactivity",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/activity_list.html",
        {
            "form": form,
            "page_obj": page,
            "can_manage": request.user.has_capability(Cap.LEARNING_MANAGE),
        },
    )


@capability_required(Cap.LEARNING_MANAGE)
def activity_create(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(
        request.POST or None,
        organisations=selectors.organisations_managed_by(request.user),
        members=selectors.members_managed_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["participant_ids"] = [m.pk for m in data.pop("participants")]
        try:
            activity = services.activity_create(**data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The study activity is recorded."))
            return redirect("learning:activity_detail", pk=activity.pk)
    return render(request, "learning/activity_form.html", {"form": form})


@capability_required(Cap.SELF_VIEW, Cap.LEARNING_MANAGE)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(selectors.activities_visible_to(request.user), pk=pk)
    parts = activity.participations.select_related("member__staff").order_by(
        "member__staff__employee_no"
    )
    return render(request, "learning/activity_detail.html", {"activity": activity, "parts": parts})


@capability_required(Cap.LEARNING_MANAGE)
def hours_report(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    members = selectors.members_managed_by(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        members = members.filter(Q(staff__name__icontains=q) | Q(organisation__name__icontains=q))
    rows = selectors.member_hours(members, year).order_by(
        "organisation__code", "staff__employee_no"
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("study hours"),
            headers=[_("branch"), _("member"), _("activities"), _("hours")],
            rows=(
                (m.organisation.name, m.staff.name, m.study_count, m.study_hours or 0)
                for m in rows.iterator()
            ),
            object_type="learning.hours",
            detail={"year": year},
        )
    by_branch, total = selectors.coverage(members, year)
    chart = {
        "tooltip": {},
        "grid": {"containLabel": True},
        "xAxis": {"type": "value", "max": 100},
        "yAxis": {"type": "category", "data": [c.name for c in by_branch]},
        "series": [
            {"type": "bar", "name": _("Coverage rate"), "data": [c.rate for c in by_branch]}
        ],
    }
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/hours_report.html",
        {
            "page_obj": page,
            "by_branch": by_branch,
            "total": total,
            "year": year,
            "q": q,
            "chart": chart,
        },
    )


@capability_required(Cap.LEARNING_ADMIN)
def question_list(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST if request.POST.get("action") == "add" else None)
    import_form = ImportForm(
        request.POST if request.POST.get("action") == "import" else None, request.FILES or None
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "add" and form.is_valid():
                d = form.cleaned_data
                services.question_create(
                    kind=d["kind"],
                    text=d["text"],
                    options=d["options"].splitlines(),
                    answer=services.parse_answer(d["kind"], d["answer"]),
                    category=d["category"],
                )
                messages.success(request, _("The question is added."))
                return redirect("learning:question_list")
            if request.POST.get("action") == "import" and import_form.is_valid():
                n = services.questions_import_xlsx(file=import_form.cleaned_data["file"])
                messages.success(request, _("%(n)d questions imported.") % {"n": n})
                return redirect("learning:question_list")
        except ValidationError as exc:
            apply_errors(import_form if request.POST.get("action") == "import" else form, exc)
    qs = Question.objects.all()
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(category__icontains=q))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("question bank"),
            headers=[_("type"), _("question"), _("options"), _("category")],
            rows=(
                (x.get_kind_display(), x.text, " | ".join(x.options), x.category)
                for x in qs.iterator()
            ),
            object_type="learning.question",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/question_list.html",
        {"form": form, "import_form": import_form, "page_obj": page, "q": q},
    )


@capability_required(Cap.SELF_VIEW, Cap.LEARNING_MANAGE)
def contest_list(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.has_capability(Cap.LEARNING_ADMIN)
    form = ContestForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.contest_create(**form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The contest is created."))
                return redirect("learning:contest_list")
    today = timezone.localdate()
    open_contests = selectors.contests_open(today)
    member = member_of(request.user)
    done = (
        set(ContestAttempt.objects.filter(member=member).values_list("contest_id", flat=True))
        if member
        else set()
    )
    contests = Contest.objects.annotate(n=Count("attempts")).order_by("-opens_on", "-id")
    q = request.GET.get("q", "").strip()
    if q:
        contests = contests.filter(title__icontains=q)
    if request.GET.get("export") == "xlsx" and request.user.has_capability(Cap.LEARNING_MANAGE):
        return xlsx_response(
            request,
            filename=_("knowledge contests"),
            headers=[_("title"), _("opens on"), _("closes on"), _("entries")],
            rows=((c.title, c.opens_on, c.closes_on, c.n) for c in contests),
            object_type="learning.contest",
        )
    page = Paginator(contests, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/contest_list.html",
        {
            "form": form,
            "open_contests": open_contests,
            "done": done,
            "page_obj": page,
            "can_manage": can_manage,
            "can_results": request.user.has_capability(Cap.LEARNING_MANAGE),
            "is_member": member is not None,
            "q": q,
        },
    )


@capability_required(Cap.SELF_VIEW)
def contest_take(request: HttpRequest, pk: int) -> HttpResponse:
    contest = get_visible_or_404(selectors.contests_open(timezone.localdate()), pk=pk)
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied
    attempt = ContestAttempt.objects.filter(contest=contest, member=member).first()
    questions = list(contest.questions.order_by("id"))
    form = QuizForm(request.POST or None, questions=questions)
    if request.method == "POST" and attempt is None and form.is_valid():
        try:
            attempt = services.contest_submit(
                contest=contest, member=member, answers=form.answers()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your answers are scored."))
    review = selectors.attempt_review(attempt, questions) if attempt else []
    return render(
        request,
        "learning/contest_take.html",
        {"contest": contest, "form": form, "attempt": attempt, "review": review},
    )


@capability_required(Cap.LEARNING_MANAGE)
def contest_results(request: HttpRequest, pk: int) -> HttpResponse:
    contest = get_visible_or_404(Contest.objects.all(), pk=pk)
    attempts, by_branch = selectors.contest_results(
        contest, selectors.members_managed_by(request.user)
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("contest results"),
            headers=[_("branch"), _("member"), _("score"), _("correct answers")],
            rows=(
                (a.member.organisation.name, a.member.staff.name, a.score, a.correct)
                for a in attempts
            ),
            object_type="learning.contestattempt",
            detail={"contest": contest.pk},
        )
    page = Paginator(attempts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/contest_results.html",
        {"contest": contest, "page_obj": page, "by_branch": by_branch},
    )


@capability_required(Cap.LEARNING_MANAGE)
def brand_list(request: HttpRequest) -> HttpResponse:
    branches = (
        selectors.branches_managed_by(request.user)
        .select_related("brand")
        .order_by("sort_order", "code")
    )
    q = request.GET.get("q", "").strip()
    if q:
        branches = branches.filter(
            Q(name__icontains=q) | Q(brand__name__icontains=q) | Q(brand__slogan__icontains=q)
        )
    if request.GET.get("export") == "xlsx":
        rows = []
        for b in branches:
            brand = getattr(b, "brand", None)
            rows.append(
                (
                    b.name,
                    brand.name if brand else "",
                    brand.slogan if brand else "",
                    brand.score if brand else None,
                )
            )
        return xlsx_response(
            request,
            filename=_("branch brands"),
            headers=[_("branch"), _("brand name"), _("slogan"), _("evaluation score")],
            rows=rows,
            object_type="learning.branchbrand",
        )
    page = Paginator(branches, 50).get_page(request.GET.get("page"))
    return render(request, "learning/brand_list.html", {"page_obj": page, "q": q})


@capability_required(Cap.LEARNING_MANAGE)
def brand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    branch = get_visible_or_404(selectors.branches_managed_by(request.user), pk=pk)
    brand = BranchBrand.objects.filter(organisation=branch).first()
    form = BrandForm(
        request.POST if request.POST.get("action") != "evaluate" else None, instance=brand
    )
    evaluate = EvaluateForm(
        request.POST if request.POST.get("action") == "evaluate" else None,
        initial={"score": brand.score if brand else None},
    )
    can_evaluate = request.user.has_capability(Cap.LEARNING_ADMIN)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "evaluate":
                if not can_evaluate or brand is None:
                    raise PermissionDenied
                if evaluate.is_valid():
                    services.brand_evaluate(
                        brand=brand, score=evaluate.cleaned_data["score"], user=request.user
                    )
                    messages.success(request, _("The evaluation is saved."))
                    return redirect("learning:brand_list")
            elif form.is_valid():
                services.brand_save(organisation=branch, **form.cleaned_data)
                messages.success(request, _("The brand is saved."))
                return redirect("learning:brand_list")
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(
        request,
        "learning/brand_form.html",
        {
            "branch": branch,
            "brand": brand,
            "form": form,
            "evaluate": evaluate,
            "can_evaluate": can_evaluate,
        },
    )
