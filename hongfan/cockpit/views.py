"""Cockpit pages: the leadership cockpit, the appraisal export, report templates and reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongfan.accounts.roles import Cap
from hongfan.audit import services as audit
from hongfan.cockpit import appraisal, defaults, forms, registry, reports, selectors, services
from hongfan.cockpit.models import ReportKind
from hongfan.cockpit.registry import FigureContext, Period
from hongfan.core.access import capability_required, get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.core.forms import apply_service_errors
from hongfan.org.selectors import institution_visible_to

# Modules whose panels are added when their selectors land (issue 9: no fake figures).
PENDING = [
    ("integrity", gettext_lazy("Integrity files"), gettext_lazy("Integrity and medical ethics")),
    ("clinical", gettext_lazy("Clinical analytics"), gettext_lazy("Clinical analytics")),
]


def _context(request: HttpRequest) -> tuple[FigureContext, forms.FilterForm]:
    today = timezone.localdate()
    hospital_wide = request.user.scope.hospital_wide
    institutions = institution_visible_to(request.user) if hospital_wide else None
    form = forms.FilterForm(request.GET or None, institutions=institutions)
    year, quarter, institution = today.year, None, None
    if form.is_valid():
        year = form.cleaned_data["year"] or today.year
        quarter = form.cleaned_data["quarter"]
        institution = form.cleaned_data.get("institution")
    ctx = FigureContext(
        user=request.user,
        period=Period(year, quarter),
        institution_id=institution.pk if institution else None,
        today=today,
    )
    return ctx, form


def _pending() -> list[tuple[str, Any, Any]]:
    """Modules that no registered panel reads yet."""
    sources = {p.source for p in registry.panels()}
    return [(key, label, source) for key, label, source in PENDING if key not in sources]


@capability_required(Cap.COCKPIT_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    ctx, form = _context(request)
    export = request.GET.get("export") == "xlsx"
    panels = selectors.cockpit(ctx, cached=not export)  # an export is computed afresh
    if export:
        return xlsx_response(
            request,
            filename=_("cockpit figures"),
            headers=[_("Panel"), _("Figure"), _("Value"), _("Period")],
            rows=[
                (str(p.label), f.label, f.display, ctx.period.label)
                for p, data in panels
                for f in data.figures
            ],
            object_type="cockpit.figures",
            sheet_title=_("Cockpit"),
            detail={"year": ctx.period.year, "quarter": ctx.period.quarter},
        )
    return render(
        request,
        "cockpit/dashboard.html",
        {
            "form": form,
            "ctx": ctx,
            "panels": panels,
            # The oldest figures on the page (panels may come from the cache).
            "as_of": min((d.computed_at for _p, d in panels if d.computed_at), default=None),
            "cache_seconds": selectors.cache_seconds(),
            "pending": _pending() if ctx.hospital_wide else [],
            "can_report": request.user.has_capability(Cap.COCKPIT_REPORTS),
        },
    )


@capability_required(Cap.COCKPIT_REPORTS)
def appraisal_export(request: HttpRequest) -> HttpResponse:
    ctx, _form = _context(request)
    rows = appraisal.appraisal_rows(ctx)
    return xlsx_response(
        request,
        filename=_("appraisal indicators %(period)s") % {"period": ctx.period.label},
        headers=[_("Appraisal"), _("Indicator"), _("Value"), _("Figure"), _("Remark")],
        rows=rows,
        object_type="cockpit.appraisal",
        sheet_title=_("Appraisal indicators"),
        detail={"year": ctx.period.year, "quarter": ctx.period.quarter},
    )


# --- templates -------------------------------------------------------------------------------


@capability_required(Cap.COCKPIT_TEMPLATES, Cap.COCKPIT_REPORTS)
def template_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.templates_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if q:
        qs = qs.filter(name__icontains=q)
    if kind in ReportKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.select_related("updated_by"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cockpit/template_list.html",
        {
            "page_obj": page,
            "q": q,
            "kind": kind,
            "kinds": ReportKind.choices,
            "can_edit": request.user.has_capability(Cap.COCKPIT_TEMPLATES),
        },
    )


def _template_form(request: HttpRequest, template: Any = None) -> HttpResponse:
    initial = {}
    if template is None:
        kind = request.GET.get("kind", ReportKind.ANNUAL)
        for _name, k, title, body in defaults.DEFAULTS:
            if k == kind:
                initial = {"kind": k, "title": title, "body": body, "is_active": True}
    form = forms.TemplateForm(request.POST or None, instance=template, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            t = services.template_save(
                actor=request.user,
                template=template,
                name=d["name"],
                kind=d["kind"],
                title=d["title"],
                body=d["body"],
                is_active=d["is_active"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Template “%(name)s” saved.") % {"name": t.name})
            return redirect("cockpit:template_list")
    return render(
        request,
        "cockpit/template_form.html",
        {"form": form, "template": template, "figures": reports.available_figures()},
    )


@capability_required(Cap.COCKPIT_TEMPLATES)
def template_create(request: HttpRequest) -> HttpResponse:
    return _template_form(request)


@capability_required(Cap.COCKPIT_TEMPLATES)
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    t = get_visible_or_404(selectors.templates_visible_to(request.user), pk=pk)
    return _template_form(request, t)


# --- reports ---------------------------------------------------------------------------------


@capability_required(Cap.COCKPIT_REPORTS)
def report_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.reports_visible_to(request.user)
    year = request.GET.get("year", "")
    kind = request.GET.get("kind", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    if kind in ReportKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cockpit/report_list.html",
        {
            "page_obj": page,
            "year": year,
            "kind": kind,
            "kinds": ReportKind.choices,
            "years": [y for y, _y in forms.year_choices()],
        },
    )


@capability_required(Cap.COCKPIT_REPORTS)
def report_create(request: HttpRequest) -> HttpResponse:
    templates = selectors.templates_visible_to(request.user)
    # Preselect the template asked for, else the first annual template in use (one click).
    chosen = request.GET.get("template") or (
        templates.filter(is_active=True, kind=ReportKind.ANNUAL)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    form = forms.GenerateForm(
        request.POST or None,
        initial={"year": timezone.localdate().year - 1, "template": chosen},
        institutions=institution_visible_to(request.user),
        templates=templates,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = services.report_generate(
                template=d["template"],
                year=d["year"],
                quarter=d["quarter"],
                institution=d["institution"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Report generated in %(s)s s.") % {"s": report.seconds},
            )
            return redirect("cockpit:report_detail", pk=report.pk)
    return render(
        request,
        "cockpit/report_form.html",
        {"form": form, "has_templates": templates.filter(is_active=True).exists()},
    )


@capability_required(Cap.COCKPIT_REPORTS)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(selectors.reports_visible_to(request.user), pk=pk)
    return render(
        request,
        "cockpit/report_detail.html",
        {"report": report, "blocks": reports.blocks(report.text)},
    )


@login_required
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    require(request, Cap.COCKPIT_REPORTS)
    report = get_visible_or_404(selectors.reports_visible_to(request.user), pk=pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    f = getattr(report, fmt)
    if not f:
        raise Http404
    audit.record_read(report, user=request.user, what=f"report {fmt}")
    return FileResponse(f.open("rb"), as_attachment=True, filename=f"{report.title}.{fmt}")
