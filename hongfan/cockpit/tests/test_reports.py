"""Report templates and generated reports: checking, figures equal to the cockpit's, files."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from hongfan.accounts.roles import Role
from hongfan.cockpit import reports, selectors, services
from hongfan.cockpit.models import GeneratedReport, ReportTemplate
from hongfan.cockpit.registry import FigureContext, Period
from hongfan.cockpit.tests.factories import at, matter, template
from hongfan.core.testing import World, login

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def test_a_template_naming_an_unknown_figure_is_refused_naming_it(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.template_save(
            actor=world.user(Role.PARTY_OFFICE),
            name="有误模板",
            kind="annual",
            title="{{ period.label }}报告",
            body="党员 {{ membership.members_in_post }} 名，服务 {{ outreach.patients }} 人次，"
            "{{ membership.total }}",
        )
    message = " ".join(exc.value.message_dict["body"])
    assert "outreach.patients" in message
    assert "membership.total" in message
    assert "membership.members_in_post" not in message
    assert not ReportTemplate.objects.filter(name="有误模板").exists()


def test_an_unclosed_placeholder_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.template_save(
            actor=None,
            name="括号",
            kind="annual",
            title="报告",
            body="党员 {{ membership.members_in_post 名",
        )
    assert "body" in exc.value.message_dict


def test_the_default_templates_are_valid_and_created_once(world: World) -> None:
    assert services.templates_ensure_defaults() == 2
    assert services.templates_ensure_defaults() == 0
    assert ReportTemplate.objects.count() == 2


def _cockpit_displays(world: World, role: str, period: Period) -> dict[str, str]:
    ctx = FigureContext(user=world.user(role), period=period, today=TODAY)
    return {
        f"{p.key}.{f.key}": f.display for p, data in selectors.cockpit(ctx) for f in data.figures
    }


def test_the_report_figures_equal_the_cockpit_figures(world: World) -> None:
    due = at(dt.date(2025, 6, 9), 17, 30)
    matter(world, "complaint", opened=at(dt.date(2025, 6, 2)), due=due, closed=due, rating=5)
    matter(world, "complaint", opened=at(dt.date(2025, 6, 2)), due=due)
    matter(world, "generic", opened=at(dt.date(2025, 9, 1)), due=due.replace(month=9))
    services.templates_ensure_defaults()
    t = ReportTemplate.objects.get(kind="annual")
    office = world.user(Role.PARTY_OFFICE)
    report = services.report_generate(
        template=t, year=2025, quarter=None, actor=office, today=TODAY
    )
    cockpit = _cockpit_displays(world, Role.PARTY_OFFICE, Period(2025))
    used = reports.placeholders(t.body)
    figure_keys = [k for k in used if k in cockpit]
    assert len(figure_keys) >= 20
    for key in figure_keys:
        stored = report.figures[key]
        shown = "—" if stored["value"] is None else f"{stored['value']}{stored['unit']}"
        assert shown == cockpit[key], key
        # ... and the text carries the very same value where the template placed it.
    assert f"在岗党员 {cockpit['membership.members_in_post']} 名" in report.text
    assert f"受理患者投诉 {cockpit['complaints.received']} 件" in report.text
    assert f"按期答复率 {cockpit['complaints.on_time_pct']}" in report.text
    assert "{{" not in report.text
    assert report.title == "全院2025年度党建工作报告" or report.title.endswith(
        "2025年度党建工作报告"
    )


def test_the_word_and_pdf_files_carry_the_report(world: World) -> None:
    from docx import Document

    t = template(world)
    report = services.report_generate(
        template=t,
        year=2025,
        quarter=None,
        actor=world.user(Role.PARTY_OFFICE),
        institution=world.hospital,
        today=TODAY,
    )
    with report.docx.open("rb") as f:
        doc = Document(io.BytesIO(f.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "测试县人民医院" in text
    assert "党员 4 名，支部 2 个" in text
    assert doc.tables and doc.tables[0].rows[1].cells[1].text == "membership.members_in_post"
    with report.pdf.open("rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000  # Chinese fonts are embedded
    assert report.seconds < 10


def test_a_quarterly_report_needs_a_quarter_that_has_started(world: World) -> None:
    t = template(world, "quarterly")
    office = world.user(Role.PARTY_OFFICE)
    with pytest.raises(ValidationError) as exc:
        services.report_generate(template=t, year=2026, quarter=None, actor=office, today=TODAY)
    assert "quarter" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.report_generate(
            template=t, year=2026, quarter=4, actor=office, today=dt.date(2026, 9, 30)
        )
    r = services.report_generate(
        template=t, year=2026, quarter=4, actor=office, today=dt.date(2026, 10, 1)
    )
    assert r.quarter == 4
    assert "2026" in r.title
    assert GeneratedReport.objects.count() == 1


def test_a_report_refuses_figures_of_panels_the_author_may_not_see(world: World) -> None:
    t = ReportTemplate.objects.create(
        name="纪检", kind="annual", title="报告", body="举报 {{ integrity.reports_received }} 件"
    )
    with pytest.raises(ValidationError) as exc:
        services.report_generate(
            template=t,
            year=2025,
            quarter=None,
            actor=world.user(Role.PRESIDENT_OFFICE),
            today=TODAY,
        )
    assert "integrity.reports_received" in str(exc.value)
    assert not GeneratedReport.objects.exists()


def test_a_template_changed_to_an_unknown_figure_behind_the_form_is_refused_at_generation(
    world: World,
) -> None:
    t = template(world)
    ReportTemplate.objects.filter(pk=t.pk).update(body="{{ honours.medals }}")
    t.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.report_generate(
            template=t, year=2025, quarter=None, actor=world.user(Role.PARTY_OFFICE), today=TODAY
        )
    assert "honours.medals" in str(exc.value)


def _client(world: World, role: str) -> Client:
    c = Client()
    login(c, world.user(role))
    return c


def test_the_office_edits_a_template_and_sees_the_unknown_figure_error(world: World) -> None:
    t = template(world)
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("cockpit:template_edit", args=[t.pk])
    r = c.post(
        url,
        {"name": t.name, "kind": "annual", "title": t.title, "body": "{{ membership.foo }}"},
    )
    assert r.status_code == 200
    assert "membership.foo" in r.content.decode()
    t.refresh_from_db()
    assert "membership.foo" not in t.body
    r = c.post(
        url,
        {
            "name": t.name,
            "kind": "annual",
            "title": t.title,
            "body": "党员 {{ membership.members_in_post }} 名",
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.body == "党员 {{ membership.members_in_post }} 名"


def test_generating_from_the_page_then_downloading_word(world: World) -> None:
    t = template(world)
    c = _client(world, Role.PARTY_OFFICE)
    r = c.post(reverse("cockpit:report_create"), {"template": t.pk, "year": 2025})
    assert r.status_code == 302
    report = GeneratedReport.objects.get()
    detail = c.get(r["Location"]).content.decode()
    assert report.title in detail
    assert re.search(r'data-figure="membership.members_in_post"', detail)
    r = c.get(reverse("cockpit:report_file", args=[report.pk, "docx"]))
    assert r.status_code == 200
    assert b"".join(r.streaming_content).startswith(b"PK")
    assert c.get(reverse("cockpit:report_file", args=[report.pk, "xls"])).status_code == 404


def test_the_appraisal_export_lists_indicators_with_no_data_marked(world: World) -> None:
    from openpyxl import load_workbook

    r = _client(world, Role.PARTY_OFFICE).get(reverse("cockpit:appraisal_export"), {"year": 2025})
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.values)
    by_key = {row[3]: row for row in rows[1:] if row[3]}
    assert by_key["membership.members_in_post"][2] == "4"
    # No survey answers: the satisfaction rows print "—", never a number.
    satisfaction = [row for row in rows[1:] if str(row[3]).startswith("satisfaction.")]
    assert len(satisfaction) == 3 and all(row[2] == "—" for row in satisfaction)
    # The president's office holds no orglife capability: that row says so, not a number.
    r = _client(world, Role.PRESIDENT_OFFICE).get(
        reverse("cockpit:appraisal_export"), {"year": 2025}
    )
    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.values)
    orglife = next(row for row in rows if row[3] == "orglife.compliance_pct")
    assert orglife[2] in ("", None) and orglife[4]


def test_clinical_indicators_in_a_report_and_the_appraisal_equal_the_cockpit(
    world: World,
) -> None:
    from openpyxl import load_workbook

    from hongfan.clinical.models import IndicatorValue

    for month, num in (("2025-03", 30.0), ("2025-09", 45.0)):
        IndicatorValue.objects.create(
            month=month,
            dept_code=world.dept_a1.code,
            department=world.dept_a1,
            doctor_no="D001",
            indicator="aud",
            num=num,
            den=100.0,
        )
    t = ReportTemplate.objects.create(
        name="合理用药",
        kind="annual",
        title="{{ period.label }}合理用药情况",
        body="抗菌药物使用强度 {{ clinical_indicators.aud }}，"
        "抗菌药物处方占比 {{ clinical_indicators.pct_antibiotic }}。",
    )
    president = world.user(Role.PRESIDENT_OFFICE)
    report = services.report_generate(
        template=t, year=2025, quarter=None, actor=president, today=TODAY
    )
    cockpit = _cockpit_displays(world, Role.PRESIDENT_OFFICE, Period(2025))
    assert cockpit["clinical_indicators.aud"] == "37.50"  # (30 + 45) DDDs / 200 × 100
    assert f"抗菌药物使用强度 {cockpit['clinical_indicators.aud']}" in report.text
    assert "抗菌药物处方占比 —" in report.text  # nothing imported for it: no made-up zero
    # The Party office holds no clinical capability: refused, naming the figures.
    with pytest.raises(ValidationError) as exc:
        services.report_generate(
            template=t, year=2025, quarter=None, actor=world.user(Role.PARTY_OFFICE), today=TODAY
        )
    assert "clinical_indicators.aud" in str(exc.value)
    # The appraisal export carries the same figure for the president's office …
    r = _client(world, Role.PRESIDENT_OFFICE).get(
        reverse("cockpit:appraisal_export"), {"year": 2025}
    )
    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.values)
    aud = next(row for row in rows if row[3] == "clinical_indicators.aud")
    assert aud[2] == "37.50"
    # … and marks it out of scope for the Party office.
    r = _client(world, Role.PARTY_OFFICE).get(reverse("cockpit:appraisal_export"), {"year": 2025})
    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.values)
    aud = next(row for row in rows if row[3] == "clinical_indicators.aud")
    assert aud[2] in ("", None) and aud[4]


def test_the_template_form_lists_the_clinical_indicators(world: World) -> None:
    html = (
        _client(world, Role.PARTY_OFFICE).get(reverse("cockpit:template_create")).content.decode()
    )
    assert "clinical_indicators.aud" in html
