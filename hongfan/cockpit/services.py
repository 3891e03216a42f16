"""Writes of the cockpit: report templates and generated reports."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongfan.cockpit import reports, selectors
from hongfan.cockpit.models import GeneratedReport, ReportKind, ReportTemplate
from hongfan.cockpit.registry import FigureContext, Period


@transaction.atomic
def template_save(
    *,
    actor: Any,
    name: str,
    kind: str,
    title: str,
    body: str,
    is_active: bool = True,
    template: ReportTemplate | None = None,
) -> ReportTemplate:
    """Create or update a template; refuses placeholders naming unknown figures."""
    reports.check_template(title=title, body=body)
    t = template or ReportTemplate()
    t.name, t.kind, t.title, t.body, t.is_active = (
        name.strip(),
        kind,
        title.strip(),
        body,
        is_active,
    )
    t.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    t.full_clean()
    t.save()
    return t


def _period(kind: str, year: int, quarter: int | None, today: dt.date) -> Period:
    if kind == ReportKind.QUARTERLY:
        if quarter not in (1, 2, 3, 4):
            raise ValidationError({"quarter": _("Choose the quarter of a quarterly report.")})
    else:
        quarter = None
    if not 2000 <= year <= today.year:
        raise ValidationError(
            {"year": _("The year must be between 2000 and %(year)s.") % {"year": today.year}}
        )
    period = Period(year, quarter)
    if period.start > today:
        raise ValidationError({"quarter": _("The period has not started yet.")})
    return period


def report_values(
    template: ReportTemplate, ctx: FigureContext, institution_name: str
) -> tuple[dict[str, str], dict[str, Any], list[tuple[str, str, str]]]:
    """Compute every placeholder of ``template`` (the cockpit's figure functions).

    Returns the display strings, the raw figures for the record, and the appendix rows.
    """
    reports.check_template(title=template.title, body=template.body)
    names = reports.placeholders(template.title + "\n" + template.body)
    context = {
        "period.label": ctx.period.label,
        "period.year": str(ctx.period.year),
        "institution.name": institution_name,
        "report.date": f"{ctx.today.year}年{ctx.today.month}月{ctx.today.day}日",
    }
    figures = selectors.figure_values(ctx, [n for n in names if n not in context])
    display = {**context, **{k: f.display for k, f in figures.items()}}
    raw = {
        k: {"label": f.label, "value": None if f.value is None else str(f.value), "unit": f.unit}
        for k, f in figures.items()
    }
    table = [(f.label, k, f.display) for k, f in figures.items()]
    return display, raw, table


@transaction.atomic
def report_generate(
    *,
    template: ReportTemplate,
    year: int,
    quarter: int | None,
    actor: Any,
    institution: Any = None,
    today: dt.date | None = None,
) -> GeneratedReport:
    """Compute the figures, render Word and PDF, and keep them with the figures used."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    if not template.is_active:
        raise ValidationError(_("This template is no longer in use."))
    period = _period(template.kind, year, quarter, today)
    ctx = FigureContext(
        user=actor,
        period=period,
        institution_id=institution.pk if institution else None,
        today=today,
    )
    inst_name = institution.name if institution else _("the whole hospital")
    display, raw, table = report_values(template, ctx, inst_name)
    title = reports.fill(template.title, display)
    text = reports.fill(template.body, display)
    body = reports.blocks(text)
    docx_bytes = reports.render_docx(title, body, table)
    pdf_bytes = reports.render_pdf(title, body, table)
    report = GeneratedReport(
        template=template,
        kind=template.kind,
        year=period.year,
        quarter=period.quarter,
        institution=institution,
        title=title,
        text=text,
        figures=raw,
        generated_at=timezone.now(),
        generated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    q = f"Q{period.quarter}" if period.quarter else ""
    stem = f"{period.year}{q}-{timezone.now():%Y%m%d%H%M%S%f}"
    report.docx.save(f"report-{stem}.docx", ContentFile(docx_bytes), save=False)
    report.pdf.save(f"report-{stem}.pdf", ContentFile(pdf_bytes), save=False)
    report.seconds = round(time.perf_counter() - started, 3)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def templates_ensure_defaults(actor: Any = None) -> int:
    """Create the default templates that are missing by name; return how many were created."""
    from hongfan.cockpit.defaults import DEFAULTS

    created = 0
    for name, kind, title, body in DEFAULTS:
        if not ReportTemplate.objects.filter(name=name).exists():
            template_save(actor=actor, name=name, kind=kind, title=title, body=body)
            created += 1
    return created
