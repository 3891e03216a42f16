"""Demo data: the standard report templates and the annual work report of last year."""

from __future__ import annotations

from hongfan.cockpit import services
from hongfan.cockpit.models import GeneratedReport, ReportKind, ReportTemplate
from hongfan.demo.extensions import DemoContext


def seed(ctx: DemoContext) -> dict[str, int]:
    created = services.templates_ensure_defaults(actor=ctx.office_user)
    year = ctx.today.year - 1
    annual = ReportTemplate.objects.filter(kind=ReportKind.ANNUAL, is_active=True).order_by("pk")
    reports = 0
    if (
        annual.exists()
        and not GeneratedReport.objects.filter(kind=ReportKind.ANNUAL, year=year).exists()
    ):
        services.report_generate(
            template=annual.first(),  # type: ignore[arg-type]
            year=year,
            quarter=None,
            actor=ctx.office_user,
            today=ctx.today,
        )
        reports = 1
    return {"report templates": created, "generated reports": reports}
