"""Integrity pages: the office's dashboard and registers, staff self-service, public reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.audit.middleware import untraced
from hongfan.core.access import get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors
from hongfan.core.masking import mask_name
from hongfan.integrity import forms, selectors, services
from hongfan.integrity.models import (
    Category,
    CodeAcknowledgement,
    CodeDocument,
    EducationMaterial,
    EducationSession,
    EnvelopeEntry,
    FamilyEvent,
    KeyDate,
    LetterTemplate,
    ReminderCampaign,
    ReminderReceipt,
    Report,
    RiskPoint,
    SelfCheck,
    SelfCheckCampaign,
    Signature,
    SigningCampaign,
)

MANAGE = (Cap.INTEGRITY_MANAGE,)
VIEW = (Cap.INTEGRITY_MANAGE, Cap.INTEGRITY_VIEW)


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, 50).get_page(request.GET.get("page"))


def _form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    success: str,
    back: str,
    template: str = "integrity/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate ``form``, call ``save(cleaned_data)`` (a service), redirect to its result."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(target)
    return render(request, template, {"form": form, "title": title, "back": back, **(extra or {})})


# ------------------------------------------------------------------ dashboard and my page


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    year = timezone.localdate().year
    today = timezone.localdate()
    sig = Signature.objects.filter(campaign__year=year).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(signed_at__isnull=False))
    )
    risk = RiskPoint.objects.filter(is_active=True).aggregate(
        total=Count("pk"),
        high=Count("pk", filter=Q(level=RiskPoint.Level.HIGH)),
        due=Count("pk", filter=Q(next_review_on__lt=today)),
    )
    reminders = list(ReminderCampaign.objects.select_related("key_date")[:5])
    read = {
        r["campaign_id"]: r
        for r in ReminderReceipt.objects.filter(campaign__in=reminders)
        .values("campaign_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(read_at__isnull=False)))
    }
    for c in reminders:
        r = read.get(c.pk, {"total": 0, "done": 0})
        c.rate = round(100 * r["done"] / r["total"], 1) if r["total"] else None
    env = EnvelopeEntry.objects.filter(occurred_on__year=year).aggregate(
        n=Count("pk"), pending=Count("pk", filter=Q(status=EnvelopeEntry.Status.SUBMITTED))
    )
    talks = FamilyEvent.objects.filter(
        talk_at__isnull=True, matter__due_at__lt=timezone.now()
    ).count()
    sessions = EducationSession.objects.filter(held_on__year=year).count()
    reports = None
    if request.user.has_capability(Cap.LOOPS_INTEGRITY):
        reports = Report.objects.filter(matter__closed_at__isnull=True).count()
    return render(
        request,
        "integrity/dashboard.html",
        {
            "year": year,
            "sig": sig,
            "sig_rate": round(100 * sig["done"] / sig["total"], 1) if sig["total"] else None,
            "risk": risk,
            "reminders": reminders,
            "env": env,
            "talks_overdue": talks,
            "sessions": sessions,
            "open_reports": reports,
        },
    )


@login_required
def my_integrity(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    staff_id = request.user.scope.staff_id or -1
    today = timezone.localdate()
    done_checks = SelfCheck.objects.filter(staff_id=staff_id).values("campaign_id")
    acked = CodeAcknowledgement.objects.filter(staff_id=staff_id).values("document_id")
    return render(
        request,
        "integrity/my.html",
        {
            "signatures": Signature.objects.filter(staff_id=staff_id)
            .select_related("campaign__template")
            .order_by("-campaign__year")[:20],
            "letters": ReminderReceipt.objects.filter(user=request.user)
            .select_related("campaign")
            .order_by("-campaign__festival_on")[:10],
            "selfchecks": SelfCheckCampaign.objects.filter(
                opens_on__lte=today, closes_on__gte=today
            ).exclude(pk__in=done_checks),
            "documents": CodeDocument.objects.filter(requires_acknowledgement=True).exclude(
                pk__in=acked
            ),
            "envelopes": EnvelopeEntry.objects.filter(staff_id=staff_id)[:10],
            "events": FamilyEvent.objects.filter(staff_id=staff_id)[:10],
            "my_reports": services.reports_of_reporter(request.user)[:10],
        },
    )


# ------------------------------------------------------------------ letters


@login_required
def letters(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    campaigns = (
        SigningCampaign.objects.select_related("template")
        .annotate(
            total=Count("signatures"),
            done=Count("signatures", filter=Q(signatures__signed_at__isnull=False)),
        )
        .order_by("-year", "-pk")
    )
    return render(
        request,
        "integrity/letters.html",
        {
            "page_obj": _page(request, campaigns),
            "templates": LetterTemplate.objects.all(),
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
        },
    )


@login_required
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, *MANAGE)
    obj = get_object_or_404(LetterTemplate, pk=pk) if pk else None
    form = forms.LetterTemplateForm(request.POST or None, instance=obj)

    def save(data: dict[str, Any]) -> str:
        services.letter_template_save(template=obj, actor=request.user, **data)
        return "integrity:letters"

    return _form_page(
        request,
        form,
        save,
        title=_("Letter template"),
        success=_("The template was saved."),
        back="integrity:letters",
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    require(request, *MANAGE)
    form = forms.CampaignForm(request.POST or None, initial={"year": timezone.localdate().year})

    def save(data: dict[str, Any]) -> Any:
        c = services.signing_campaign_launch(actor=request.user, **data)
        return redirect("integrity:campaign_detail", pk=c.pk).url

    return _form_page(
        request,
        form,
        save,
        title=_("Launch a signing campaign"),
        success=_("The campaign was launched; everyone to sign was notified."),
        back="integrity:letters",
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    campaign = get_object_or_404(SigningCampaign.objects.select_related("template"), pk=pk)
    rows = Signature.objects.filter(campaign=campaign)
    by_dept = selectors.completion_by_department(rows, Q(signed_at__isnull=False))
    qs = rows.select_related("staff", "department")
    status = request.GET.get("status", "")
    if status == "signed":
        qs = qs.filter(signed_at__isnull=False)
    elif status == "pending":
        qs = qs.filter(signed_at__isnull=True)
    if request.GET.get("q"):
        qs = qs.filter(staff__name__icontains=request.GET["q"].strip())
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=campaign.title,
            headers=[_("Department"), _("Name"), _("Typed name"), _("Signed at")],
            rows=(
                (
                    s.department.name,
                    s.staff.name,
                    s.typed_name,
                    timezone.localtime(s.signed_at).strftime("%Y-%m-%d %H:%M")
                    if s.signed_at
                    else "",
                )
                for s in qs
            ),
            object_type="integrity.signingcampaign",
        )
    return render(
        request,
        "integrity/campaign_detail.html",
        {
            "campaign": campaign,
            "by_dept": by_dept,
            "totals": selectors.totals(by_dept),
            "page_obj": _page(request, qs),
            "status": status,
            "q": request.GET.get("q", ""),
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
        },
    )


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *MANAGE)
    campaign = get_object_or_404(SigningCampaign, pk=pk)
    services.signing_campaign_close(campaign=campaign, actor=request.user)
    messages.success(request, _("The campaign was closed."))
    return redirect("integrity:campaign_detail", pk=pk)


@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    signature = get_visible_or_404(
        Signature.objects.filter(staff_id=request.user.scope.staff_id or -1).select_related(
            "campaign__template", "staff"
        ),
        pk=pk,
    )
    form = forms.SignForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.signature_sign(
            signature=signature, actor=request.user, typed_name=data["typed_name"]
        )
        return "integrity:my"

    return _form_page(
        request,
        form,
        save,
        title=signature.campaign.title,
        success=_("Signed. Thank you."),
        back="integrity:my",
        template="integrity/sign.html",
        extra={"signature": signature},
    )


# ------------------------------------------------------------------ risk register


@login_required
def risks(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    qs = (
        RiskPoint.objects.select_related("department")
        .annotate(
            n_indicators=Count("indicators", distinct=True),
            n_warnings=Count("indicators__warnings", distinct=True),
        )
        .order_by("code")
    )
    f = {k: request.GET.get(k, "").strip() for k in ("q", "area", "level", "due")}
    if f["q"]:
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(code__icontains=f["q"]))
    if f["area"]:
        qs = qs.filter(area=f["area"])
    if f["level"]:
        qs = qs.filter(level=f["level"])
    if f["due"]:
        qs = qs.filter(next_review_on__lt=timezone.localdate(), is_active=True)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Risk register"),
            headers=[
                _("Code"),
                _("Post area"),
                _("Risk point"),
                _("Department"),
                _("Risk level"),
                _("Controls"),
                _("Next review"),
            ],
            rows=(
                (
                    p.code,
                    p.get_area_display(),
                    p.title,
                    p.department.name,
                    p.get_level_display(),
                    p.controls,
                    p.next_review_on,
                )
                for p in qs
            ),
            object_type="integrity.riskpoint",
        )
    return render(
        request,
        "integrity/risks.html",
        {
            "page_obj": _page(request, qs),
            "filters": f,
            "areas": RiskPoint.Area.choices,
            "levels": RiskPoint.Level.choices,
            "today": timezone.localdate(),
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
        },
    )


@login_required
def risk_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, *MANAGE)
    obj = get_object_or_404(RiskPoint, pk=pk) if pk else None
    form = forms.RiskPointForm(request.POST or None, instance=obj)

    def save(data: dict[str, Any]) -> Any:
        data = dict(data)
        responsible = data.pop("responsible")
        p = services.risk_point_save(point=obj, actor=request.user, responsible=responsible, **data)
        return redirect("integrity:risk_detail", pk=p.pk).url

    return _form_page(
        request,
        form,
        save,
        title=_("Risk point"),
        success=_("The risk point was saved."),
        back="integrity:risks",
    )


@login_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    point = get_object_or_404(RiskPoint.objects.select_related("department"), pk=pk)
    can_manage = request.user.has_capability(Cap.INTEGRITY_MANAGE)
    review_form = forms.RiskReviewForm(
        request.POST if request.POST.get("form") == "review" else None,
        initial={"reviewed_on": timezone.localdate(), "level_after": point.level},
    )
    indicator_form = forms.RiskIndicatorForm(
        request.POST if request.POST.get("form") == "indicator" else None
    )
    if request.method == "POST":
        require(request, *MANAGE)
        form = review_form if request.POST.get("form") == "review" else indicator_form
        if form.is_valid():
            try:
                if form is review_form:
                    services.risk_review_record(
                        point=point, actor=request.user, **form.cleaned_data
                    )
                else:
                    services.risk_indicator_add(
                        point=point, actor=request.user, **form.cleaned_data
                    )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("integrity:risk_detail", pk=pk)
    return render(
        request,
        "integrity/risk_detail.html",
        {
            "point": point,
            "responsible": point.responsible.select_related("department"),
            "indicators": point.indicators.prefetch_related("warnings"),
            "reviews": point.reviews.select_related("reviewer"),
            "review_form": review_form,
            "indicator_form": indicator_form,
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
    )


# ------------------------------------------------------------------ reminders


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    today = timezone.localdate()
    keys = list(KeyDate.objects.all())
    for k in keys:
        upcoming = [d for d in services.key_date_occurrences(k, today) if d >= today]
        k.next_on = upcoming[0] if upcoming else None
    campaigns = (
        ReminderCampaign.objects.select_related("key_date")
        .annotate(read=Count("receipts", filter=Q(receipts__read_at__isnull=False)))
        .order_by("-festival_on", "-pk")
    )
    return render(
        request,
        "integrity/reminders.html",
        {
            "keys": keys,
            "page_obj": _page(request, campaigns),
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
        },
    )


@login_required
def keydate_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, *MANAGE)
    obj = get_object_or_404(KeyDate, pk=pk) if pk else None
    form = forms.KeyDateForm(request.POST or None, instance=obj)

    def save(data: dict[str, Any]) -> str:
        services.key_date_save(key_date=obj, actor=request.user, **data)
        return "integrity:reminders"

    return _form_page(
        request,
        form,
        save,
        title=_("Key date"),
        success=_("The key date was saved."),
        back="integrity:reminders",
    )


@login_required
def reminder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    campaign = get_object_or_404(ReminderCampaign.objects.select_related("key_date"), pk=pk)
    can_manage = request.user.has_capability(Cap.INTEGRITY_MANAGE)
    form = forms.ReminderForm(
        request.POST or None, initial={"title": campaign.title, "body": campaign.body}
    )
    if request.method == "POST":
        require(request, *MANAGE)
        if form.is_valid():
            try:
                services.reminder_update(campaign=campaign, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The letter was saved."))
                return redirect("integrity:reminder_detail", pk=pk)
    by_dept = selectors.completion_by_department(
        ReminderReceipt.objects.filter(campaign=campaign), Q(read_at__isnull=False)
    )
    return render(
        request,
        "integrity/reminder_detail.html",
        {
            "campaign": campaign,
            "form": form
            if can_manage and campaign.status == ReminderCampaign.Status.DRAFT
            else None,
            "by_dept": by_dept,
            "totals": selectors.totals(by_dept),
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def reminder_send(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *MANAGE)
    campaign = get_object_or_404(ReminderCampaign, pk=pk)
    try:
        campaign = services.reminder_send(campaign=campaign, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, _("The letter was sent to %(n)s staff.") % {"n": campaign.recipients}
        )
    return redirect("integrity:reminder_detail", pk=pk)


@login_required
def reminder_read(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    receipt = get_visible_or_404(
        ReminderReceipt.objects.filter(user=request.user).select_related("campaign__key_date"),
        campaign_id=pk,
    )
    services.reminder_mark_read(campaign=receipt.campaign, user=request.user)
    selfcheck = SelfCheckCampaign.objects.filter(reminder=receipt.campaign).first()
    return render(
        request,
        "integrity/reminder_read.html",
        {"campaign": receipt.campaign, "selfcheck": selfcheck},
    )


# ------------------------------------------------------------------ self-checks


@login_required
def selfchecks(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    qs = SelfCheckCampaign.objects.annotate(
        n=Count("checks"), flagged=Count("checks", filter=Q(checks__matter__isnull=False))
    ).order_by("-opens_on", "-pk")
    return render(
        request,
        "integrity/selfchecks.html",
        {
            "page_obj": _page(request, qs),
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
        },
    )


@login_required
def selfcheck_create(request: HttpRequest) -> HttpResponse:
    require(request, *MANAGE)
    form = forms.SelfCheckCampaignForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        c = services.selfcheck_campaign_save(actor=request.user, **data)
        return redirect("integrity:selfcheck_detail", pk=c.pk).url

    return _form_page(
        request,
        form,
        save,
        title=_("New self-check"),
        success=_("The self-check was opened."),
        back="integrity:selfchecks",
    )


@login_required
def selfcheck_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    campaign = get_object_or_404(SelfCheckCampaign, pk=pk)
    done = SelfCheck.objects.filter(campaign=campaign).values("staff_id")
    by_dept = selectors.staff_coverage(done)
    flagged = SelfCheck.objects.filter(campaign=campaign, matter__isnull=False).select_related(
        "staff", "department", "matter__type"
    )
    return render(
        request,
        "integrity/selfcheck_detail.html",
        {
            "campaign": campaign,
            "by_dept": by_dept,
            "totals": selectors.totals(by_dept),
            "flagged": flagged,
        },
    )


@login_required
def selfcheck_fill(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    campaign = get_object_or_404(SelfCheckCampaign, pk=pk)
    staff_id = request.user.scope.staff_id
    existing = SelfCheck.objects.filter(campaign=campaign, staff_id=staff_id or -1).first()
    form = forms.SelfCheckForm(request.POST or None, questions=campaign.questions)
    if request.method == "POST" and not existing and form.is_valid():
        try:
            check = services.selfcheck_submit(
                campaign=campaign,
                actor=request.user,
                answers=form.answers(),
                declaration=form.cleaned_data["declaration"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if check.matter_id:
                messages.warning(
                    request,
                    _("Submitted. The discipline office will follow up on your declaration."),
                )
            else:
                messages.success(request, _("Submitted. Thank you for your self-check."))
            return redirect("integrity:selfcheck_fill", pk=pk)
    return render(
        request,
        "integrity/selfcheck_fill.html",
        {"campaign": campaign, "form": form, "existing": existing, "today": timezone.localdate()},
    )


# ------------------------------------------------------------------ 红包 register


@login_required
def envelopes(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW, *MANAGE)
    qs = selectors.envelopes_visible_to(request.user).select_related("staff", "department")
    f = {k: request.GET.get(k, "").strip() for k in ("q", "status", "handling", "year")}
    if f["q"]:
        qs = qs.filter(Q(staff__name__icontains=f["q"]) | Q(number__icontains=f["q"]))
    if f["status"]:
        qs = qs.filter(status=f["status"])
    if f["handling"]:
        qs = qs.filter(handling=f["handling"])
    if f["year"].isdigit():
        qs = qs.filter(occurred_on__year=int(f["year"]))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("Envelope register"),
            headers=[
                _("Receipt number"),
                _("Date"),
                _("Staff member"),
                _("Department"),
                _("Kind"),
                _("Amount (yuan)"),
                _("Patient"),
                _("Handling"),
                _("Status"),
            ],
            rows=(
                (
                    e.number,
                    e.occurred_on,
                    e.staff.name,
                    e.department.name,
                    e.get_kind_display(),
                    e.amount,
                    mask_name(e.patient_name),
                    e.get_handling_display(),
                    e.get_status_display(),
                )
                for e in qs
            ),
            object_type="integrity.enveloperegister",
        )
    page = _page(request, qs)
    for e in page.object_list:
        e.patient_masked = mask_name(e.patient_name)
    return render(
        request,
        "integrity/envelopes.html",
        {
            "page_obj": page,
            "filters": f,
            "statuses": EnvelopeEntry.Status.choices,
            "handlings": EnvelopeEntry.Handling.choices,
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
        },
    )


@login_required
def envelope_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    form = forms.EnvelopeForm(request.POST or None, initial={"occurred_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Any:
        e = services.envelope_record(actor=request.user, **data)
        return redirect("integrity:envelope_detail", pk=e.pk).url

    return _form_page(
        request,
        form,
        save,
        title=_("Record an envelope or gift refused or handed in"),
        success=_("Recorded. The discipline office will confirm it."),
        back="integrity:envelopes",
    )


def _envelope(request: HttpRequest, pk: int) -> EnvelopeEntry:
    require(request, Cap.SELF_VIEW, *MANAGE)
    return get_visible_or_404(
        selectors.envelopes_visible_to(request.user).select_related("staff", "department"), pk=pk
    )


@login_required
def envelope_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _envelope(request, pk)
    return render(
        request,
        "integrity/envelope_detail.html",
        {
            "entry": entry,
            "patient": mask_name(entry.patient_name),
            "form": forms.NoteForm(),
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
        },
    )


@login_required
@require_POST
def envelope_decide(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *MANAGE)
    entry = _envelope(request, pk)
    note = request.POST.get("note", "")
    try:
        if request.POST.get("decision") == "reject":
            services.envelope_reject(entry=entry, actor=request.user, note=note)
        else:
            services.envelope_confirm(entry=entry, actor=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("integrity:envelope_detail", pk=pk)


@login_required
def envelope_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _envelope(request, pk)
    response = HttpResponse(
        services.envelope_receipt_docx(entry),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{entry.number}.docx"'
    return response


# ------------------------------------------------------------------ 四必谈


@login_required
def talks(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW, *MANAGE)
    qs = family_qs(request)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "state")}
    if f["q"]:
        qs = qs.filter(staff__name__icontains=f["q"])
    now = timezone.now()
    if f["state"] == "pending":
        qs = qs.filter(talk_at__isnull=True)
    elif f["state"] == "overdue":
        qs = qs.filter(talk_at__isnull=True, matter__due_at__lt=now)
    elif f["state"] == "held":
        qs = qs.filter(talk_at__isnull=False)
    return render(
        request,
        "integrity/talks.html",
        {"page_obj": _page(request, qs), "filters": f, "now": now},
    )


def family_qs(request: HttpRequest) -> Any:
    return selectors.family_events_visible_to(request.user).select_related(
        "staff", "department", "matter__owner__staff", "talked_by__staff"
    )


@login_required
def talk_create(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    form = forms.FamilyEventForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        e = services.family_event_report(actor=request.user, **data)
        return redirect("integrity:talk_detail", pk=e.pk).url

    return _form_page(
        request,
        form,
        save,
        title=_("Report a family event (四必谈)"),
        success=_("Reported. Your superior will talk with you before the event."),
        back="integrity:talks",
    )


@login_required
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.SELF_VIEW, *MANAGE)
    event = get_visible_or_404(family_qs(request), pk=pk)
    may_record = event.talk_at is None and (
        request.user.has_capability(Cap.INTEGRITY_MANAGE)
        or (event.matter is not None and event.matter.owner_id == request.user.pk)
    )
    form = forms.TalkForm(
        request.POST or None,
        initial={"held_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST":
        if not may_record:
            raise Http404
        if form.is_valid():
            try:
                services.talk_record(event=event, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The talk was recorded."))
                return redirect("integrity:talk_detail", pk=pk)
    return render(
        request,
        "integrity/talk_detail.html",
        {"event": event, "form": form if may_record else None, "now": timezone.now()},
    )


# ------------------------------------------------------------------ warning education


@login_required
def education(request: HttpRequest) -> HttpResponse:
    require(request, *VIEW)
    year_s = request.GET.get("year", "")
    year = int(year_s) if year_s.isdigit() else timezone.localdate().year
    qs = (
        selectors.sessions_visible_to(request.user)
        .filter(held_on__year=year)
        .annotate(
            n=Count("attendees", distinct=True), n_materials=Count("materials", distinct=True)
        )
        .order_by("-held_on", "-pk")
    )
    coverage = selectors.education_coverage(year)
    return render(
        request,
        "integrity/education.html",
        {
            "page_obj": _page(request, qs),
            "year": year,
            "coverage": coverage,
            "totals": selectors.totals(coverage),
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
        },
    )


@login_required
def session_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, *MANAGE)
    obj = get_object_or_404(EducationSession, pk=pk) if pk else None
    form = forms.SessionForm(request.POST or None, instance=obj)

    def save(data: dict[str, Any]) -> Any:
        data = dict(data)
        attendees = data.pop("attendees")
        s = services.session_save(session=obj, actor=request.user, attendees=attendees, **data)
        return redirect("integrity:session_detail", pk=s.pk).url

    return _form_page(
        request,
        form,
        save,
        title=_("Education session"),
        success=_("The session was saved."),
        back="integrity:education",
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    session = get_visible_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    form = forms.MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request, *MANAGE)
        if form.is_valid():
            try:
                services.material_add(session=session, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                messages.success(request, _("The material was added."))
                return redirect("integrity:session_detail", pk=pk)
    return render(
        request,
        "integrity/session_detail.html",
        {
            "session": session,
            "attendees": session.attendees.select_related("department").order_by(
                "department__code", "name"
            ),
            "materials": session.materials.all(),
            "form": form,
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
        },
    )


@login_required
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, *VIEW)
    from django.http import FileResponse

    material = get_object_or_404(EducationMaterial, pk=pk)
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1]
    )


# ------------------------------------------------------------------ reports: the office


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    require(request, Cap.LOOPS_INTEGRITY)
    qs = selectors.reports_visible_to(request.user).select_related("matter__type")
    f = {k: request.GET.get(k, "").strip() for k in ("q", "channel", "category", "open")}
    if f["q"]:
        qs = qs.filter(number__icontains=f["q"])
    if f["channel"]:
        qs = qs.filter(channel=f["channel"])
    if f["category"]:
        qs = qs.filter(category=f["category"])
    if f["open"] == "1":
        qs = qs.filter(matter__closed_at__isnull=True)
    return render(
        request,
        "integrity/reports.html",
        {
            "page_obj": _page(request, qs),
            "filters": f,
            "channels": Report.Channel.choices,
            "categories": Category.choices,
        },
    )


def _report(request: HttpRequest, pk: int) -> Report:
    require(request, Cap.LOOPS_INTEGRITY)
    return get_visible_or_404(
        selectors.reports_visible_to(request.user).select_related("matter__type"), pk=pk
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    from hongfan.audit.services import record_read

    record_read(report, user=request.user, what="report")
    identity = None
    if request.method == "POST" and request.POST.get("form") == "identity":
        identity = services.reporter_identity_read(report=report, user=request.user)
    reply_form = forms.ReplyForm(request.POST if request.POST.get("form") == "reply" else None)
    finding_form = forms.FindingForm(
        request.POST if request.POST.get("form") == "finding" else None
    )
    if request.method == "POST" and request.POST.get("form") in ("reply", "finding"):
        form = reply_form if request.POST["form"] == "reply" else finding_form
        if form.is_valid():
            try:
                if form is reply_form:
                    services.report_reply(report=report, actor=request.user, **form.cleaned_data)
                else:
                    services.report_finding_record(
                        report=report, actor=request.user, **form.cleaned_data
                    )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("integrity:report_detail", pk=pk)
    return render(
        request,
        "integrity/report_detail.html",
        {
            "report": report,
            "messages_": report.messages.all(),
            "attachments": report.attachments.only("pk", "name", "size", "report_id"),
            "findings": report.findings.select_related("staff"),
            "identity": identity,
            "reply_form": reply_form,
            "finding_form": finding_form,
        },
    )


@login_required
def report_attachment(request: HttpRequest, pk: int, att_pk: int) -> HttpResponse:
    report = _report(request, pk)
    att = get_object_or_404(report.attachments, pk=att_pk)
    from hongfan.audit.services import record_read

    record_read(report, user=request.user, what=f"attachment {att.pk}")
    response = HttpResponse(services.attachment_bytes(att), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="attachment-{att.pk}"'
    return response


# ------------------------------------------------------------------ reports: named reporters


@login_required
def report_named(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    form = forms.NamedReportForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> Any:
        r = services.report_submit_named(actor=request.user, **data)
        return redirect("integrity:report_mine", pk=r.pk).url

    return _form_page(
        request,
        form,
        save,
        title=_("Report a problem (named)"),
        success=_("Your report was received. Only the discipline office can read it."),
        back="integrity:my",
        template="integrity/report_form.html",
        extra={"named": True},
    )


@login_required
def report_mine(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.SELF_VIEW)
    report = get_visible_or_404(services.reports_of_reporter(request.user), pk=pk)
    form = forms.AddInfoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_add_info(report=report, author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your information was added."))
            return redirect("integrity:report_mine", pk=pk)
    return render(
        request,
        "integrity/report_follow.html",
        {"report": report, "thread": report.messages.all(), "form": form, "code": ""},
    )


# ------------------------------------------------------------------ reports: anonymous (public)


def _anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No cookie, no address, no cache, no referrer (SECURITY.md, anonymous reports).

    The pages are CSRF-exempt so that no CSRF cookie is ever set: a forged submission can
    only file a report or read one with a code the forger already knows.
    """

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return untraced(csrf_exempt(wrapper))


# Rendering context for anonymous pages: without a CSRF token the template never asks for
# one, so no CSRF cookie is set.
NO_TOKEN = {"csrf_token": ""}


@_anonymous
def anonymous_report(request: HttpRequest) -> HttpResponse:
    form = forms.ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report, code = services.report_submit_anonymous(**form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            grouped = " ".join(code[i : i + 4] for i in range(0, len(code), 4))
            return render(
                request,
                "integrity/anonymous_done.html",
                {**NO_TOKEN, "report": report, "code": grouped},
            )
    return render(request, "integrity/anonymous_report.html", {**NO_TOKEN, "form": form})


@_anonymous
def anonymous_follow(request: HttpRequest) -> HttpResponse:
    """Read replies and add information with the receipt code (POST only: no code in URLs)."""
    code_form = forms.ReceiptForm(request.POST or None)
    report = None
    info_form = None
    if request.method == "POST" and code_form.is_valid():
        try:
            report = services.receipt_lookup(code_form.cleaned_data["code"])
        except ValidationError as exc:
            apply_service_errors(code_form, exc)
        else:
            adding = request.POST.get("form") == "info"
            info_form = forms.AddInfoForm(
                request.POST if adding else None, request.FILES if adding else None
            )
            if adding and info_form.is_valid():
                try:
                    services.report_add_info(report=report, **info_form.cleaned_data)
                except ValidationError as exc:
                    apply_service_errors(info_form, exc)
                else:
                    info_form = forms.AddInfoForm()
                    return render(
                        request,
                        "integrity/report_follow.html",
                        {
                            **NO_TOKEN,
                            "report": report,
                            "thread": report.messages.all(),
                            "form": info_form,
                            "code": code_form.cleaned_data["code"],
                            "added": True,
                            "anonymous": True,
                        },
                    )
    if report is not None:
        return render(
            request,
            "integrity/report_follow.html",
            {
                **NO_TOKEN,
                "report": report,
                "thread": report.messages.all(),
                "form": info_form,
                "code": code_form.cleaned_data["code"],
                "anonymous": True,
            },
        )
    return render(request, "integrity/anonymous_follow.html", {**NO_TOKEN, "form": code_form})


# ------------------------------------------------------------------ service code


@login_required
def code_list(request: HttpRequest) -> HttpResponse:
    require(request, Cap.SELF_VIEW, *VIEW)
    staff_id = request.user.scope.staff_id or -1
    acked = set(
        CodeAcknowledgement.objects.filter(staff_id=staff_id).values_list("document_id", flat=True)
    )
    docs = list(CodeDocument.objects.annotate(n=Count("acks")))
    for d in docs:
        d.acked = d.pk in acked
    return render(
        request,
        "integrity/code_list.html",
        {
            "documents": docs,
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
            "can_view": any(request.user.has_capability(c) for c in VIEW),
        },
    )


@login_required
def code_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, *MANAGE)
    obj = get_object_or_404(CodeDocument, pk=pk) if pk else None
    form = forms.CodeDocumentForm(request.POST or None, instance=obj)

    def save(data: dict[str, Any]) -> Any:
        d = services.code_document_save(document=obj, actor=request.user, **data)
        return redirect("integrity:code_detail", pk=d.pk).url

    return _form_page(
        request,
        form,
        save,
        title=_("Service code document"),
        success=_("The document was saved."),
        back="integrity:code_list",
    )


@login_required
def code_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.SELF_VIEW, *VIEW)
    document = get_object_or_404(CodeDocument, pk=pk)
    staff_id = request.user.scope.staff_id or -1
    if request.method == "POST":
        try:
            services.code_acknowledge(document=document, actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your acknowledgement was recorded."))
        return redirect("integrity:code_detail", pk=pk)
    can_view = any(request.user.has_capability(c) for c in VIEW)
    coverage = selectors.code_coverage(document.pk) if can_view else None
    return render(
        request,
        "integrity/code_detail.html",
        {
            "document": document,
            "ack": CodeAcknowledgement.objects.filter(document=document, staff_id=staff_id).first(),
            "coverage": coverage,
            "totals": selectors.totals(coverage) if coverage else None,
            "can_manage": request.user.has_capability(Cap.INTEGRITY_MANAGE),
            "has_staff": bool(request.user.scope.staff_id),
        },
    )
