"""Matter pages: my inbox, detail with timeline, the office's board and statistics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hongfan.accounts.roles import Cap
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.loops import forms, selectors, services
from hongfan.loops.models import Matter, MatterEvent
from hongfan.org.models import Department

SUPERVISE_CAPS = (Cap.LOOPS_SUPERVISE, Cap.LOOPS_SUPERVISE_CLINICAL, Cap.LOOPS_INTEGRITY)
MATTER_CAPS = (Cap.SELF_VIEW, *SUPERVISE_CAPS)
INBOX_TABS = ("owned", "originated", "participating", "overdue")


def validation_text(exc: ValidationError) -> str:
    """Return the messages of a ValidationError as one line."""
    return "；".join(str(m) for m in exc.messages)


def _matter(request: HttpRequest, pk: int) -> Matter:
    require(request, *MATTER_CAPS)
    return get_visible_or_404(
        selectors.matters_visible_to(request.user).select_related(
            "type", "owner__staff", "owner_department", "originator__staff"
        ),
        pk=pk,
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    require(request, *MATTER_CAPS)
    tab = request.GET.get("tab", "owned")
    if tab not in INBOX_TABS:
        tab = "owned"
    page = Paginator(selectors.inbox(request.user, tab), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "loops/inbox.html",
        {"tab": tab, "tabs": INBOX_TABS, "page_obj": page, "now": timezone.now()},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    events = (
        MatterEvent.objects.filter(matter=matter)
        .select_related("actor__staff")
        .prefetch_related("evidence")
    )
    for e in events:
        e.matter = matter  # action labels read the type without a query each
    return render(
        request,
        "loops/detail.html",
        {
            "matter": matter,
            "source": matter.source if matter.source_content_type_id else None,
            "events": events,
            "evidence": matter.evidence.select_related("uploaded_by__staff"),
            "transitions": services.allowed_transitions(matter, request.user),
            "can_hand_over": services.can_hand_over(matter, request.user),
            "can_feedback": matter.is_closed
            and matter.originator_id == request.user.pk
            and matter.feedback_rating is None,
            "hand_over_form": forms.HandOverForm(initial={"expected_version": matter.version}),
            "feedback_form": forms.FeedbackForm(),
            "evidence_form": forms.EvidenceForm(),
            "comment_form": forms.CommentForm(),
            "comments": matter.comments.select_related("author__staff"),
            "participants": matter.participants.select_related("staff"),
        },
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Fire a workflow transition, or hand over / give feedback (``action``)."""
    matter = _matter(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "hand_over":
            form = forms.HandOverForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose the new owner."))
            services.matter_hand_over(
                matter=matter,
                actor=request.user,
                new_owner=form.cleaned_data["new_owner"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["expected_version"],
            )
            messages.success(request, _("The matter was handed over."))
        elif action == "feedback":
            fb = forms.FeedbackForm(request.POST)
            if not fb.is_valid():
                raise ValidationError(_("The rating must be between 1 and 5."))
            services.matter_feedback(
                matter=matter,
                actor=request.user,
                text=fb.cleaned_data["text"],
                rating=fb.cleaned_data["rating"],
            )
            messages.success(request, _("Thank you for your feedback."))
        else:
            tf = forms.TransitionForm(request.POST, request.FILES)
            if not tf.is_valid():
                raise ValidationError(_("The form is incomplete. Reload the page and try again."))
            upload = tf.cleaned_data.get("evidence_file")
            services.matter_transition(
                matter=matter,
                action=tf.cleaned_data["action"],
                actor=request.user,
                note=tf.cleaned_data["note"],
                evidence_files=[upload] if upload else [],
                evidence_note=tf.cleaned_data["evidence_note"],
                expected_version=tf.cleaned_data["expected_version"],
            )
            messages.success(request, _("Done."))
    except ValidationError as exc:
        messages.error(request, validation_text(exc))
    return redirect("loops:detail", pk=matter.pk)


@login_required
@require_POST
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    form = forms.EvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_("Add a file or a note."))
        upload = form.cleaned_data.get("file")
        services.evidence_add(
            matter=matter,
            actor=request.user,
            files=[upload] if upload else [],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Evidence added."))
    except ValidationError as exc:
        messages.error(request, validation_text(exc))
    return redirect("loops:detail", pk=matter.pk)


@login_required
@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the comment list (HTMX); POST: add one and return the list."""
    matter = _matter(request, pk)
    form = forms.CommentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.comment_add(matter=matter, author=request.user, body=form.cleaned_data["body"])
            form = forms.CommentForm()
        if not request.headers.get("HX-Request"):
            return redirect("loops:detail", pk=matter.pk)
    return render(
        request,
        "loops/_comments.html",
        {
            "matter": matter,
            "comments": matter.comments.select_related("author__staff"),
            "comment_form": form,
        },
    )


def _board_filters(request: HttpRequest) -> dict[str, Any]:
    keys = ("type", "department", "state", "status", "overdue", "q")
    return {k: request.GET.get(k, "").strip() for k in keys}


@login_required
def board(request: HttpRequest) -> HttpResponse:
    require(request, *SUPERVISE_CAPS)
    now = timezone.now()
    filters = _board_filters(request)
    if filters["department"] and not filters["department"].isdigit():
        filters["department"] = ""
    qs = selectors.board(request.user, filters=filters, now=now)
    types = {t.pk: t for t in selectors.supervised_types(request.user)}
    if request.GET.get("export") == "xlsx":
        return _board_export(request, selectors.board_rows(qs), now)
    counts = selectors.state_counts(
        selectors.board(request.user, filters=filters, now=now, for_counts=True)
    )
    per_state: list[dict[str, Any]] = []
    for row in counts:
        t = types.get(row["type_id"])
        if t is not None:
            per_state.append(
                {
                    "type": t,
                    "state": row["state"],
                    "label": t.state_label(row["state"]),
                    "n": row["n"],
                }
            )
    paginator = Paginator(selectors.board_rows(qs), 50)
    paginator.count = sum(row["n"] for row in counts)  # the same rows: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    for m in page.object_list:
        m.type = types.get(m.type_id, m.type)
    return render(
        request,
        "loops/board.html",
        {
            "page_obj": page,
            "filters": filters,
            "types": list(types.values()),
            "departments": Department.objects.order_by("name").only("pk", "name"),
            "per_state": per_state,
            "now": now,
        },
    )


def _board_export(request: HttpRequest, qs: Any, now: Any) -> HttpResponse:
    rows = (
        (
            m.pk,
            m.type.display_name,
            m.title,
            m.owner_label,
            m.owner_department.name if m.owner_department_id else "",
            m.state_label,
            m.opened_at,
            m.due_at,
            m.closed_at,
            _("Yes") if m.is_overdue(now) else _("No"),
            m.escalation_level,
        )
        for m in qs.iterator(chunk_size=2000)
    )
    return xlsx_response(
        request,
        filename=_("supervision-board"),
        headers=[
            _("No."),
            _("Type"),
            _("Title"),
            _("Owner"),
            _("Owner department"),
            _("State"),
            _("Opened at"),
            _("Deadline"),
            _("Closed at"),
            _("Overdue"),
            _("Escalation level"),
        ],
        rows=rows,
        object_type="loops.matter",
        sheet_title=_("Supervision board"),
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    require(request, *SUPERVISE_CAPS)
    qs = selectors.matters_visible_to(request.user).filter(
        type__in=selectors.supervised_types(request.user)
    )
    data = selectors.statistics(qs)
    dept_chart = {
        "tooltip": {},
        "xAxis": {
            "type": "category",
            "data": [r["department"] or _("None") for r in data["overdue_by_department"]],
        },
        "yAxis": {"type": "value"},
        "series": [
            {
                "type": "bar",
                "name": _("Overdue"),
                "data": [r["n"] for r in data["overdue_by_department"]],
            }
        ],
    }
    type_chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "xAxis": {"type": "category", "data": data["months"]},
        "yAxis": {"type": "value"},
        "series": [
            {
                "type": "bar",
                "stack": "all",
                "name": _(name),
                "data": [per_month.get(m, 0) for m in data["months"]],
            }
            for name, per_month in data["by_type_month"].items()
        ],
    }
    return render(
        request,
        "loops/stats.html",
        {"stats": data, "dept_chart": dept_chart, "type_chart": type_chart},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.LOOPS_SUPERVISE)
    types = selectors.supervised_types(request.user).filter(
        is_active=True, code__in=["generic", "resolution"]
    )
    form = forms.MatterCreateForm(request.POST or None, types=types)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        due_at = None
        if data["due_date"]:
            import datetime as dt

            due_at = timezone.make_aware(
                dt.datetime.combine(data["due_date"], data["type"].due_time)
            )
        try:
            matter = services.matter_open(
                type=data["type"],
                title=data["title"],
                description=data["description"],
                originator=request.user,
                owner=data["owner"],
                owner_department=data["owner_department"]
                or (
                    data["owner"].staff.department
                    if data["owner"] and data["owner"].staff_id
                    else None
                ),
                due_at=due_at,
                deadline_amount=data["deadline_days"] if due_at is None else None,
                participants=list(data["participants"]),
                participant_departments=list(data["participant_departments"]),
            )
        except ValidationError as exc:
            form.add_error(None, validation_text(exc))
        else:
            messages.success(request, _("The matter was opened."))
            return redirect("loops:detail", pk=matter.pk)
    return render(request, "loops/create.html", {"form": form})
