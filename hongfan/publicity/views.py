"""Publicity pages: stories and their three-level review, the publishing calendar, platforms,
correspondents, reviewers, sensitive words, the media library, cultural activities and
statistics."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import difflib
from collections import defaultdict
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.audit import services as audit
from hongfan.audit.models import AuditEntry
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors
from hongfan.org.models import Department
from hongfan.publicity import forms, selectors, services
from hongfan.publicity.adapters import get_adapter
from hongfan.publicity.models import (
    Correspondent,
    CulturalActivity,
    MediaAsset,
    Platform,
    Publication,
    ReviewerAssignment,
    ReviewLevel,
    SensitiveWord,
    Story,
    WordMatch,
)

STORY_CAPS = (Cap.SELF_VIEW, Cap.PUBLICITY_MANAGE)
CULTURE_CAPS = (Cap.SELF_VIEW, Cap.CULTURE_MANAGE)


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _act(request: HttpRequest, action: Any, success: str) -> None:
    """Run a service call of a POST action; its refusal becomes an error message."""
    try:
        action()
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, success)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


# --- stories -----------------------------------------------------------------------------


@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    require(request, *STORY_CAPS)
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "status", "department", "year")}
    qs = selectors.stories_visible_to(request.user)
    if filters["q"]:
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(author__name__icontains=filters["q"]))
    if filters["status"] in Story.Status.values:
        qs = qs.filter(status=filters["status"])
    if filters["department"].isdigit():
        qs = qs.filter(department_id=int(filters["department"]))
    if filters["year"].isdigit():
        qs = qs.filter(created_at__year=int(filters["year"]))
    qs = qs.annotate(platform_count=Count("publications")).order_by("-created_at", "-pk")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Stories"),
            headers=[
                _("Serial no."),
                _("Title"),
                _("Department"),
                _("Author"),
                _("Status"),
                _("Version"),
                _("First submitted at"),
                _("Approved at"),
                _("First published on"),
                _("Platforms"),
            ],
            rows=(
                (
                    n,
                    s.title,
                    s.department.name,
                    s.author.name,
                    s.get_status_display(),
                    s.version,
                    timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M")
                    if s.submitted_at
                    else "",
                    timezone.localtime(s.approved_at).strftime("%Y-%m-%d %H:%M")
                    if s.approved_at
                    else "",
                    s.published_on or "",
                    s.platform_count,
                )
                for n, s in enumerate(qs, start=1)
            ),
            object_type="publicity.story",
            sheet_title=_("Stories"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    department_ids = selectors.stories_visible_to(request.user).values("department_id")
    return render(
        request,
        "publicity/story_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "statuses": Story.Status.choices,
            "departments": Department.objects.filter(pk__in=department_ids).order_by("code"),
            "can_submit": services.user_may_submit(request.user),
            "levels": selectors.reviewer_levels(request.user),
            "is_office": selectors.is_office(request.user),
        },
    )


def _story_media(form: Any, request: HttpRequest) -> list[MediaAsset]:
    """The library items picked plus the photos uploaded with the form (added to the library)."""
    media = list(form.cleaned_data.get("media") or [])
    uploads = form.cleaned_data.get("photos") or []
    shows_patient = form.cleaned_data.get("photos_show_patient", False)
    for upload in uploads:
        media.append(
            services.media_add(
                actor=request.user,
                kind=MediaAsset.Kind.PHOTO,
                caption=form.cleaned_data["title"][:300],
                upload=upload,
                department=getattr(request.user.staff, "department", None),
                shows_identifiable_patient=shows_patient,
                patient_consent=shows_patient and bool(form.cleaned_data["consent_reference"]),
                consent_reference=form.cleaned_data.get("consent_reference", ""),
            )
        )
    return media


@login_required
def story_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    if not services.user_may_submit(request.user):
        raise PermissionDenied
    form = forms.StoryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            from django.db import transaction

            with transaction.atomic():
                story = services.story_create(
                    actor=request.user,
                    title=data["title"],
                    body=data["body"],
                    video_links=data["video_links"],
                    related_activity=data["related_activity"],
                    related_note=data["related_note"],
                    media=_story_media(form, request),
                )
                if "submit" in request.POST:
                    story = services.story_submit(story=story, actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The story was sent to the first review.")
                if story.status == Story.Status.IN_REVIEW
                else _("The draft was saved."),
            )
            return redirect("publicity:story_detail", pk=story.pk)
    return render(request, "publicity/story_form.html", {"form": form, "story": None})


def _story(request: HttpRequest, pk: int) -> Story:
    require(request, *STORY_CAPS)
    return get_visible_or_404(selectors.stories_visible_to(request.user), pk=pk)


@login_required
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story(request, pk)
    user = request.user
    may_review = True
    try:
        services.check_reviewer(story, user)
    except ValidationError as exc:
        may_review = False
        review_block = exc.messages[0]
    else:
        review_block = ""
    matches = list(story.word_matches.filter(version=story.version).select_related("resolved_by"))
    return render(
        request,
        "publicity/story_detail.html",
        {
            "story": story,
            "versions": story.versions.select_related("changed_by").all(),
            "reviews": story.reviews.select_related("reviewer").all(),
            "matches": matches,
            "open_matches": [m for m in matches if m.resolution != WordMatch.Resolution.ACCEPTED],
            "publications": story.publications.select_related("platform").all(),
            "media": story.media.all(),
            "is_author": services.is_author(story, user),
            "may_review": may_review,
            "review_block": review_block,
            "review_form": forms.ReviewForm(),
            "match_form": forms.MatchResolveForm(),
            "plan_form": forms.PlanForm(),
            "is_office": selectors.is_office(user),
            "levels": ReviewLevel.choices,
        },
    )


def _author_story(request: HttpRequest, pk: int) -> Story:
    story = _story(request, pk)
    if not services.is_author(story, request.user):
        raise PermissionDenied
    return story


@login_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _author_story(request, pk)
    if not story.is_editable:
        messages.error(
            request, _("A story can be changed only while it is a draft or returned for changes.")
        )
        return redirect("publicity:story_detail", pk=story.pk)
    initial = {
        "title": story.title,
        "body": story.body,
        "video_links": story.video_links,
        "related_activity": story.related_activity,
        "related_note": story.related_note,
        "media": list(story.media.all()),
    }
    form = forms.StoryForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            from django.db import transaction

            with transaction.atomic():
                story = services.story_update(
                    story=story,
                    actor=request.user,
                    title=data["title"],
                    body=data["body"],
                    video_links=data["video_links"],
                    related_activity=data["related_activity"],
                    related_note=data["related_note"],
                    media=_story_media(form, request),
                    note=data.get("note", ""),
                )
                if "submit" in request.POST:
                    story = services.story_submit(story=story, actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The story was saved."))
            return redirect("publicity:story_detail", pk=story.pk)
    return render(request, "publicity/story_form.html", {"form": form, "story": story})


@login_required
@require_POST
def story_submit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _author_story(request, pk)
    _act(
        request,
        lambda: services.story_submit(story=story, actor=request.user),
        _("The story was sent to the first review."),
    )
    return redirect("publicity:story_detail", pk=story.pk)


@login_required
@require_POST
def story_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    story = _author_story(request, pk)
    _act(
        request,
        lambda: services.story_withdraw(story=story, actor=request.user),
        _("The story was withdrawn."),
    )
    return redirect("publicity:story_detail", pk=story.pk)


def _reviewable(request: HttpRequest, pk: int) -> Story:
    story = _story(request, pk)
    if story.pending_level not in selectors.reviewer_levels(request.user):
        raise PermissionDenied
    return story


@login_required
@require_POST
def story_review(request: HttpRequest, pk: int) -> HttpResponse:
    story = _reviewable(request, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("publicity:story_detail", pk=story.pk)
    try:
        review = services.story_review(story=story, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("%(level)s recorded: %(decision)s.")
            % {"level": review.get_level_display(), "decision": review.get_decision_display()},
        )
    return redirect("publicity:story_detail", pk=story.pk)


@login_required
@require_POST
def match_resolve(request: HttpRequest, pk: int, match_pk: int) -> HttpResponse:
    story = _reviewable(request, pk)
    match = get_visible_or_404(WordMatch.objects.filter(story=story), pk=match_pk)
    form = forms.MatchResolveForm(request.POST)
    if form.is_valid():
        try:
            services.match_resolve(match=match, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("The sensitive word “%(w)s” is resolved.") % {"w": match.word}
            )
    else:
        messages.error(request, _("Choose how the match is resolved."))
    return redirect("publicity:story_detail", pk=story.pk)


@login_required
def story_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    story = _story(request, pk)
    version = get_visible_or_404(story.versions.select_related("changed_by"), number=number)
    previous = story.versions.filter(number__lt=number).order_by("-number").first()
    diff: list[tuple[str, str]] = []
    if previous is not None:
        for line in difflib.ndiff(
            f"{previous.title}\n{previous.body}".splitlines(),
            f"{version.title}\n{version.body}".splitlines(),
        ):
            tag = line[:1]
            if tag in ("+", "-", " "):
                diff.append(({"+": "added", "-": "removed", " ": "same"}[tag], line[2:]))
    return render(
        request,
        "publicity/story_version.html",
        {"story": story, "version": version, "previous": previous, "diff": diff},
    )


@login_required
@require_POST
def story_plan(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    story = _story(request, pk)
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        try:
            services.publication_plan(story=story, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The story is on the publishing calendar."))
    else:
        messages.error(request, _("Choose a platform and a date."))
    return redirect("publicity:story_detail", pk=story.pk)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    require(request, *STORY_CAPS)
    levels = selectors.reviewer_levels(request.user)
    office = selectors.is_office(request.user)
    if not levels and not office:
        raise PermissionDenied
    mine = selectors.review_queue(request.user)
    waiting = (
        Story.objects.filter(status=Story.Status.IN_REVIEW)
        .values("pending_level")
        .annotate(n=Count("pk"))
        .order_by("pending_level")
        if office
        else []
    )
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/queue.html",
        {
            "page_obj": page,
            "levels": sorted(levels),
            "level_labels": dict(ReviewLevel.choices),
            "waiting": [(dict(ReviewLevel.choices)[w["pending_level"]], w["n"]) for w in waiting],
            "is_office": office,
        },
    )


# --- calendar and publishing -------------------------------------------------------------


def _month(request: HttpRequest) -> dt.date:
    raw = request.GET.get("month", "")
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def publishing_calendar(request: HttpRequest) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    month = _month(request)
    last = month.replace(day=pycalendar.monthrange(month.year, month.month)[1])
    platform_id = request.GET.get("platform", "")
    pubs = list(
        selectors.calendar(month, last, int(platform_id) if platform_id.isdigit() else None)
    )
    by_day: dict[dt.date, list[Publication]] = defaultdict(list)
    for pub in pubs:
        by_day[pub.published_on or pub.planned_on].append(pub)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append([(d, d.month == month.month, by_day.get(d, [])) for d in week])
    prev_month = (month - dt.timedelta(days=1)).replace(day=1)
    next_month = last + dt.timedelta(days=1)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Publishing calendar"),
            headers=[
                _("Planned for"),
                _("Published on"),
                _("Platform"),
                _("Title"),
                _("Department"),
                _("Link or issue"),
                _("Views"),
            ],
            rows=(
                (
                    p.planned_on,
                    p.published_on or "",
                    p.platform.name,
                    p.story.title,
                    p.story.department.name,
                    p.link or p.issue_number,
                    p.views,
                )
                for p in pubs
            ),
            object_type="publicity.publication",
            sheet_title=_("Publishing calendar"),
        )
    return render(
        request,
        "publicity/calendar.html",
        {
            "month": month,
            "weeks": weeks,
            "prev_month": prev_month,
            "next_month": next_month,
            "platforms": selectors.platforms(),
            "platform_id": platform_id,
            "publications": pubs,
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        },
    )


def _publication(request: HttpRequest, pk: int) -> Publication:
    require(request, Cap.PUBLICITY_MANAGE)
    return get_visible_or_404(Publication.objects.select_related("story", "platform"), pk=pk)


@login_required
def publication_record(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _publication(request, pk)
    initial = {
        "published_on": pub.published_on or timezone.localdate(),
        "link": pub.link,
        "issue_number": pub.issue_number,
        "views": pub.views,
        "likes": pub.likes,
        "shares": pub.shares,
        "comments_count": pub.comments_count,
    }
    form = forms.PublicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if pub.is_published:
                data = form.cleaned_data
                services.publication_reach_update(
                    publication=pub,
                    views=data["views"],
                    likes=data["likes"],
                    shares=data["shares"],
                    comments_count=data["comments_count"],
                )
            else:
                services.publication_record(
                    publication=pub, actor=request.user, **form.cleaned_data
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The publication was recorded."))
            return redirect("publicity:story_detail", pk=pub.story_id)
    return render(
        request,
        "publicity/publication_form.html",
        {
            "form": form,
            "pub": pub,
            "automatic": get_adapter(pub.platform.adapter).automatic,
        },
    )


@login_required
@require_POST
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _publication(request, pk)
    _act(
        request,
        lambda: services.publish_automatically(publication=pub, actor=request.user),
        _("The story was published through the platform's adapter."),
    )
    return redirect("publicity:story_detail", pk=pub.story_id)


@login_required
@require_POST
def publication_remove(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _publication(request, pk)
    _act(
        request,
        lambda: services.publication_remove(publication=pub),
        _("The story was taken off the calendar."),
    )
    return redirect("publicity:story_detail", pk=pub.story_id)


@login_required
def platform_package(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    platform = get_visible_or_404(Platform.objects.all(), pk=pk)
    month = _month(request)
    last = month.replace(day=pycalendar.monthrange(month.year, month.month)[1])
    pubs = list(
        Publication.objects.filter(platform=platform, planned_on__range=(month, last))
        .select_related("story__department", "story__author", "platform")
        .prefetch_related("story__media")
        .order_by("planned_on", "pk")
    )
    if not pubs:
        messages.info(request, _("Nothing is planned for %(p)s in this month.") % {"p": platform})
        return redirect(f"{_url('publicity:calendar')}?month={month:%Y-%m}&platform={platform.pk}")
    data = services.package_for(pubs)
    audit.record(
        AuditEntry.Action.EXPORT,
        object_type="publicity.platform_package",
        object_repr=str(platform),
        detail={"month": f"{month:%Y-%m}", "pieces": len(pubs)},
    )
    name = f"{platform.name}-{month:%Y-%m}.zip"
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# --- platforms, correspondents, reviewers, words ------------------------------------------


@login_required
def platform_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    year = _year(request)
    platforms = selectors.platforms().annotate(
        published=Count("publications", filter=Q(publications__published_on__year=year)),
        planned=Count(
            "publications",
            filter=Q(publications__planned_on__year=year, publications__published_on__isnull=True),
        ),
    )
    return render(request, "publicity/platform_list.html", {"platforms": platforms, "year": year})


@login_required
def platform_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    platform = get_visible_or_404(Platform.objects.all(), pk=pk) if pk else None
    form = forms.PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: form.cleaned_data[k] for k in forms.PlatformForm.Meta.fields}
            services.platform_save(platform=platform, **fields)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The platform was saved."))
            return redirect("publicity:platform_list")
    return render(request, "publicity/platform_form.html", {"form": form, "platform": platform})


@login_required
def correspondent_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    year = _year(request)
    q = request.GET.get("q", "").strip()
    rows = selectors.correspondent_output(year)
    if q:
        rows = [
            r
            for r in rows
            if q in r.correspondent.staff.name or q in r.correspondent.department.name
        ]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Correspondents"),
            headers=[
                _("Name"),
                _("Employee number"),
                _("Department"),
                _("Party branch"),
                _("Term"),
                _("Yearly target"),
                _("Submitted"),
                _("Published"),
                _("Completion (%)"),
            ],
            rows=(
                (
                    r.correspondent.staff.name,
                    r.correspondent.staff.employee_no,
                    r.correspondent.department.name,
                    r.correspondent.organisation.name if r.correspondent.organisation else "",
                    f"{r.correspondent.appointed_on}—{r.correspondent.term_ends_on}",
                    r.correspondent.yearly_target,
                    r.submitted,
                    r.published,
                    r.completion if r.completion is not None else "",
                )
                for r in rows
            ),
            object_type="publicity.correspondent",
            sheet_title=_("Correspondents"),
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/correspondent_list.html",
        {"page_obj": page, "year": year, "q": q, "filters": {"q": q, "year": year}},
    )


@login_required
def correspondent_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    term = get_visible_or_404(Correspondent.objects.select_related("staff"), pk=pk) if pk else None
    initial = (
        {
            "employee_no": term.staff.employee_no,
            "organisation": term.organisation,
            "appointed_on": term.appointed_on,
            "term_ends_on": term.term_ends_on,
            "yearly_target": term.yearly_target,
            "note": term.note,
        }
        if term
        else {}
    )
    form = forms.CorrespondentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correspondent_save(
                staff=data["employee_no"],
                organisation=data["organisation"],
                appointed_on=data["appointed_on"],
                term_ends_on=data["term_ends_on"],
                yearly_target=data["yearly_target"],
                note=data["note"],
                correspondent=term,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The correspondent was saved."))
            return redirect("publicity:correspondent_list")
    return render(request, "publicity/correspondent_form.html", {"form": form, "term": term})


@login_required
def reviewer_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    form = forms.ReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewer_assign(
                user=form.cleaned_data["username"], level=form.cleaned_data["level"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The reviewer was appointed."))
            return redirect("publicity:reviewer_list")
    assignments = ReviewerAssignment.objects.filter(is_active=True).select_related(
        "user__staff__department"
    )
    return render(
        request, "publicity/reviewer_list.html", {"form": form, "assignments": assignments}
    )


@login_required
@require_POST
def reviewer_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    assignment = get_visible_or_404(ReviewerAssignment.objects.filter(is_active=True), pk=pk)
    services.reviewer_remove(assignment=assignment)
    messages.success(request, _("The reviewer was removed from this level."))
    return redirect("publicity:reviewer_list")


@login_required
def word_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    form = forms.WordsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.sensitive_words_add(
                text=form.cleaned_data["words"],
                category=form.cleaned_data["category"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)s new words added.") % {"n": created})
            return redirect("publicity:word_list")
    q = request.GET.get("q", "").strip()
    words = SensitiveWord.objects.all()
    if q:
        words = words.filter(Q(word__icontains=q) | Q(category__icontains=q))
    page = Paginator(words, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/word_list.html",
        {"form": form, "page_obj": page, "filters": {"q": q}},
    )


@login_required
@require_POST
def word_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    word = get_visible_or_404(SensitiveWord.objects.all(), pk=pk)
    services.sensitive_word_toggle(word=word)
    return redirect("publicity:word_list")


# --- media library -----------------------------------------------------------------------


@login_required
def media_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "kind", "consent")}
    qs = selectors.media_visible_to(request.user).prefetch_related("people")
    if filters["q"]:
        qs = qs.filter(
            Q(caption__icontains=filters["q"])
            | Q(people__name__icontains=filters["q"])
            | Q(activity__title__icontains=filters["q"])
        ).distinct()
    if filters["kind"] in MediaAsset.Kind.values:
        qs = qs.filter(kind=filters["kind"])
    if filters["consent"] == "patient":
        qs = qs.filter(shows_identifiable_patient=True)
    page = Paginator(qs, 48).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/media_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "kinds": MediaAsset.Kind.choices,
            "is_office": selectors.is_office(request.user),
        },
    )


@login_required
def media_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    form = forms.MediaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asset = services.media_add(
                actor=request.user,
                kind=data["kind"],
                caption=data["caption"],
                upload=data["file"],
                video_link=data["video_link"],
                taken_on=data["taken_on"],
                people=data["people"],
                activity=data["activity"],
                department=getattr(getattr(request.user, "staff", None), "department", None),
                shows_identifiable_patient=data["shows_identifiable_patient"],
                patient_consent=data["patient_consent"],
                consent_reference=data["consent_reference"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The item was added to the media library."))
            return redirect("publicity:media_detail", pk=asset.pk)
    return render(request, "publicity/media_form.html", {"form": form, "asset": None})


@login_required
def media_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    asset = get_visible_or_404(selectors.media_visible_to(request.user), pk=pk)
    initial = {
        "caption": asset.caption,
        "taken_on": asset.taken_on,
        "people": " ".join(asset.people.values_list("employee_no", flat=True)),
        "activity": asset.activity,
        "shows_identifiable_patient": asset.shows_identifiable_patient,
        "patient_consent": asset.patient_consent,
        "consent_reference": asset.consent_reference,
    }
    form = forms.MediaForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.media_update(
                asset=asset,
                caption=data["caption"],
                taken_on=data["taken_on"],
                people=data["people"],
                activity=data["activity"],
                department=asset.department,
                shows_identifiable_patient=data["shows_identifiable_patient"],
                patient_consent=data["patient_consent"],
                consent_reference=data["consent_reference"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("publicity:media_detail", pk=asset.pk)
    return render(
        request,
        "publicity/media_detail.html",
        {
            "asset": asset,
            "form": form,
            "stories": asset.stories.all(),
            "people": asset.people.all(),
        },
    )


@login_required
def media_file(request: HttpRequest, pk: int) -> FileResponse:
    require(request, Cap.SELF_VIEW)
    asset = get_visible_or_404(selectors.media_visible_to(request.user), pk=pk)
    if not asset.file:
        raise Http404
    try:
        handle = asset.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, filename=asset.original_name or asset.file.name)


# --- cultural activities -----------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    require(request, *CULTURE_CAPS)
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "kind", "year")}
    qs = selectors.activities_visible_to(request.user).annotate(
        people=Count("participations", distinct=True)
    )
    if filters["q"]:
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(place__icontains=filters["q"]))
    if filters["kind"] in CulturalActivity.Kind.values:
        qs = qs.filter(kind=filters["kind"])
    if filters["year"].isdigit():
        qs = qs.filter(held_on__year=int(filters["year"]))
    qs = qs.order_by("-held_on", "-pk")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Cultural activities"),
            headers=[
                _("Date"),
                _("Kind"),
                _("Title"),
                _("Place"),
                _("Organiser"),
                _("Participants"),
                _("Counts as Party study"),
                _("Results and awards"),
            ],
            rows=(
                (
                    a.held_on,
                    a.get_kind_display(),
                    a.title,
                    a.place,
                    "、".join(
                        x
                        for x in (
                            a.organiser_organisation.name if a.organiser_organisation else "",
                            a.organiser_department.name if a.organiser_department else "",
                            a.organiser_text,
                        )
                        if x
                    ),
                    a.people,
                    _("Yes") if a.counts_as_study else _("No"),
                    a.results,
                )
                for a in qs
            ),
            object_type="publicity.cultural_activity",
            sheet_title=_("Cultural activities"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/activity_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "kinds": CulturalActivity.Kind.choices,
            "can_manage": request.user.has_capability(Cap.CULTURE_MANAGE),
            "is_office": selectors.is_office(request.user),
        },
    )


def _activity_form_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "title": data["title"],
        "held_on": data["held_on"],
        "place": data["place"],
        "organiser_organisation": data["organiser_organisation"],
        "organiser_department": data["organiser_department"],
        "organiser_text": data["organiser_text"],
        "summary": data["summary"],
        "results": data["results"],
        "counts_as_study": data["counts_as_study"],
        "study_hours": data["study_hours"],
        "participants": data["participants"],
        "awards": data.get("awards_by_staff", {}),
    }


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.CULTURE_MANAGE)
    form = forms.ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_save(
                actor=request.user, **_activity_form_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("publicity:activity_detail", pk=activity.pk)
    return render(request, "publicity/activity_form.html", {"form": form, "activity": None})


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *CULTURE_CAPS)
    activity = get_visible_or_404(selectors.activities_visible_to(request.user), pk=pk)
    participations = activity.participations.select_related("staff__department").order_by(
        "staff__department__code", "staff__employee_no"
    )
    return render(
        request,
        "publicity/activity_detail.html",
        {
            "activity": activity,
            "participations": participations,
            "media": activity.media.all(),
            "stories": activity.stories.filter(status=Story.Status.PUBLISHED),
            "can_manage": selectors.activity_manageable(request.user, activity),
        },
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.CULTURE_MANAGE)
    activity = get_visible_or_404(selectors.activities_visible_to(request.user), pk=pk)
    if not selectors.activity_manageable(request.user, activity):
        raise PermissionDenied
    parts = list(activity.participations.select_related("staff"))
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "held_on": activity.held_on,
        "place": activity.place,
        "organiser_organisation": activity.organiser_organisation,
        "organiser_department": activity.organiser_department,
        "organiser_text": activity.organiser_text,
        "summary": activity.summary,
        "results": activity.results,
        "counts_as_study": activity.counts_as_study,
        "study_hours": activity.study_hours,
        "participants": " ".join(p.staff.employee_no for p in parts),
        "awards": "\n".join(f"{p.staff.employee_no} {p.result}" for p in parts if p.result),
    }
    form = forms.ActivityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(
                actor=request.user, activity=activity, **_activity_form_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("publicity:activity_detail", pk=activity.pk)
    return render(request, "publicity/activity_form.html", {"form": form, "activity": activity})


# --- statistics --------------------------------------------------------------------------


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    require(request, Cap.PUBLICITY_MANAGE)
    year = _year(request)
    pieces = selectors.piece_stats(year)
    turnaround, approval_days = selectors.review_turnaround(year)
    by_department, by_branch, activity_count = selectors.participation(year)
    output = selectors.correspondent_output(year)
    if request.GET.get("export") == "xlsx":
        rows: list[tuple[Any, ...]] = []
        rows += [(_("By department"), name, s, p, "") for name, s, p in pieces.by_department]
        rows += [(_("By platform"), name, "", n, views) for name, n, views in pieces.by_platform]
        rows += [(_("By month"), f"{year}-{m:02d}", s, p, "") for m, s, p in pieces.by_month]
        rows += [
            (
                _("By correspondent"),
                f"{o.correspondent.staff.name}（{o.correspondent.department.name}）",
                o.submitted,
                o.published,
                o.correspondent.yearly_target,
            )
            for o in output
        ]
        return xlsx_response(
            request,
            filename=_("Publicity statistics"),
            headers=[_("Grouping"), _("Name"), _("Submitted"), _("Published"), _("Views / target")],
            rows=rows,
            object_type="publicity.stats",
            sheet_title=str(year),
        )
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 10, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": [f"{m}月" for m, _s, _p in pieces.by_month]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": str(_("Submitted")),
                "type": "bar",
                "data": [s for _m, s, _p in pieces.by_month],
            },
            {
                "name": str(_("Published")),
                "type": "bar",
                "data": [p for _m, _s, p in pieces.by_month],
            },
        ],
    }
    return render(
        request,
        "publicity/stats.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "pieces": pieces,
            "turnaround": turnaround,
            "approval_days": approval_days,
            "by_department": by_department,
            "by_branch": by_branch,
            "activity_count": activity_count,
            "output": output,
            "chart": chart,
        },
    )
