"""The cockpit part of the small demo hospital: templates and last year's annual report."""

from __future__ import annotations

import datetime as dt

import pytest

from hongfan.cockpit.models import GeneratedReport, ReportTemplate
from hongfan.demo import extensions
from hongfan.demo.services import demo_seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_both_templates_and_the_annual_report_of_last_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mine = {"orglife", "dues", "loops", "outreach", "cockpit"}
    only = {k: v for k, v in extensions._REGISTRY.items() if k in mine}
    monkeypatch.setattr(extensions, "_REGISTRY", only)
    result = demo_seed(size="small", seed=1, today=dt.date(2026, 11, 23))
    assert result.extra_counts["report templates"] == 2
    assert result.extra_counts["generated reports"] == 1
    assert set(ReportTemplate.objects.values_list("kind", flat=True)) == {"annual", "quarterly"}
    report = GeneratedReport.objects.get()
    assert (report.kind, report.year, report.quarter) == ("annual", 2025, None)
    assert "{{" not in report.text
    members = int(report.figures["membership.members_in_post"]["value"])
    assert members > 20
    assert f"在岗党员 {members} 名" in report.text
    assert report.docx.size > 0 and report.pdf.size > 0
