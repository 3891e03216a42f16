"""Pages of patient voice: operator and office pages (login) and the patients' phone pages
(no login, rate limited, ``public_base.html``).

Complaint and wish steps (verify, handle, feedback, match, fulfil) run on the loops detail
page: these pages link to it rather than copying the workflow.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.audit.services import current_context, record_read
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors
from hongfan.loops import services as loops
from hongfan.loops.models import Matter
from hongfan.org.models import Department
from hongfan.voice import forms, rules, selectors, services
from hongfan.voice.models import (
    Contact,
    ContactList,
    Discharge,
    FollowUp,
    Invitation,
    Poster,
    Question,
    ReceptionDay,
    Sample,
    Survey,
    Wish,
)

VIEW = (Cap.VOICE_VIEW,)
MANAGE = (Cap.VOICE_MANAGE,)
OPERATE = (Cap.VOICE_OPERATE, Cap.VOICE_MANAGE)


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, 50).get_page(request.GET.get("page"))


def _year_range(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today - dt.timedelta(days=364)
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return start, max(start, end)


# ---------------------------------------------------------------- public rate limit


def _throttled(request: HttpRequest, bucket: str, limit: int | None = None) -> bool:
    """Count one hit for the client's address in ``bucket``; True when over the limit.

    Uses Django's cache (configure a shared cache such as Redis when running several
    workers): 10-minute windows per IP address; the address itself is not stored.
    """
    limit = limit if limit is not None else rules.public_rate()
    # The address the audit middleware resolved (REMOTE_ADDR, or the reverse proxy's header
    # when HONGFAN_CLIENT_IP_HEADER names one): behind nginx REMOTE_ADDR is the proxy's
    # address, and every patient would share one bucket.
    ip = current_context().source_ip or request.META.get("REMOTE_ADDR", "")
    window = int(timezone.now().timestamp()) // 600
    key = f"voice:rl:{bucket}:{services.query_hash(ip)[:24]}:{window}"
    if cache.add(key, 1, 660):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 660)
        return False
    return count > limit


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "voice/public_limited.html", status=429)


# ---------------------------------------------------------------- contacts (hotline, complaints)


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    keys = ("q", "kind", "cause", "department", "state", "channel")
    f = {k: request.GET.get(k, "").strip() for k in keys}
    start, end = _year_range(request)
    qs = selectors._range(selectors.contacts_visible_to(request.user), start, end)
    if f["q"]:
        qs = qs.filter(Q(number__icontains=f["q"]) | Q(content__icontains=f["q"]))
    if f["kind"] in Contact.Kind.values:
        qs = qs.filter(kind=f["kind"])
    if f["channel"] in Contact.Channel.values:
        qs = qs.filter(channel=f["channel"])
    if f["cause"] in Contact.Cause.values:
        # JSON list of codes; matching the quoted code works on SQLite and PostgreSQL.
        qs = qs.filter(causes__icontains=f'"{f["cause"]}"')
    if f["department"].isdigit():
        qs = qs.filter(departments=int(f["department"]))
    now = timezone.now()
    if f["state"] == "open":
        qs = qs.filter(matter__closed_at__isnull=True, matter__isnull=False)
    elif f["state"] == "overdue":
        qs = qs.filter(matter__closed_at__isnull=True, matter__due_at__lt=now)
    elif f["state"] == "closed":
        qs = qs.filter(Q(matter__closed_at__isnull=False) | Q(matter__isnull=True))
    qs = (
        qs.select_related("matter__type")
        .prefetch_related(Prefetch("departments", queryset=Department.objects.only("pk", "name")))
        .distinct()
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                c.number,
                timezone.localtime(c.received_at),
                c.get_kind_display(),
                c.get_channel_display(),
                c.caller_masked,
                c.phone_masked,
                "、".join(d.name for d in c.departments.all()),
                "、".join(c.cause_labels()),
                c.content,
                c.matter.state_label if c.matter else _("Settled or recorded"),
                timezone.localtime(c.matter.due_at) if c.matter else None,
                c.handling_rating,
            )
            for c in qs
        )
        return xlsx_response(
            request,
            filename=_("Hotline and complaints"),
            headers=[
                _("Number"),
                _("Received at"),
                _("Type"),
                _("Channel"),
                _("Caller"),
                _("Phone"),
                _("Departments"),
                _("Causes"),
                _("Content"),
                _("State"),
                _("Feedback due"),
                _("Satisfaction"),
            ],
            rows=rows,
            object_type="voice.contact",
            sheet_title=_("Contacts"),
        )
    return render(
        request,
        "voice/contact_list.html",
        {
            "page_obj": _page(request, qs),
            "filters": f,
            "start": start,
            "end": end,
            "now": now,
            "kinds": Contact.Kind.choices,
            "causes": Contact.Cause.choices,
            "channels": Contact.Channel.choices,
            "departments": Department.objects.order_by("code").only("pk", "name"),
            "can_operate": request.user.has_capability(Cap.VOICE_OPERATE),
        },
    )


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    require(request, *OPERATE)
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact, code = services.contact_record(
                kind=data["kind"],
                channel=data["channel"],
                content=data["content"],
                received_at=data["received_at"],
                caller_name=data["caller_name"],
                phone=data["phone"],
                causes=data["causes"],
                departments=list(data["departments"]),
                staff=list(data["staff"]),
                recorded_by=request.user,
                settled_on_spot=data["settled_on_spot"],
                on_spot_answer=data["on_spot_answer"],
                consent=data["consent"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Recorded as %(no)s. Tell the caller the query code %(code)s.")
                % {"no": contact.number, "code": code},
            )
            return redirect("voice:contact_detail", pk=contact.pk)
    return render(request, "voice/contact_form.html", {"form": form})


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    contact = get_visible_or_404(
        selectors.contacts_visible_to(request.user).select_related(
            "matter__type", "first_receiver", "recorded_by"
        ),
        pk=pk,
    )
    record_read(contact, user=request.user, what="voice.contact")
    form = forms.InvolvedForm(
        initial={"departments": contact.departments.all(), "staff": contact.staff.all()}
    )
    return render(
        request,
        "voice/contact_detail.html",
        {
            "c": contact,
            "form": form,
            "departments": contact.departments.all(),
            "staff": contact.staff.select_related("department"),
            "can_operate": request.user.has_capability(Cap.VOICE_OPERATE)
            or request.user.has_capability(Cap.VOICE_MANAGE),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def contact_involve(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *OPERATE)
    contact = get_visible_or_404(selectors.contacts_visible_to(request.user), pk=pk)
    form = forms.InvolvedForm(request.POST)
    if form.is_valid():
        try:
            services.contact_set_involved(
                contact=contact,
                departments=list(form.cleaned_data["departments"]),
                staff=list(form.cleaned_data["staff"]),
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The people and departments involved were saved."))
    return redirect("voice:contact_detail", pk=contact.pk)


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    start, end = _year_range(request)
    s = selectors.complaint_stats(start, end, contacts=selectors.contacts_visible_to(request.user))
    chart_month = {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "xAxis": {"type": "category", "data": s["months"]},
        "yAxis": {"type": "value"},
        "series": [
            {
                "type": "bar",
                "stack": "n",
                "name": label,
                "data": [s["by_month"][m].get(k, 0) for m in s["months"]],
            }
            for k, label, _n in s["by_kind"]
        ],
    }
    chart_cause = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": "65%",
                "data": [{"name": label, "value": n} for _c, label, n in s["by_cause"]],
            }
        ],
    }
    return render(
        request,
        "voice/stats.html",
        {
            "s": s,
            "start": start,
            "end": end,
            "chart_month": chart_month,
            "chart_cause": chart_cause,
        },
    )


# ---------------------------------------------------------------- public complaint pages


@never_cache
def public_complaint(request: HttpRequest) -> HttpResponse:
    version = rules.consent_version()
    form = forms.PublicComplaintForm(request.POST or None, consent_version=version)
    if request.method == "POST":
        if _throttled(request, "complaint"):
            return _too_many(request)
        if form.is_valid():
            d = form.cleaned_data
            try:
                contact, code = services.contact_record(
                    kind=d["kind"],
                    channel=Contact.Channel.PHONE_PAGE,
                    content=d["content"],
                    caller_name=d["caller_name"],
                    phone=d["phone"],
                    causes=d["causes"],
                    departments=[d["department"]] if d["department"] else [],
                    consent=d["consent"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return render(
                    request, "voice/public_received.html", {"contact": contact, "code": code}
                )
    return render(request, "voice/public_complaint.html", {"form": form, "version": version})


@never_cache
def public_query(request: HttpRequest) -> HttpResponse:
    form = forms.QueryForm(request.POST or None)
    rate_form = None
    contact = None
    if request.method == "POST":
        if _throttled(request, "query"):
            return _too_many(request)
        if form.is_valid():
            contact = services.contact_by_code(form.cleaned_data["code"])
            if contact is None:
                form.add_error(
                    "code", _("No matter has this query code. Check the code and try again.")
                )
            elif "rating" in request.POST:
                rate_form = forms.RateForm(request.POST)
                if rate_form.is_valid():
                    try:
                        contact = services.contact_rate(
                            contact=contact, rating=rate_form.cleaned_data["rating"]
                        )
                    except ValidationError as exc:
                        rate_form.add_error(None, exc)
                    else:
                        messages.success(request, _("Thank you for your rating."))
    if contact is not None and rate_form is None:
        rate_form = forms.RateForm()
    return render(
        request,
        "voice/public_query.html",
        {
            "form": form,
            "contact": contact,
            "rate_form": rate_form,
            "code": form.cleaned_data.get("code", "") if form.is_bound and form.is_valid() else "",
        },
    )


# ---------------------------------------------------------------- surveys


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "kind", "status")}
    qs = selectors.surveys_visible_to(request.user)
    if f["q"]:
        qs = qs.filter(title__icontains=f["q"])
    if f["kind"] in Survey.Kind.values:
        qs = qs.filter(kind=f["kind"])
    if f["status"] in Survey.Status.values:
        qs = qs.filter(status=f["status"])
    qs = selectors.survey_counts(qs)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Surveys"),
            headers=[_("Title"), _("Type"), _("Status"), _("Questions"), _("Responses")],
            rows=(
                (
                    s.title,
                    s.get_kind_display(),
                    s.get_status_display(),
                    s.n_questions,
                    s.n_responses,
                )
                for s in qs
            ),
            object_type="voice.survey",
            sheet_title=_("Surveys"),
        )
    return render(
        request,
        "voice/survey_list.html",
        {
            "page_obj": _page(request, qs),
            "filters": f,
            "kinds": Survey.Kind.choices,
            "statuses": Survey.Status.choices,
            "can_manage": request.user.has_capability(Cap.VOICE_MANAGE),
        },
    )


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    require(request, *MANAGE)
    form = forms.SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The survey was created as a draft."))
            return redirect("voice:survey_detail", pk=survey.pk)
    return render(request, "voice/survey_form.html", {"form": form})


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    survey = get_visible_or_404(selectors.surveys_visible_to(request.user), pk=pk)
    return render(
        request,
        "voice/survey_detail.html",
        {
            "survey": survey,
            "questions": survey.questions.all(),
            "posters": survey.posters.select_related("department"),
            "lists": survey.contact_lists.all(),
            "n_responses": selectors.response_count(survey),
            "question_form": forms.QuestionForm(),
            "poster_form": forms.PosterForm(),
            "can_manage": request.user.has_capability(Cap.VOICE_MANAGE),
            "statuses": Survey.Status.choices,
        },
    )


def _survey_for_manage(request: HttpRequest, pk: int) -> Survey:
    require(request, *MANAGE)
    return get_visible_or_404(selectors.surveys_visible_to(request.user), pk=pk)


@login_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for_manage(request, pk)
    form = forms.QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The question was added."))
    else:
        messages.error(request, _("Write the question and choose its scale and dimension."))
    return redirect("voice:survey_detail", pk=survey.pk)


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey_for_manage(request, pk)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        services.question_delete(question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The question was removed."))
    return redirect("voice:survey_detail", pk=survey.pk)


@login_required
@require_POST
def survey_status(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for_manage(request, pk)
    try:
        services.survey_set_status(survey=survey, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The survey status was changed."))
    return redirect("voice:survey_detail", pk=survey.pk)


@login_required
@require_POST
def poster_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for_manage(request, pk)
    form = forms.PosterForm(request.POST)
    if form.is_valid():
        services.poster_create(survey=survey, **form.cleaned_data)
        messages.success(request, _("The poster was created: print it and put it up."))
    else:
        messages.error(request, _("Choose the department of the poster."))
    return redirect("voice:survey_detail", pk=survey.pk)


def _public_url(request: HttpRequest, name: str, arg: str) -> str:
    return request.build_absolute_uri(reverse(name, args=[arg]))


@login_required
def poster_print(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    poster = get_object_or_404(
        Poster.objects.select_related("survey", "department"),
        pk=pk,
        survey__in=selectors.surveys_visible_to(request.user),
    )
    url = _public_url(request, "voice:public_survey", poster.code)
    qr = segno.make(url, error="m")
    return render(
        request,
        "voice/poster_print.html",
        {
            "poster": poster,
            "url": url,
            "qr_svg": qr.svg_inline(scale=8, dark="#8b0000"),
        },
    )


@login_required
def contact_list_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for_manage(request, pk)
    form = forms.ContactListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cl = services.contact_list_create(
                survey=survey, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The list was saved with personal survey links."))
            return redirect("voice:contact_list_links", pk=cl.pk)
    return render(request, "voice/contact_list_form.html", {"form": form, "survey": survey})


@login_required
def contact_list_links(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *MANAGE)
    cl = get_object_or_404(ContactList.objects.select_related("survey"), pk=pk)
    invitations = cl.invitations.select_related("department").order_by("pk")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=cl.name,
            headers=[_("Name"), _("Phone"), _("Department"), _("Personal link"), _("Responded")],
            rows=(
                (
                    i.name_masked,
                    i.phone_masked,
                    i.department.name if i.department else "",
                    _public_url(request, "voice:public_invite", i.token),
                    _("Yes") if i.responded_at else _("No"),
                )
                for i in invitations
            ),
            object_type="voice.invitation",
            sheet_title=_("Links"),
        )
    return render(
        request,
        "voice/contact_list_links.html",
        {
            "cl": cl,
            "page_obj": _page(request, invitations),
        },
    )


@login_required
def scores(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    start, end = _year_range(request)
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in Survey.Kind.values else None
    dept_ids = selectors.department_ids_for_scores(request.user)
    summary = (
        selectors.satisfaction_summary(start, end, survey_kinds=kinds) if dept_ids is None else None
    )
    table = selectors.satisfaction_table(start, end, department_ids=dept_ids, survey_kinds=kinds)
    dept = request.GET.get("department", "")
    dept_id = int(dept) if dept.isdigit() and (dept_ids is None or int(dept) in dept_ids) else None
    if dept_ids is not None and dept_id is None and dept_ids:
        dept_id = sorted(dept_ids)[0]
    trend = (
        selectors.satisfaction_trend(start, end, department_id=dept_id)
        if (dept_ids is None or dept_id)
        else []
    )
    chart = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [t["quarter"] for t in trend]},
        "yAxis": {"type": "value", "min": 0, "max": 100},
        "series": [
            {
                "type": "line",
                "name": _("Top-box %"),
                "connectNulls": False,
                "data": [t["top_box"] for t in trend],
            }
        ],
    }
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Satisfaction by department"),
            headers=[
                _("Department"),
                _("Responses"),
                _("Top-box %"),
                _("95% CI low"),
                _("95% CI high"),
                _("Mean (0–100)"),
            ],
            rows=(
                (r["department"], r["n"], r["top_box"], r["ci_low"], r["ci_high"], r["mean"])
                for r in table
            ),
            object_type="voice.scores",
            sheet_title=_("Satisfaction"),
        )
    return render(
        request,
        "voice/scores.html",
        {
            "summary": summary,
            "table": table,
            "trend": trend,
            "chart": chart,
            "start": start,
            "end": end,
            "kind": kind,
            "kinds": Survey.Kind.choices,
            "department": dept_id,
            "departments": Department.objects.order_by("code").only("pk", "name")
            if dept_ids is None
            else Department.objects.filter(pk__in=dept_ids),
            "min_hospital": rules.min_n_hospital(),
            "min_department": rules.min_n_department(),
        },
    )


# ---------------------------------------------------------------- public survey pages


def _survey_page(
    request: HttpRequest,
    survey: Survey,
    *,
    channel: str,
    department: Any,
    poster: Poster | None = None,
    invitation: Invitation | None = None,
) -> HttpResponse:
    if survey.status != Survey.Status.OPEN:
        return render(request, "voice/public_survey_closed.html", {"survey": survey}, status=410)
    questions = selectors.survey_questions(survey)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    token = invitation.token if invitation else request.POST.get("token") or services.form_token()
    if request.method == "POST":
        if _throttled(request, "survey", limit=rules.survey_rate()):
            return _too_many(request)
        try:
            if invitation is None:
                services.check_form_token(token)
            services.response_submit(
                survey=survey,
                token=token,
                answers=request.POST,
                channel=channel,
                questions=questions,
                department=department,
                poster=poster,
                invitation=invitation,
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as exc:
            if getattr(exc, "code", "") == "duplicate" or (
                hasattr(exc, "error_list") and any(e.code == "duplicate" for e in exc.error_list)
            ):
                return _thanks(again=True)
            if hasattr(exc, "error_dict"):
                errors = {
                    k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()
                }
            else:
                general = exc.messages
        else:
            return _thanks()
    # Labels and checked states are worked out here rather than in the template: with eight
    # questions of five to eleven choices the template's per-choice logic was most of the
    # page's CPU (docs/performance.md).
    likert = {
        1: _("Very dissatisfied"),
        2: _("Dissatisfied"),
        3: _("Neutral"),
        4: _("Satisfied"),
        5: _("Very satisfied"),
    }
    rows = []
    for q in questions:
        name = f"q{q.pk}"
        given = request.POST.get(name, "")
        labels = likert if q.scale == Question.Scale.LIKERT5 else {}
        rows.append(
            {
                "q": q,
                "name": name,
                "errors": errors.get(name, []),
                "options": [
                    {"value": v, "label": labels.get(v, v), "checked": given == str(v)}
                    for v in q.choices()
                ],
            }
        )
    return render(
        request,
        "voice/public_survey.html",
        {
            "survey": survey,
            "rows": rows,
            "token": token,
            "general": general,
            "comment": request.POST.get("comment", ""),
            "department": poster.department
            if poster
            else (invitation.department if invitation else None),
        },
    )


@functools.cache
def _thanks_page(language: str, again: bool) -> str:
    return render_to_string("voice/public_thanks.html", {"again": again})


def _thanks(*, again: bool = False) -> HttpResponse:
    """The thank-you page: the same for everyone, rendered once per language and process."""
    return HttpResponse(_thanks_page(get_language(), again))


@never_cache
def public_survey(request: HttpRequest, code: str) -> HttpResponse:
    poster = selectors.poster_for_form(code)
    if poster is None:
        raise Http404
    return _survey_page(
        request, poster.survey, channel="poster", department=poster.department_id, poster=poster
    )


@never_cache
def public_invite(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("survey", "department").filter(token=token).first()
    )
    if invitation is None:
        raise Http404
    if invitation.responded_at is not None:
        return _thanks(again=True)
    return _survey_page(
        request,
        invitation.survey,
        channel="invitation",
        department=invitation.department_id,
        invitation=invitation,
    )


# ---------------------------------------------------------------- discharge follow-up


@login_required
def discharge_list(request: HttpRequest) -> HttpResponse:
    require(request, *OPERATE)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "department", "month")}
    qs = Discharge.objects.select_related("department")
    if f["q"]:
        qs = qs.filter(inpatient_no__icontains=f["q"])
    if f["department"].isdigit():
        qs = qs.filter(department_id=int(f["department"]))
    if f["month"]:
        try:
            y, m = (int(x) for x in f["month"].split("-"))
            qs = qs.filter(discharged_on__year=y, discharged_on__month=m)
        except ValueError:
            pass
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Discharge list"),
            headers=[
                _("Inpatient number"),
                _("Department"),
                _("Name"),
                _("Phone"),
                _("Discharged on"),
                _("Died in hospital"),
                _("Declined follow-up"),
            ],
            rows=(
                (
                    d.inpatient_no,
                    d.department.name,
                    d.name_masked,
                    d.phone_masked,
                    d.discharged_on,
                    _("Yes") if d.deceased else _("No"),
                    _("Yes") if d.opted_out else _("No"),
                )
                for d in qs
            ),
            object_type="voice.discharge",
            sheet_title=_("Discharges"),
        )
    return render(
        request,
        "voice/discharge_list.html",
        {
            "page_obj": _page(request, qs),
            "filters": f,
            "departments": Department.objects.order_by("code").only("pk", "name"),
            "can_import": request.user.has_capability(Cap.VOICE_MANAGE),
        },
    )


@login_required
def sample_list(request: HttpRequest) -> HttpResponse:
    require(request, *OPERATE)
    today = timezone.localdate()
    form = forms.SampleForm(
        request.POST or None, initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    )
    if request.method == "POST":
        require(request, *MANAGE)
        if form.is_valid():
            try:
                sample = services.sample_draw(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(n)d of %(e)d eligible patients were drawn for follow-up.")
                    % {"n": sample.drawn, "e": sample.eligible},
                )
                return redirect("voice:samples")
    samples = Sample.objects.select_related("survey", "drawn_by")
    return render(
        request,
        "voice/sample_list.html",
        {
            "form": form,
            "page_obj": _page(request, samples),
            "can_manage": request.user.has_capability(Cap.VOICE_MANAGE),
            "exclusion_labels": {
                "minor": _("Under 18"),
                "deceased": _("Died"),
                "opted_out": _("Opted out"),
                "too_recent": _("Less than 48 hours"),
                "too_old": _("More than 6 weeks"),
                "sampled": _("Sampled before"),
            },
        },
    )


@login_required
def workstation(request: HttpRequest) -> HttpResponse:
    require(request, *OPERATE)
    tab = request.GET.get("tab", "todo")
    qs = selectors.followups_visible_to(request.user).select_related(
        "discharge__department", "sample", "operator"
    )
    if tab == "done":
        qs = qs.exclude(status__in=FollowUp.OPEN_STATUSES).order_by("-last_called_at")
    else:
        tab = "todo"
        qs = qs.filter(status__in=FollowUp.OPEN_STATUSES).order_by(
            "callback_at", "discharge__discharged_on", "pk"
        )
    hi = rules.window_days()[1]
    return render(
        request,
        "voice/workstation.html",
        {
            "page_obj": _page(request, qs),
            "tab": tab,
            "today": timezone.localdate(),
            "window_max": hi,
        },
    )


@login_required
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *OPERATE)
    fu = get_visible_or_404(
        selectors.followups_visible_to(request.user).select_related(
            "discharge__department", "sample__survey", "response"
        ),
        pk=pk,
    )
    survey = fu.sample.survey
    questions = list(survey.questions.all())
    form = forms.FollowUpForm(request.POST or None)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.followup_record(
                followup=fu,
                outcome=d["outcome"],
                actor=request.user,
                answers=request.POST,
                callback_at=d["callback_at"],
                note=d["note"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for k, v in exc.error_dict.items():
                    if k in form.fields:
                        form.add_error(k, v)
                    else:
                        errors[k] = [m for e in v for m in e.messages]
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The call was recorded."))
            return redirect("voice:workstation")
    record_read(fu.discharge, user=request.user, what="voice.followup")
    due = fu.discharge.discharged_on + dt.timedelta(days=rules.window_days()[1])
    # Labels and checked states are worked out here rather than in the template: with eight
    # questions of five to eleven choices the template's per-choice logic was most of the
    # page's CPU (docs/performance.md).
    likert = {
        1: _("Very dissatisfied"),
        2: _("Dissatisfied"),
        3: _("Neutral"),
        4: _("Satisfied"),
        5: _("Very satisfied"),
    }
    rows = []
    for q in questions:
        name = f"q{q.pk}"
        given = request.POST.get(name, "")
        labels = likert if q.scale == Question.Scale.LIKERT5 else {}
        rows.append(
            {
                "q": q,
                "name": name,
                "errors": errors.get(name, []),
                "options": [
                    {"value": v, "label": labels.get(v, v), "checked": given == str(v)}
                    for v in q.choices()
                ],
            }
        )
    return render(
        request,
        "voice/followup_detail.html",
        {
            "fu": fu,
            "form": form,
            "rows": rows,
            "due": due,
            "survey": survey,
        },
    )


@login_required
@require_POST
def followup_dial(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the operator's phone the number to dial (audited; never rendered on a page)."""
    require(request, Cap.VOICE_OPERATE)
    fu = get_visible_or_404(
        selectors.followups_visible_to(request.user).select_related("discharge"), pk=pk
    )
    record_read(fu.discharge, user=request.user, what="voice.followup.dial")
    phone = fu.discharge.phone
    if not phone:
        messages.error(request, _("No phone number is on file for this patient."))
        return redirect("voice:followup", pk=fu.pk)
    response = HttpResponse(status=302)
    response["Location"] = f"tel:{phone}"
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- reception days


@login_required
def reception_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "kind", "status")}
    qs = selectors.receptions_visible_to(request.user)
    if f["q"]:
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(hosts__icontains=f["q"]))
    if f["kind"] in ReceptionDay.Kind.values:
        qs = qs.filter(kind=f["kind"])
    if f["status"] in ReceptionDay.Status.values:
        qs = qs.filter(status=f["status"])
    qs = qs.annotate(
        n_reg=Count("registrations", distinct=True), n_issues=Count("issues", distinct=True)
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Reception days"),
            headers=[
                _("Time"),
                _("Type"),
                _("Title"),
                _("Place"),
                _("Hosts"),
                _("Registrations"),
                _("Issues raised"),
                _("Status"),
            ],
            rows=(
                (
                    timezone.localtime(r.starts_at),
                    r.get_kind_display(),
                    r.title,
                    r.location,
                    r.hosts,
                    r.n_reg,
                    r.n_issues,
                    r.get_status_display(),
                )
                for r in qs
            ),
            object_type="voice.reception",
            sheet_title=_("Reception days"),
        )
    return render(
        request,
        "voice/reception_list.html",
        {
            "page_obj": _page(request, qs),
            "filters": f,
            "kinds": ReceptionDay.Kind.choices,
            "statuses": ReceptionDay.Status.choices,
            "can_manage": request.user.has_capability(Cap.VOICE_MANAGE),
        },
    )


@login_required
def reception_create(request: HttpRequest) -> HttpResponse:
    require(request, *MANAGE)
    form = forms.ReceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day = services.reception_save(**form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The session was scheduled."))
            return redirect("voice:reception_detail", pk=day.pk)
    return render(request, "voice/reception_form.html", {"form": form})


@login_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    day = get_visible_or_404(selectors.receptions_visible_to(request.user), pk=pk)
    can_manage = request.user.has_capability(Cap.VOICE_MANAGE)
    reg_form = forms.RegistrationForm(prefix="reg")
    issue_form = forms.IssueForm(prefix="issue")
    close_form = forms.CloseForm(prefix="close")
    if request.method == "POST":
        require(request, *MANAGE)
        action = request.POST.get("action")
        try:
            if action == "register":
                reg_form = forms.RegistrationForm(request.POST, prefix="reg")
                if reg_form.is_valid():
                    services.registration_add(day=day, **reg_form.cleaned_data)
                    messages.success(request, _("The registration was added."))
                    return redirect("voice:reception_detail", pk=day.pk)
            elif action == "issue":
                issue_form = forms.IssueForm(request.POST, prefix="issue")
                if issue_form.is_valid():
                    services.issue_raise(day=day, actor=request.user, **issue_form.cleaned_data)
                    messages.success(
                        request,
                        _("The issue was recorded and handed to the department as a matter."),
                    )
                    return redirect("voice:reception_detail", pk=day.pk)
            elif action == "close":
                close_form = forms.CloseForm(request.POST, prefix="close")
                if close_form.is_valid():
                    ids = [int(x) for x in request.POST.getlist("attended") if x.isdigit()]
                    services.reception_close(day=day, attended_ids=ids, **close_form.cleaned_data)
                    messages.success(request, _("The session was recorded as held."))
                    return redirect("voice:reception_detail", pk=day.pk)
        except ValidationError as exc:
            target = {"register": reg_form, "issue": issue_form, "close": close_form}.get(
                action or ""
            )
            if target is not None:
                apply_service_errors(target, exc)
    return render(
        request,
        "voice/reception_detail.html",
        {
            "day": day,
            "registrations": day.registrations.all(),
            "issues": day.issues.select_related("department", "matter__type"),
            "reg_form": reg_form,
            "issue_form": issue_form,
            "close_form": close_form,
            "can_manage": can_manage,
        },
    )


# ---------------------------------------------------------------- wishes


@login_required
def wish_list(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "origin", "state", "department")}
    qs = selectors.wishes_visible_to(request.user).select_related(
        "department", "responsible", "matter__type"
    )
    if f["q"]:
        qs = qs.filter(Q(number__icontains=f["q"]) | Q(text__icontains=f["q"]))
    if f["origin"] in Wish.Origin.values:
        qs = qs.filter(origin=f["origin"])
    if f["department"].isdigit():
        qs = qs.filter(department_id=int(f["department"]))
    if f["state"] == "open":
        qs = qs.filter(matter__closed_at__isnull=True)
    elif f["state"] == "fulfilled":
        qs = qs.filter(fulfilled_at__isnull=False)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Wish tree"),
            headers=[
                _("Number"),
                _("Made on"),
                _("From"),
                _("Name"),
                _("Phone"),
                _("Department"),
                _("Wish"),
                _("Responsible person"),
                _("State"),
                _("How it was fulfilled"),
            ],
            rows=(
                (
                    w.number,
                    timezone.localtime(w.created_at),
                    w.get_origin_display(),
                    w.wisher_masked,
                    w.phone_masked,
                    w.department.name if w.department else "",
                    w.text,
                    w.responsible.name if w.responsible else "",
                    w.matter.state_label if w.matter else "",
                    w.story,
                )
                for w in selectors.fulfilment_stories(list(qs))
            ),
            object_type="voice.wish",
            sheet_title=_("Wishes"),
        )
    return render(
        request,
        "voice/wish_list.html",
        {
            "page_obj": _page(request, qs),
            "filters": f,
            "origins": Wish.Origin.choices,
            "departments": Department.objects.order_by("code").only("pk", "name"),
        },
    )


@login_required
def wish_create(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    version = rules.consent_version()
    form = forms.WishStaffForm(request.POST or None, consent_version=version)
    if request.method == "POST" and form.is_valid():
        try:
            wish, _code = services.wish_submit(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The wish %(no)s is on the tree.") % {"no": wish.number})
            return redirect("voice:wish_detail", pk=wish.pk)
    return render(request, "voice/wish_form.html", {"form": form})


@login_required
def wish_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    wish = get_visible_or_404(
        selectors.wishes_visible_to(request.user).select_related(
            "department", "responsible", "matter__type"
        ),
        pk=pk,
    )
    record_read(wish, user=request.user, what="voice.wish")
    selectors.fulfilment_stories([wish])
    form = forms.MatchForm(request.POST or None)
    can_match = bool(
        wish.matter
        and wish.matter.state == "collected"
        and any(
            t["action"] == "match" for t in loops.allowed_transitions(wish.matter, request.user)
        )
    )
    if request.method == "POST":
        if not can_match:
            raise Http404
        if form.is_valid():
            try:
                services.wish_match(wish=wish, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The wish was matched to a responsible person."))
                return redirect("voice:wish_detail", pk=wish.pk)
    return render(
        request, "voice/wish_detail.html", {"wish": wish, "form": form, "can_match": can_match}
    )


@never_cache
def public_wish(request: HttpRequest) -> HttpResponse:
    version = rules.consent_version()
    form = forms.WishForm(request.POST or None, consent_version=version)
    if request.method == "POST":
        if _throttled(request, "wish"):
            return _too_many(request)
        if form.is_valid():
            try:
                wish, code = services.wish_submit(origin=Wish.Origin.PATIENT, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return render(
                    request, "voice/public_wish_received.html", {"wish": wish, "code": code}
                )
    return render(request, "voice/public_wish.html", {"form": form})


def wish_wall(request: HttpRequest) -> HttpResponse:
    """The anonymised wall of fulfilled wishes (public)."""
    qs = (
        Wish.objects.filter(fulfilled_at__isnull=False)
        .select_related("department")
        .only("text", "feedback", "fulfilled_at", "department__name", "origin", "matter_id")
        .order_by("-fulfilled_at")
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    selectors.fulfilment_stories(list(page.object_list))
    return render(request, "voice/wish_wall.html", {"page_obj": page})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The patient voice home: today's figures and the way into each part."""
    require(request, *VIEW)
    now = timezone.now()
    contacts = selectors.contacts_visible_to(request.user)
    open_matters = Matter.objects.filter(
        pk__in=contacts.exclude(matter=None).values("matter_id"), closed_at__isnull=True
    )
    today = timezone.localdate()
    return render(
        request,
        "voice/index.html",
        {
            "open": open_matters.count(),
            "overdue": open_matters.filter(due_at__lt=now).count(),
            "today": selectors._range(contacts, today, today).count(),
            "followups": selectors.followups_visible_to(request.user)
            .filter(status__in=FollowUp.OPEN_STATUSES)
            .count(),
            "wishes_open": selectors.wishes_visible_to(request.user)
            .filter(matter__closed_at__isnull=True)
            .count(),
            "upcoming": ReceptionDay.objects.filter(
                starts_at__gte=now, status=ReceptionDay.Status.PLANNED
            ).order_by("starts_at")[:5],
            "can_operate": request.user.has_capability(Cap.VOICE_OPERATE),
        },
    )
