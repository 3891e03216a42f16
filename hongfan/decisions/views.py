"""Decision meetings, resolutions, 院务公开 and the 三重一大 compliance report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.core.access import capability_required, get_visible_or_404
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors as _errors
from hongfan.decisions import selectors, services
from hongfan.decisions.forms import (
    AgendaItemForm,
    AttendanceForm,
    DecideForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    NoteForm,
    OfficeMemberForm,
    RecusalForm,
    ResolutionFilterForm,
)
from hongfan.decisions.models import AgendaItem, Meeting, OfficeMeetingMember
from hongfan.org.models import Institution


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, 50).get_page(request.GET.get("page"))


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_visible_or_404(selectors.meetings_visible_to(request.user), pk=pk)


def _item(request: HttpRequest, pk: int) -> AgendaItem:
    meetings = selectors.meetings_visible_to(request.user)
    return get_visible_or_404(
        AgendaItem.objects.filter(meeting__in=meetings).select_related("meeting"), pk=pk
    )


def _institution(request: HttpRequest) -> Institution:
    staff = getattr(request.user, "staff", None)
    if staff is not None:
        return staff.institution
    return Institution.objects.filter(kind=Institution.Kind.HOSPITAL).order_by("pk").first()


# ---------------------------------------------------------------- meetings


@capability_required(Cap.DECISIONS_VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "q": form.cleaned_data["q"],
            "kind": form.cleaned_data["kind"],
            "year": form.cleaned_data["year"],
            "major": form.cleaned_data["major"],
        }
    qs = selectors.meeting_list(request.user, **filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename="decision-meetings",
            headers=[
                _("date"),
                _("meeting"),
                _("session"),
                _("place"),
                _("chair"),
                _("first agenda item (study)"),
                _("agenda items"),
                _("三重一大 items"),
            ],
            rows=(
                (
                    m.held_on,
                    m.get_kind_display(),
                    m.number,
                    m.place,
                    m.chair.name,
                    m.first_topic_title,
                    m.item_count,
                    m.major_count,
                )
                for m in qs.iterator()
            ),
            object_type="decisions.meeting",
        )
    return render(
        request,
        "decisions/meeting_list.html",
        {
            "form": form,
            "page_obj": _page(request, qs),
            "can_manage": request.user.has_capability(Cap.DECISIONS_MANAGE),
        },
    )


@capability_required(Cap.DECISIONS_MANAGE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                institution=_institution(request), actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Meeting recorded. Now record the attendance."))
            return redirect("decisions:meeting_detail", pk=meeting.pk)
    return render(request, "decisions/form.html", {"form": form, "title": _("New meeting")})


@capability_required(Cap.DECISIONS_MANAGE)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "kind"}
        try:
            services.meeting_update(
                meeting=Meeting.objects.get(pk=pk), actor=request.user, **fields
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect("decisions:meeting_detail", pk=pk)
    return render(
        request, "decisions/form.html", {"form": form, "title": _("Edit meeting"), "back": meeting}
    )


@capability_required(Cap.DECISIONS_VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_detail(_meeting(request, pk))
    rows = list(meeting.attendance.all())
    config = selectors.decision_config()
    items = []
    for item in meeting.items.all():
        items.append({"item": item, "quorum": services.item_quorum(item, config=config)})
    return render(
        request,
        "decisions/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "attendance_form": AttendanceForm(rows=rows),
            "present": sum(r.is_present for r in rows),
            "can_manage": request.user.has_capability(Cap.DECISIONS_MANAGE),
            "today": timezone.localdate(),
        },
    )


@capability_required(Cap.DECISIONS_MANAGE)
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    rows = list(meeting.attendance.select_related("staff"))
    form = AttendanceForm(request.POST or None, rows=rows)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                meeting=meeting, statuses=form.statuses(), actor=request.user
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            saved = True
            if not request.headers.get("HX-Request"):
                messages.success(request, _("Attendance saved."))
                return redirect("decisions:meeting_detail", pk=pk)
            rows = list(meeting.attendance.select_related("staff"))
            form = AttendanceForm(rows=rows)
    template = (
        "decisions/_attendance.html"
        if request.headers.get("HX-Request")
        else "decisions/attendance.html"
    )
    return render(
        request,
        template,
        {
            "meeting": meeting,
            "attendance_form": form,
            "saved": saved,
            "present": sum(r.is_present for r in rows),
            "can_manage": True,
        },
    )


@capability_required(Cap.DECISIONS_MANAGE)
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_minutes_save(
                meeting=meeting, minutes=form.cleaned_data["minutes"], actor=request.user
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect("decisions:meeting_detail", pk=pk)
    return render(
        request, "decisions/form.html", {"form": form, "title": _("Minutes"), "back": meeting}
    )


# ---------------------------------------------------------------- agenda items


@capability_required(Cap.DECISIONS_MANAGE)
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = AgendaItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = services.agenda_item_create(meeting=meeting, actor=request.user, **data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            if item.auto_classified:
                messages.warning(
                    request,
                    _(
                        "The amount reaches a threshold: the item is classified as %(cat)s (三重一大)."  # noqa: E501
                    )
                    % {"cat": item.get_category_display()},
                )
            return redirect("decisions:meeting_detail", pk=pk)
    return render(
        request,
        "decisions/form.html",
        {"form": form, "title": _("New agenda item"), "back": meeting},
    )


@capability_required(Cap.DECISIONS_MANAGE)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = AgendaItemForm(request.POST or None, instance=item, meeting=item.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(
                item=AgendaItem.objects.get(pk=pk), actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect("decisions:meeting_detail", pk=item.meeting_id)
    return render(
        request,
        "decisions/form.html",
        {"form": form, "title": _("Edit agenda item"), "back": item.meeting},
    )


@capability_required(Cap.DECISIONS_MANAGE)
def item_recusal(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = RecusalForm(request.POST or None, meeting=item.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.recusal_add(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Recusal recorded."))
            return redirect("decisions:meeting_detail", pk=item.meeting_id)
    return render(
        request,
        "decisions/form.html",
        {
            "form": form,
            "title": _("Recusal: %(title)s") % {"title": item.title},
            "back": item.meeting,
        },
    )


@capability_required(Cap.DECISIONS_MANAGE)
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    meeting = item.meeting
    recused = set(item.recusals.values_list("staff_id", flat=True))
    voters = [
        a.staff
        for a in meeting.attendance.select_related("staff")
        if a.is_present and a.staff_id not in recused
    ]
    config = selectors.decision_config()
    form = DecideForm(
        request.POST or None,
        voters=voters,
        default_days=config.resolution_deadline_days,
        initial={"owner_department": item.proposer_department_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_decide(
                item=item,
                votes=form.votes(),
                actor=request.user,
                resolution_text=form.cleaned_data["resolution_text"],
                owner=form.cleaned_data["owner"],
                owner_department=form.cleaned_data["owner_department"],
                deadline_days=form.cleaned_data["deadline_days"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            item.refresh_from_db()
            messages.success(
                request, _("Decision recorded: %(d)s.") % {"d": item.get_decision_display()}
            )
            return redirect("decisions:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "decisions/decide.html",
        {
            "item": item,
            "meeting": meeting,
            "form": form,
            "quorum": services.item_quorum(item, config=config),
        },
    )


def _item_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    item = _item(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        action(item=item, actor=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("decisions:meeting_detail", pk=item.meeting_id)


@require_POST
@capability_required(Cap.DECISIONS_MANAGE)
def item_refer(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request, pk, services.agenda_item_refer, _("Referred to the Party committee.")
    )


@require_POST
@capability_required(Cap.DECISIONS_MANAGE)
def item_defer(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(request, pk, services.agenda_item_defer, _("Item deferred."))


# ---------------------------------------------------------------- resolutions


@capability_required(Cap.DECISIONS_VIEW)
def resolution_list(request: HttpRequest) -> HttpResponse:
    form = ResolutionFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: form.cleaned_data[k] for k in ("q", "state", "kind", "year")}
    qs = selectors.resolution_list(request.user, **filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename="resolutions",
            headers=[
                _("number"),
                _("date"),
                _("meeting"),
                _("agenda item"),
                _("resolution"),
                _("owner"),
                _("owner department"),
                _("deadline"),
                _("state"),
                _("overdue"),
                _("published (院务公开)"),
            ],
            rows=(
                (
                    r.number,
                    r.item.meeting.held_on,
                    r.item.meeting.get_kind_display(),
                    r.item.title,
                    r.text,
                    r.owner.display_name if r.owner else "",
                    str(r.owner_department or ""),
                    r.matter.due_at if r.matter else "",
                    r.matter.state_label if r.matter else "",
                    _("yes") if r.matter and r.matter.overdue else "",
                    _("yes") if r.is_published else "",
                )
                for r in qs.iterator()
            ),
            object_type="decisions.resolution",
        )
    return render(
        request, "decisions/resolution_list.html", {"form": form, "page_obj": _page(request, qs)}
    )


@capability_required(Cap.DECISIONS_VIEW)
def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    qs = selectors.resolution_list(request.user).select_related("item__meeting__chair")
    resolution = get_visible_or_404(qs, pk=pk)
    events = list(resolution.matter.events.select_related("actor")) if resolution.matter else []
    return render(
        request,
        "decisions/resolution_detail.html",
        {
            "resolution": resolution,
            "matter": resolution.matter,
            "events": events,
            "can_manage": request.user.has_capability(Cap.DECISIONS_MANAGE),
        },
    )


@require_POST
@capability_required(Cap.DECISIONS_MANAGE)
def resolution_publish(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_visible_or_404(selectors.resolutions_visible_to(request.user), pk=pk)
    publish = request.POST.get("publish", "1") == "1"
    services.resolution_publish(resolution=resolution, publish=publish, actor=request.user)
    messages.success(
        request, _("Published on the 院务公开 page.") if publish else _("Withdrawn from 院务公开.")
    )
    return redirect("decisions:resolution_detail", pk=pk)


@login_required
def disclosure(request: HttpRequest) -> HttpResponse:
    """院务公开: published resolutions, for every signed-in user."""
    q = request.GET.get("q", "").strip()
    year = request.GET.get("year", "")
    qs = selectors.published_resolutions(q=q, year=int(year) if year.isdigit() else None)
    return render(
        request, "decisions/disclosure.html", {"page_obj": _page(request, qs), "q": q, "year": year}
    )


@capability_required(Cap.DECISIONS_VIEW)
def compliance(request: HttpRequest) -> HttpResponse:
    """三重一大 compliance: every 三重一大 item of a year with its 党委会 decision."""
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    rows = selectors.compliance_rows(year)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=f"sanzhong-yida-{year}",
            headers=[
                _("date"),
                _("meeting"),
                _("agenda item"),
                _("classification"),
                _("amount (yuan)"),
                _("Party committee meeting"),
                _("decision"),
                _("present (counted)"),
                _("entitled"),
                _("Yes"),
                _("No"),
                _("Abstain"),
                _("compliant"),
            ],
            rows=(
                (
                    r.item.meeting.held_on,
                    r.item.meeting.get_kind_display(),
                    r.item.title,
                    r.item.get_category_display(),
                    r.item.amount,
                    r.committee_item.meeting.held_on if r.committee_item else "",
                    r.committee_item.get_decision_display() if r.committee_item else "",
                    r.committee_item.quorum_present if r.committee_item else "",
                    r.committee_item.quorum_entitled if r.committee_item else "",
                    r.yes,
                    r.no,
                    r.abstain,
                    _("yes") if r.compliant else _("no"),
                )
                for r in rows
            ),
            object_type="decisions.compliance",
            sheet_title=str(year),
        )
    return render(
        request,
        "decisions/compliance.html",
        {"rows": rows, "year": year, "compliant": sum(r.compliant for r in rows)},
    )


# ---------------------------------------------------------------- configuration


@capability_required(Cap.DECISIONS_MANAGE)
def office_members(request: HttpRequest) -> HttpResponse:
    """The configurable member list of the 院长办公会."""
    form = OfficeMemberForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            seat = get_object_or_404(OfficeMeetingMember, pk=remove)
            services.office_member_remove(seat=seat, actor=request.user)
            return redirect("decisions:office_members")
        if form.is_valid():
            try:
                services.office_member_add(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                return redirect("decisions:office_members")
    seats = OfficeMeetingMember.objects.filter(is_active=True).select_related("staff__department")
    return render(
        request,
        "decisions/office_members.html",
        {"form": form, "seats": seats, "config": selectors.decision_config()},
    )
