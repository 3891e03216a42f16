"""Views of organisational life: short, scoped, one service call each."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.audit.services import record_read
from hongfan.core.access import capability_required, get_visible_or_404
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors as apply_errors
from hongfan.orglife import selectors, services
from hongfan.orglife.forms import (
    BallotForm,
    CampaignForm,
    DecisionForm,
    MeetingFileForm,
    MeetingFilterForm,
    MeetingPlanForm,
    MeetingRecordForm,
    MutualAssessmentForm,
    RuleForm,
    SelfAssessmentForm,
    SettingsForm,
    YearForm,
    YearPlanForm,
)
from hongfan.orglife.models import (
    FrequencyRule,
    MeetingFile,
    MutualAssessment,
    OrglifeSettings,
    ReviewBallot,
    ReviewCampaign,
    ReviewGrade,
    SelfAssessment,
)
from hongfan.party.models import PartyMember


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return timezone.localdate().year


# --- meetings ----------------------------------------------------------------------------------


@capability_required(Cap.SELF_VIEW, Cap.ORGLIFE_MANAGE)
def meeting_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.meetings_visible_to(request.user).annotate(
        n_present=Count("attendances", filter=Q(attendances__status="present"))
    )
    form = MeetingFilterForm(request.GET)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(topic__icontains=d["q"]) | Q(organisation__name__icontains=d["q"]))
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["year"]:
            qs = qs.filter(planned_on__year=d["year"])
    qs = qs.order_by("-planned_on", "-id")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("meetings"),
            headers=[
                _("organisation"),
                _("type"),
                _("topic"),
                _("planned date"),
                _("date held"),
                _("place"),
                _("status"),
                _("present"),
                _("valid"),
            ],
            rows=(
                (
                    m.organisation.name,
                    m.get_kind_display(),
                    m.topic,
                    m.planned_on,
                    m.held_on,
                    m.place or m.planned_place,
                    m.get_status_display(),
                    m.n_present,
                    _("Yes") if m.is_valid else _("No"),
                )
                for m in qs.iterator()
            ),
            object_type="orglife.meeting",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    can_manage = request.user.has_capability(Cap.ORGLIFE_MANAGE)
    return render(
        request,
        "orglife/meeting_list.html",
        {"form": form, "page_obj": page, "can_manage": can_manage},
    )


@capability_required(Cap.ORGLIFE_MANAGE)
def meeting_plan(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_managed_by(request.user)
    form = MeetingPlanForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect("orglife:meeting_detail", pk=meeting.pk)
    return render(request, "orglife/meeting_plan.html", {"form": form})


@capability_required(Cap.ORGLIFE_MANAGE)
def year_plan(request: HttpRequest) -> HttpResponse:
    """Plan the rest of the year's 三会一课 of a branch in one go."""
    branches = selectors.branches_managed_by(request.user)
    today = timezone.localdate()
    form = YearPlanForm(
        request.POST or None,
        branches=branches,
        initial={
            "year": today.year,
            "organisation": branches.first() if branches.count() == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            planned = services.year_plan(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(n)d meetings planned.") % {"n": len(planned)})
            return redirect(
                f"{reverse('orglife:meeting_list')}?status=planned&year={form.cleaned_data['year']}"
            )
    return render(request, "orglife/year_plan.html", {"form": form})


@capability_required(Cap.SELF_VIEW, Cap.ORGLIFE_MANAGE)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible_or_404(
        selectors.meetings_visible_to(request.user).select_related(
            "host__staff", "recorder__staff", "lecturer__staff"
        ),
        pk=pk,
    )
    can_manage = selectors.meetings_managed_by(request.user).filter(pk=pk).exists()
    attendances = list(
        meeting.attendances.select_related("member__staff").order_by("member__staff__employee_no")
    )
    counts = {
        "invited": sum(1 for a in attendances if a.invited),
        "present": sum(1 for a in attendances if a.status == "present"),
        "absent": sum(1 for a in attendances if a.status == "absent"),
        "scanned": sum(1 for a in attendances if a.signed_in_at),
    }
    return render(
        request,
        "orglife/meeting_detail.html",
        {
            "meeting": meeting,
            "attendances": attendances,
            "counts": counts,
            "files": meeting.files.all(),
            "can_manage": can_manage,
            "file_form": MeetingFileForm(),
        },
    )


@capability_required(Cap.ORGLIFE_MANAGE)
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible_or_404(selectors.meetings_managed_by(request.user), pk=pk)
    invitees = list(
        meeting.attendances.select_related("member__staff").order_by("member__staff__employee_no")
    )
    people = PartyMember.objects.filter(
        organisation=meeting.organisation, status=PartyMember.Status.NORMAL
    ).select_related("staff")
    initial = {
        "held_on": meeting.held_on or meeting.planned_on,
        "starts_at": meeting.starts_at,
        "place": meeting.place or meeting.planned_place,
        "host": meeting.host_id,
        "recorder": meeting.recorder_id,
        "lecturer": meeting.lecturer_id,
        "first_topic_title": meeting.first_topic_title,
        "first_topic_source": meeting.first_topic_source,
        "agenda": meeting.agenda,
        "resolutions": meeting.resolutions,
        "minutes": meeting.minutes,
    }
    form = MeetingRecordForm(
        request.POST or None, initial=initial, meeting=meeting, people=people, invitees=invitees
    )
    if not request.user.has_capability(Cap.ORGLIFE_OVERRIDE):
        del form.fields["backfill_reason"]  # only the Party office may record late
    if request.method == "POST" and form.is_valid():
        present, absences = form.attendance()
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith(("att_", "note_"))}
        try:
            services.meeting_record(
                meeting=meeting, user=request.user, present_ids=present, absences=absences, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if meeting.is_valid:
                messages.success(request, _("The meeting is recorded."))
            else:
                messages.warning(
                    request,
                    _(
                        "The meeting is recorded but is not valid: more than half of the committee "
                        "must be present."
                    ),
                )
            return redirect("orglife:meeting_detail", pk=meeting.pk)
    deadline = services.backfill_deadline(meeting.held_on or meeting.planned_on)
    return render(
        request,
        "orglife/meeting_record.html",
        {"form": form, "meeting": meeting, "deadline": deadline},
    )


@require_POST
@capability_required(Cap.ORGLIFE_MANAGE)
def meeting_file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible_or_404(selectors.meetings_managed_by(request.user), pk=pk)
    form = MeetingFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.meeting_file_add(
                meeting=meeting, upload=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as exc:
            for e in exc.messages:
                messages.error(request, e)
        else:
            messages.success(request, _("The file is attached."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("orglife:meeting_detail", pk=meeting.pk)


@capability_required(Cap.SELF_VIEW, Cap.ORGLIFE_MANAGE)
def meeting_file_download(request: HttpRequest, pk: int) -> FileResponse:
    item = get_visible_or_404(
        MeetingFile.objects.filter(meeting__in=selectors.meetings_visible_to(request.user)), pk=pk
    )
    return FileResponse(
        item.file.open("rb"), as_attachment=item.kind != MeetingFile.Kind.PHOTO, filename=item.name
    )


@capability_required(Cap.ORGLIFE_MANAGE)
def meeting_qr(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible_or_404(selectors.meetings_managed_by(request.user), pk=pk)
    token = services.sign_in_token(meeting)
    url = request.build_absolute_uri(reverse("orglife:sign_in", kwargs={"token": token}))
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, title=str(meeting))
    signed = meeting.attendances.filter(signed_in_at__isnull=False).count()
    return render(
        request,
        "orglife/meeting_qr.html",
        {
            "meeting": meeting,
            "svg": mark_safe(svg),  # noqa: S308 (generated by segno from our own URL)
            "url": url,
            "expires": services.sign_in_expires_at(meeting),
            "signed": signed,
        },
    )


@login_required
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """A member scans the meeting's QR code on a phone and confirms being present."""
    context: dict[str, object] = {"token": token}
    try:
        meeting = services.meeting_for_token(token)
    except ValidationError as exc:
        context["error"] = exc.messages[0]
        return render(request, "orglife/sign_in.html", context, status=400)
    context["meeting"] = meeting
    member = selectors.member_of(request.user)
    day = meeting.held_on or meeting.planned_on
    if member is None or member.pk not in services.eligible_member_ids(
        organisation=meeting.organisation, kind=meeting.kind, group=meeting.group, day=day
    ):
        context["error"] = _("You are not a member of the organisation holding this meeting.")
        return render(request, "orglife/sign_in.html", context, status=403)
    already = meeting.attendances.filter(member=member, signed_in_at__isnull=False).first()
    if request.method == "POST":
        try:
            context["done"] = services.meeting_sign_in(meeting=meeting, member=member)
        except ValidationError as exc:
            context["error"] = exc.messages[0]
            context["done"] = already
            return render(request, "orglife/sign_in.html", context, status=409 if already else 400)
        context["created"] = True
        return render(request, "orglife/sign_in.html", context)
    context["done"] = already
    context["created"] = False
    return render(request, "orglife/sign_in.html", context)


# --- compliance --------------------------------------------------------------------------------


@capability_required(Cap.ORGLIFE_MANAGE)
def compliance_matrix(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    branches = selectors.branches_managed_by(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        branches = branches.filter(name__icontains=q)
    matrix = selectors.compliance_for_year(branches, year)
    if request.GET.get("export") == "xlsx":
        names = {
            "met": _("met"),
            "open": _("open"),
            "missed": _("missed"),
            "future": "",
            "none": "",
        }
        return xlsx_response(
            request,
            filename=_("compliance"),
            headers=[_("branch"), *[f"{m}月" for m in range(1, 13)], _("met"), _("missed")],
            rows=(
                [r.branch.name, *[names[c] for c in r.months], r.met, r.missed] for r in matrix.rows
            ),
            object_type="orglife.compliance",
            detail={"year": year},
        )
    lectures = (
        selectors.lecture_by_committee_secretary(year) if request.user.scope.hospital_wide else []
    )
    # 80 branches × 12 cells: one joined string per row renders far faster than a template loop.
    for row in matrix.rows:
        row.cells_html = format_html_join(  # type: ignore[attr-defined]
            "", '<td data-status="{}" class="{}">{}</td>', row.cells
        )
    return render(
        request,
        "orglife/compliance_matrix.html",
        {
            "matrix": matrix,
            "year": year,
            "months": range(1, 13),
            "q": q,
            "lectures": lectures,
            "form": YearForm(initial={"year": year}),
            # One reverse() for all rows: /orglife/compliance/<pk>/.
            "branch_url": reverse("orglife:compliance_matrix"),
        },
    )


@capability_required(Cap.ORGLIFE_MANAGE)
def compliance_branch(request: HttpRequest, pk: int) -> HttpResponse:
    branch = get_visible_or_404(selectors.branches_managed_by(request.user), pk=pk)
    year = _year(request)
    matrix = selectors.compliance_for_year(
        selectors.branches_managed_by(request.user).filter(pk=pk), year
    )
    row = matrix.rows[0] if matrix.rows else None
    return render(
        request,
        "orglife/compliance_branch.html",
        {"branch": branch, "row": row, "year": year, "today": matrix.today},
    )


@capability_required(Cap.ORGLIFE_MANAGE)
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = FrequencyRule.objects.all()
    can_configure = request.user.has_capability(Cap.ORGLIFE_OVERRIDE)
    return render(
        request,
        "orglife/rule_list.html",
        {"rules": rules, "config": OrglifeSettings.current(), "can_configure": can_configure},
    )


# Changing rules and settings is the Party committee office's (the holder of ORGLIFE_OVERRIDE).


@capability_required(Cap.ORGLIFE_OVERRIDE)
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_visible_or_404(FrequencyRule.objects.all(), pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(rule=rule, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The rule is saved; compliance follows it at once."))
            return redirect("orglife:rule_list")
    title = _("Change a frequency rule") if rule else _("Add a frequency rule")
    return render(request, "orglife/config_form.html", {"form": form, "title": title})


@capability_required(Cap.ORGLIFE_OVERRIDE)
def settings_edit(request: HttpRequest) -> HttpResponse:
    config = OrglifeSettings.current()
    form = SettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("orglife:rule_list")
    title = _("Organisational life settings")
    return render(request, "orglife/config_form.html", {"form": form, "title": title})


# --- 民主评议党员 -------------------------------------------------------------------------------


@capability_required(Cap.SELF_VIEW, Cap.ORGLIFE_MANAGE)
def campaign_list(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.has_capability(Cap.ORGLIFE_MANAGE)
    form = CampaignForm(request.POST or None, branches=selectors.branches_managed_by(request.user))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                campaign = services.campaign_open(**form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The democratic review is open for self-assessment."))
                return redirect("orglife:campaign_detail", pk=campaign.pk)
    managed = (
        selectors.campaigns_managed_by(request.user)
        if can_manage
        else ReviewCampaign.objects.none()
    )
    q = request.GET.get("q", "").strip()
    if q:
        managed = managed.filter(organisation__name__icontains=q)
    stage = request.GET.get("stage", "")
    if stage in ReviewCampaign.Stage.values:
        managed = managed.filter(stage=stage)
    year_form = YearForm(request.GET)
    if year_form.is_valid() and year_form.cleaned_data["year"]:
        managed = managed.filter(year=year_form.cleaned_data["year"])
    managed = managed.annotate(
        n_results=Count("results", distinct=True),
        n_excellent=Count("results", filter=Q(results__grade=ReviewGrade.EXCELLENT), distinct=True),
    ).order_by("-year", "organisation__code")
    if request.GET.get("export") == "xlsx" and can_manage:
        return xlsx_response(
            request,
            filename=_("democratic reviews"),
            headers=[
                _("branch"),
                _("year"),
                _("stage"),
                _("decided on"),
                _("decided by"),
                _("members graded"),
                _("Excellent"),
            ],
            rows=(
                (
                    c.organisation.name,
                    c.year,
                    c.get_stage_display(),
                    c.decided_on,
                    c.decided_by,
                    c.n_results,
                    c.n_excellent,
                )
                for c in managed
            ),
            object_type="orglife.reviewcampaign",
        )
    page = Paginator(managed, 50).get_page(request.GET.get("page"))
    mine = selectors.campaigns_for_member(request.user).exclude(stage=ReviewCampaign.Stage.DECIDED)
    return render(
        request,
        "orglife/campaign_list.html",
        {
            "form": form,
            "page_obj": page,
            "mine": mine,
            "can_manage": can_manage,
            "q": q,
            "stage": stage,
            "stages": ReviewCampaign.Stage.choices,
            "year_form": year_form,
        },
    )


@capability_required(Cap.ORGLIFE_MANAGE)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(selectors.campaigns_managed_by(request.user), pk=pk)
    members = list(
        PartyMember.objects.filter(
            organisation=campaign.organisation, status=PartyMember.Status.NORMAL
        )
        .select_related("staff")
        .order_by("staff__employee_no")
    )
    candidates = [m for m in members if m.is_full]
    form = DecisionForm(
        request.POST or None, candidates=candidates, initial={"decided_on": timezone.localdate()}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start_mutual":
                services.campaign_start_mutual(campaign=campaign)
                messages.success(request, _("The mutual assessment is open."))
                return redirect("orglife:campaign_detail", pk=pk)
            if action == "start_voting":
                services.campaign_start_voting(campaign=campaign)
                messages.success(request, _("Voting is open."))
                return redirect("orglife:campaign_detail", pk=pk)
            if action == "decide" and form.is_valid():
                services.campaign_decide(
                    campaign=campaign,
                    grades=form.grades(),
                    decided_on=form.cleaned_data["decided_on"],
                    decided_by=form.cleaned_data["decided_by"],
                )
                messages.success(request, _("The grades are recorded in each member's record."))
                return redirect("orglife:campaign_detail", pk=pk)
        except ValidationError as exc:
            apply_errors(form, exc)
    tally = services.campaign_tally(campaign)
    selfs = set(
        SelfAssessment.objects.filter(campaign=campaign).values_list("member_id", flat=True)
    )
    voters = set(ReviewBallot.objects.filter(campaign=campaign).values_list("voter_id", flat=True))
    mutual_counts = dict(
        MutualAssessment.objects.filter(campaign=campaign)
        .values_list("subject_id")
        .annotate(n=Count("id"))
        .values_list("subject_id", "n")
    )
    results = {r.member_id: r for r in campaign.results.all()}
    rows = [
        {
            "member": m,
            "self": m.pk in selfs,
            "mutual": mutual_counts.get(m.pk, 0),
            "voted": m.pk in voters,
            "tally": [
                (label, tally[m.pk][value])
                for value, label in ReviewGrade.choices
                if tally.get(m.pk, {}).get(value)
            ],
            "result": results.get(m.pk),
            "field": form[f"g_{m.pk}"] if f"g_{m.pk}" in form.fields else None,
        }
        for m in members
    ]
    return render(
        request, "orglife/campaign_detail.html", {"campaign": campaign, "rows": rows, "form": form}
    )


def _campaign_for_member(request: HttpRequest, pk: int) -> tuple[ReviewCampaign, PartyMember]:
    campaign = get_visible_or_404(selectors.campaigns_for_member(request.user), pk=pk)
    member = selectors.member_of(request.user)
    assert member is not None  # campaigns_for_member is empty without a member
    return campaign, member


@capability_required(Cap.SELF_VIEW)
def review_self(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, member = _campaign_for_member(request, pk)
    existing = SelfAssessment.objects.filter(campaign=campaign, member=member).first()
    form = SelfAssessmentForm(
        request.POST or None, initial={"text": existing.text if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_submit(
                campaign=campaign, member=member, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your self-assessment is saved."))
            return redirect("orglife:campaign_list")
    return render(request, "orglife/review_self.html", {"campaign": campaign, "form": form})


@capability_required(Cap.SELF_VIEW)
def review_mutual(request: HttpRequest, pk: int) -> HttpResponse:
    """互评 on a phone: a comment box for every other member of the branch."""
    campaign, member = _campaign_for_member(request, pk)
    others = list(
        PartyMember.objects.filter(pk__in=services.campaign_participant_ids(campaign) - {member.pk})
        .select_related("staff")
        .order_by("staff__employee_no")
    )
    written = dict(
        MutualAssessment.objects.filter(campaign=campaign, author=member).values_list(
            "subject_id", "text"
        )
    )
    form = MutualAssessmentForm(request.POST or None, others=others, written=written)
    if request.method == "POST" and form.is_valid():
        try:
            services.mutual_assessments_submit(campaign=campaign, author=member, texts=form.texts())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your comments are saved."))
            return redirect("orglife:campaign_list")
    return render(
        request,
        "orglife/review_mutual.html",
        {"campaign": campaign, "form": form, "open": campaign.stage == ReviewCampaign.Stage.MUTUAL},
    )


@capability_required(Cap.SELF_VIEW)
def review_vote(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, member = _campaign_for_member(request, pk)
    voted = set(
        ReviewBallot.objects.filter(campaign=campaign, voter=member).values_list(
            "candidate_id", flat=True
        )
    )
    candidates = list(
        PartyMember.objects.filter(
            pk__in=services.campaign_candidate_ids(campaign) - voted - {member.pk}
        )
        .select_related("staff")
        .order_by("staff__employee_no")
    )
    form = BallotForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballots_cast(campaign=campaign, voter=member, grades=form.grades())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your votes are recorded. Thank you."))
            return redirect("orglife:campaign_list")
    return render(
        request,
        "orglife/review_vote.html",
        {
            "campaign": campaign,
            "form": form,
            "voted": len(voted),
            "open": campaign.stage == ReviewCampaign.Stage.VOTING,
        },
    )


@capability_required(Cap.SELF_VIEW, Cap.ORGLIFE_MANAGE)
def member_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible_or_404(selectors.members_visible_to(request.user), pk=pk)
    if member.staff_id != request.user.staff_id:
        record_read(member, user=request.user, what="orglife.review_results")
    attendance = (
        member.meeting_attendances.select_related("meeting__organisation")
        .filter(meeting__status="recorded")
        .order_by("-meeting__held_on")[:50]
    )
    return render(
        request,
        "orglife/member_reviews.html",
        {
            "member": member,
            "results": selectors.review_results_for(member),
            "attendance": attendance,
        },
    )
