"""The leadership cockpit: panels per role and scope, period filters, drill-downs, queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from hongfan.accounts.roles import Role
from hongfan.cockpit import registry, selectors
from hongfan.cockpit.registry import FigureContext, Period
from hongfan.cockpit.tests.factories import at, matter
from hongfan.core.testing import World, login, make_member, make_staff

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
Y2025 = Period(2025)


def _panels(world: World, role: str, period: Period = Y2025, **kw: object) -> dict:
    ctx = FigureContext(user=world.user(role), period=period, today=TODAY, **kw)
    return {p.key: data for p, data in selectors.cockpit(ctx)}


def _value(data: object, key: str) -> object:
    return data.by_key()[key].value  # type: ignore[attr-defined]


def test_the_party_office_sees_the_hospital_panels_and_not_the_restricted_ones(
    world: World,
) -> None:
    panels = _panels(world, Role.PARTY_OFFICE)
    assert set(panels) == {
        "membership",
        "orglife",
        "dues",
        "matters",
        "complaints",
        "outreach",
        "honours",
        "satisfaction",
    }
    assert _value(panels["membership"], "members_in_post") == 4
    assert _value(panels["membership"], "branches") == 2


def test_a_branch_secretary_sees_only_their_branch(world: World) -> None:
    for n in range(3):
        make_member(make_staff(world.dept_b1, f"外科党员{n}"), world.branch_b)
    panels = _panels(world, Role.BRANCH_SECRETARY)
    # No supervision board, no complaints for a secretary.
    assert set(panels) == {
        "membership",
        "orglife",
        "dues",
        "outreach",
        "honours",
        "satisfaction",
    }
    assert _value(panels["membership"], "members_in_post") == 2  # 李支书, 赵党员 of 内科党支部
    assert _value(panels["membership"], "branches") == 1
    assert _value(panels["orglife"], "branches") == 1
    hospital = _panels(world, Role.PARTY_OFFICE)
    assert _value(hospital["membership"], "members_in_post") == 7


def test_discipline_sees_integrity_work_and_medical_affairs_clinical_warnings(
    world: World,
) -> None:
    matter(world, "integrity_report", opened=at(dt.date(2025, 3, 3)), due=at(dt.date(2025, 4, 14)))
    matter(world, "clinical_warning", opened=at(dt.date(2025, 5, 6)), due=at(dt.date(2025, 5, 20)))
    discipline = _panels(world, Role.DISCIPLINE)
    assert set(discipline) == {
        "integrity",
        "integrity_files",
        "satisfaction",
        "clinical_indicators",
    }
    assert _value(discipline["integrity"], "reports_received") == 1
    medical = _panels(world, Role.MEDICAL_AFFAIRS)
    assert set(medical) == {"clinical", "clinical_indicators", "satisfaction"}
    assert _value(medical["clinical"], "warnings") == 1
    assert "integrity" not in _panels(world, Role.PARTY_OFFICE)


def test_complaints_closed_at_the_deadline_are_on_time_and_a_second_later_are_late(
    world: World,
) -> None:
    due = at(dt.date(2025, 6, 9), 17, 30)
    opened = at(dt.date(2025, 6, 2))
    matter(world, "complaint", opened=opened, due=due, closed=due, rating=5)
    matter(
        world, "complaint", opened=opened, due=due, closed=due + dt.timedelta(seconds=1), rating=4
    )
    matter(world, "complaint", opened=opened, due=due)  # still open, overdue
    data = _panels(world, Role.PARTY_OFFICE)["complaints"]
    assert _value(data, "received") == 3
    assert _value(data, "closed") == 2
    assert _value(data, "on_time_pct") == Decimal("50.00")
    assert _value(data, "overdue_open") == 1
    assert _value(data, "rating") == Decimal("4.50")


def test_the_period_filter_counts_matters_opened_inside_it_only(world: World) -> None:
    due = at(dt.date(2026, 1, 9), 17, 30)
    matter(world, "complaint", opened=at(dt.date(2025, 12, 31), 23, 59, 59), due=due)
    matter(world, "complaint", opened=at(dt.date(2026, 1, 1), 0, 0, 0), due=due)
    assert _value(_panels(world, Role.PARTY_OFFICE)["complaints"], "received") == 1
    q4 = _panels(world, Role.PARTY_OFFICE, Period(2025, 4))["complaints"]
    assert _value(q4, "received") == 1
    q3 = _panels(world, Role.PARTY_OFFICE, Period(2025, 3))["complaints"]
    assert _value(q3, "received") == 0
    assert q3.has_data is False  # an empty state, not a row of zeros
    q1 = _panels(world, Role.PARTY_OFFICE, Period(2026, 1))["complaints"]
    assert _value(q1, "received") == 1


def test_the_institution_filter_limits_membership_and_matters(world: World) -> None:
    from hongfan.org.models import Department

    centre_dept = Department.objects.create(
        institution=world.centre_hospital, code="ZX01", name="全科", category="clinical"
    )
    matter(world, "complaint", opened=at(dt.date(2025, 3, 3)), due=at(dt.date(2025, 3, 10)))
    matter(
        world,
        "complaint",
        opened=at(dt.date(2025, 3, 3)),
        due=at(dt.date(2025, 3, 10)),
        department=centre_dept,
    )
    both = _panels(world, Role.PARTY_OFFICE)
    centre = _panels(world, Role.PARTY_OFFICE, institution_id=world.centre_hospital.pk)
    assert _value(both["complaints"], "received") == 2
    assert _value(centre["complaints"], "received") == 1
    assert _value(centre["membership"], "members_in_post") == 0
    assert centre["membership"].has_data is False


def test_orglife_compliance_counts_met_and_missed_requirements_of_the_period(
    world: World,
) -> None:
    from hongfan.orglife.models import Meeting, MeetingKind

    before = _value(_panels(world, Role.PARTY_OFFICE)["orglife"], "requirements_met")
    Meeting.objects.create(
        organisation=world.branch_a,
        kind=MeetingKind.COMMITTEE,
        topic="支委会",
        planned_on=dt.date(2025, 3, 5),
        held_on=dt.date(2025, 3, 5),
        status=Meeting.Status.RECORDED,
        is_valid=True,
    )
    data = _panels(world, Role.PARTY_OFFICE)["orglife"]
    met = _value(data, "requirements_met")
    missed = _value(data, "requirements_missed")
    assert met == before + 1
    assert _value(data, "compliance_pct") == (Decimal(met) * 100 / (met + missed)).quantize(
        Decimal("0.01")
    )
    # The first quarter holds that meeting; the second quarter does not.
    q1 = _value(_panels(world, Role.PARTY_OFFICE, Period(2025, 1))["orglife"], "requirements_met")
    q2 = _value(_panels(world, Role.PARTY_OFFICE, Period(2025, 2))["orglife"], "requirements_met")
    assert (q1, q2) == (1, 0)


def _client(world: World, role: str) -> Client:
    c = Client()
    login(c, world.user(role))
    return c


def test_the_page_shows_each_figure_with_a_drill_down_link(world: World) -> None:
    matter(world, "complaint", opened=at(dt.date(2025, 3, 3)), due=at(dt.date(2025, 3, 10)))
    r = _client(world, Role.PARTY_OFFICE).get(reverse("cockpit:dashboard"), {"year": 2025})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-figure="complaints.received"' in html
    assert reverse("loops:board") + "?type=complaint" in html
    assert reverse("party:member_list") in html
    assert 'data-chart-src="chart-complaints"' in html
    # Every module has its panel now: no "pending" notice is left.
    assert "data-pending" not in html


def test_the_secretary_page_has_no_hospital_panels_nor_institution_filter(world: World) -> None:
    r = _client(world, Role.BRANCH_SECRETARY).get(reverse("cockpit:dashboard"), {"year": 2025})
    html = r.content.decode()
    assert 'data-panel="membership"' in html
    assert 'data-panel="complaints"' not in html
    assert 'name="institution"' not in html
    assert 'data-testid="scope-note"' in html
    assert "data-pending" not in html


def test_the_cockpit_figures_export_to_excel(world: World) -> None:
    import io

    from openpyxl import load_workbook

    r = _client(world, Role.PARTY_OFFICE).get(
        reverse("cockpit:dashboard"), {"year": 2025, "export": "xlsx"}
    )
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) > 10
    assert any(row[2] == "4" for row in rows)  # members in post


def test_the_cockpit_query_count_does_not_grow_with_the_records(
    world: World, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        make_member(make_staff(world.dept_b1, f"外科党员{n}"), world.branch_b)
        matter(
            world,
            "complaint" if n % 2 else "generic",
            opened=at(dt.date(2025, 1 + n % 12, 3)),
            due=at(dt.date(2025, 1 + n % 12, 10)),
            closed=at(dt.date(2025, 1 + n % 12, 8)) if n % 3 else None,
        )
        if n % 3 == 0:
            _activity(
                world, world.branch_a if n % 2 else world.branch_b, dt.date(2025, 3, n + 1), n
            )
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("cockpit:dashboard")
    with django_assert_max_num_queries(35):  # type: ignore[operator]
        r = c.get(url, {"year": 2025})
    assert r.status_code == 200
    c2 = _client(world, Role.BRANCH_SECRETARY)
    with django_assert_max_num_queries(36):  # type: ignore[operator]
        c2.get(url, {"year": 2025})


def test_the_clinical_panel_s_query_count_does_not_grow_with_the_months_and_doctors(
    world: World, django_assert_num_queries: object
) -> None:
    from hongfan.clinical import rules
    from hongfan.clinical.models import IndicatorValue

    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            month=f"2025-{month:02d}",
            dept_code=dept.code,
            department=dept,
            doctor_no=f"D{doctor}",
            indicator=ind.key,
            num=3,
            den=10,
        )
        for month in range(1, 13)
        for dept in (world.dept_a1, world.dept_a2, world.dept_b1)
        for doctor in range(5)
        for ind in rules.INDICATORS
    )
    c = _client(world, Role.MEDICAL_AFFAIRS)
    # Medical affairs: clinical warnings, clinical indicators (5 queries) and satisfaction.
    with django_assert_num_queries(20):  # type: ignore[operator]
        r = c.get(reverse("cockpit:dashboard"), {"year": 2025})
    assert 'data-figure="clinical_indicators.pct_antibiotic"' in r.content.decode()


def _activity(world: World, branch: object, held_on: dt.date, served: int) -> None:
    from hongfan.outreach import services as outreach

    outreach.activity_create(
        actor=world.user(Role.PARTY_OFFICE),
        title="社区高血压义诊",
        kind="free_clinic",
        held_on=held_on,
        place="城关镇文化广场",
        organisation=branch,
        hours=Decimal("3"),
        participants=[world.staff["member_a"], world.staff["plain_a1"]],
        people_served=served,
        examinations=served,
        materials=2 * served,
        fees_waived=Decimal("1000"),
        today=TODAY,
    )


def test_outreach_totals_follow_the_period_and_the_secretary_s_branch(world: World) -> None:
    _activity(world, world.branch_a, dt.date(2024, 12, 31), 50)
    _activity(world, world.branch_a, dt.date(2025, 1, 1), 120)
    _activity(world, world.branch_b, dt.date(2025, 9, 12), 80)
    office = _panels(world, Role.PARTY_OFFICE)["outreach"]
    assert _value(office, "activities") == 2
    assert _value(office, "people_served") == 200
    assert _value(office, "people_served_cumulative") == 250
    assert _value(office, "staff_times") == 4
    assert _value(office, "member_times") == 2  # 赵党员 is a member, 周群众 is not
    assert _value(office, "hours") == Decimal("12")
    secretary = _panels(world, Role.BRANCH_SECRETARY)["outreach"]
    assert _value(secretary, "people_served") == 120  # 外科党支部's 80 are not theirs
    assert _value(secretary, "people_served_cumulative") == 170


def test_honours_count_by_level_and_holder(world: World) -> None:
    from hongfan.outreach import services as outreach

    for level, holder, extra in (
        ("provincial", "branch", {"organisation": world.branch_a}),
        ("city", "person", {"staff": world.staff["member_b"]}),
        ("hospital", "hospital", {"institution": world.hospital}),
    ):
        outreach.honour_create(
            actor=world.user(Role.PARTY_OFFICE),
            title="先进基层党组织",
            level=level,
            holder=holder,
            awarded_by="市委",
            awarded_on=dt.date(2025, 7, 1),
            today=TODAY,
            **extra,
        )
    data = _panels(world, Role.PARTY_OFFICE)["honours"]
    assert [
        _value(data, k) for k in ("total", "national_provincial", "hospital", "branch", "person")
    ] == [
        3,
        1,
        1,
        1,
        1,
    ]
    secretary = _panels(world, Role.BRANCH_SECRETARY)["honours"]
    assert _value(secretary, "total") == 1  # only 内科党支部's own honour
    assert _value(_panels(world, Role.PARTY_OFFICE, Period(2024))["honours"], "total") == 0


def test_satisfaction_is_the_top_box_share_and_hidden_below_the_minimum_sample(
    world: World, settings: object
) -> None:
    from hongfan.voice import services as voice
    from hongfan.voice.models import Survey

    settings.HONGFAN_VOICE_MIN_N_HOSPITAL = 3  # type: ignore[attr-defined]
    survey = voice.survey_create(title="住院患者满意度调查", kind=Survey.Kind.INPATIENT)
    voice.survey_set_status(survey=survey, status=Survey.Status.OPEN)
    questions = list(survey.questions.all())

    def respond(n: int, value: int, day: dt.date) -> None:
        voice.response_submit(
            survey=survey,
            token=f"t-{day}-{n}",
            answers={f"q{q.pk}": value if q.max_value == 5 else 2 * value for q in questions},
            channel="poster",
            questions=questions,
            department=world.dept_a1,
            submitted_at=at(day),
        )

    respond(1, 5, dt.date(2025, 3, 3))
    respond(2, 5, dt.date(2025, 3, 4))
    q1 = _panels(world, Role.PARTY_OFFICE, Period(2025, 1))["satisfaction"]
    assert _value(q1, "responses") == 2
    assert _value(q1, "inpatient_pct") is None  # 2 responses < 3: not published
    respond(3, 5, dt.date(2025, 3, 5))
    respond(4, 4, dt.date(2025, 3, 6))
    data = _panels(world, Role.PARTY_OFFICE, Period(2025, 1))["satisfaction"]
    assert _value(data, "inpatient_pct") == Decimal("75.0")
    assert _value(data, "patients_pct") == Decimal("75.0")
    assert _value(data, "outpatient_pct") is None
    assert data.by_key()["outpatient_pct"].display == "—"


def test_refused_red_envelopes_count_in_the_period_for_the_discipline_office(
    world: World,
) -> None:
    from hongfan.integrity import services as integrity

    for day, amount in ((dt.date(2025, 2, 1), "500.00"), (dt.date(2026, 1, 5), "800.00")):
        integrity.envelope_record(
            actor=world.user(Role.STAFF),
            staff=world.staff["plain_a1"],
            occurred_on=day,
            kind="cash",
            amount=Decimal(amount),
            patient_name="张三丰",
            handling="returned",
        )
    data = _panels(world, Role.DISCIPLINE)["integrity_files"]
    assert _value(data, "envelopes") == 1
    assert _value(data, "envelope_amount") == Decimal("500.00")
    assert "integrity_files" not in _panels(world, Role.PARTY_OFFICE)


# --- clinical indicators (hongfan.clinical) -------------------------------------------------


def _indicator(world: World, month: str, key: str, num: float, den: float, dept=None) -> None:
    """One month × department × doctor aggregate, as a screening run stores it."""
    from hongfan.clinical.models import IndicatorValue

    dept = dept or world.dept_a1
    IndicatorValue.objects.create(
        month=month,
        dept_code=dept.code,
        department=dept,
        doctor_no="D001",
        indicator=key,
        num=num,
        den=den,
    )


def test_clinical_indicators_sum_the_period_s_months_against_the_national_targets(
    world: World,
) -> None:
    _indicator(world, "2025-11", "pct_antibiotic", 30, 100)
    _indicator(world, "2025-12", "pct_antibiotic", 20, 100, dept=world.dept_b1)
    _indicator(world, "2026-01", "pct_antibiotic", 90, 100)  # next year: not counted
    _indicator(world, "2025-12", "abx_rate_outpatient", 50, 200)
    _indicator(world, "2025-12", "pct_essential", 180, 200)
    data = _panels(world, Role.MEDICAL_AFFAIRS)["clinical_indicators"]
    assert data.has_data is True
    assert _value(data, "pct_antibiotic") == Decimal("25.00")  # (30 + 20) / 200
    assert _value(data, "abx_rate_outpatient") == Decimal("25.00")
    assert _value(data, "aud") is None  # nothing imported: "—", not 0
    assert data.by_key()["aud"].display == "—"
    rows = {r["figure"].key: r for r in data.table}
    assert (rows["pct_antibiotic"]["target"], rows["pct_antibiotic"]["meets"]) == ("≤ 30.00%", True)
    assert rows["abx_rate_outpatient"]["meets"] is False  # 25 % > 20 %
    assert (rows["pct_essential"]["target"], rows["pct_essential"]["meets"]) == ("≥ 100.00%", False)
    assert rows["key_drug_share"]["target"] == "—"  # a national indicator without a number
    # Each figure opens the clinical dashboard on the period's latest month with data.
    assert data.by_key()["pct_antibiotic"].url == (
        reverse("clinical:dashboard") + "?month=2025-12&indicator=pct_antibiotic"
    )
    assert rows["pct_antibiotic"]["prescriptions"] == (
        reverse("clinical:prescriptions") + "?month=2025-12&drill=has_antibiotic"
    )
    # The chart: the percentages with a target, bars red when they miss it.
    from hongfan.clinical.rules import INDICATORS_BY_KEY
    from hongfan.cockpit.panels import GREEN, RED

    labels = data.chart["yAxis"]["data"]
    bars = dict(zip(labels, data.chart["series"][0]["data"], strict=True))
    targets = dict(zip(labels, data.chart["series"][1]["data"], strict=True))
    antibiotic = str(INDICATORS_BY_KEY["pct_antibiotic"].label)
    outpatient = str(INDICATORS_BY_KEY["abx_rate_outpatient"].label)
    assert len(labels) == 3  # pct_antibiotic, pct_essential, abx_rate_outpatient
    assert bars[antibiotic] == {"value": 25.0, "itemStyle": {"color": GREEN}}
    assert bars[outpatient] == {"value": 25.0, "itemStyle": {"color": RED[0]}}
    assert (targets[antibiotic], targets[outpatient]) == (30.0, 20.0)
    assert data.chart_urls[labels.index(outpatient)].endswith("indicator=abx_rate_outpatient")
    # A quarter without imported data: the empty state, not a table of dashes.
    q1 = _panels(world, Role.MEDICAL_AFFAIRS, Period(2025, 1))["clinical_indicators"]
    assert q1.has_data is False
    assert _value(q1, "pct_antibiotic") is None


def test_clinical_indicators_follow_the_institution_filter(world: World) -> None:
    from hongfan.org.models import Department

    centre = Department.objects.create(
        institution=world.centre_hospital, code="ZX01", name="全科", category="clinical"
    )
    _indicator(world, "2025-06", "pct_injection", 10, 100)
    _indicator(world, "2025-06", "pct_injection", 40, 100, dept=centre)
    both = _panels(world, Role.PRESIDENT_OFFICE)["clinical_indicators"]
    only = _panels(world, Role.PRESIDENT_OFFICE, institution_id=world.centre_hospital.pk)
    assert _value(both, "pct_injection") == Decimal("25.00")
    assert _value(only["clinical_indicators"], "pct_injection") == Decimal("40.00")


def test_only_roles_that_may_see_clinical_data_get_the_clinical_indicators(
    world: World,
) -> None:
    _indicator(world, "2025-03", "pct_antibiotic", 30, 100)
    for role in (Role.MEDICAL_AFFAIRS, Role.PRESIDENT_OFFICE, Role.DISCIPLINE):
        assert "clinical_indicators" in _panels(world, role), role
    # Neither the Party office nor a branch secretary holds a clinical capability.
    for role in (Role.PARTY_OFFICE, Role.BRANCH_SECRETARY):
        assert "clinical_indicators" not in _panels(world, role), role
    html = _client(world, Role.BRANCH_SECRETARY).get(reverse("cockpit:dashboard")).content
    assert b"clinical_indicators" not in html
    # The secretary cannot name the figures in a report either.
    assert not selectors.registry.get("clinical_indicators").visible_to(  # type: ignore[union-attr]
        world.user(Role.BRANCH_SECRETARY)
    )


def test_the_page_shows_the_clinical_table_and_chart_or_the_empty_state(world: World) -> None:
    c = _client(world, Role.MEDICAL_AFFAIRS)
    html = c.get(reverse("cockpit:dashboard"), {"year": 2025}).content.decode()
    assert 'data-empty="clinical_indicators"' in html
    assert "本期未导入处方数据" in html
    _indicator(world, "2025-12", "pct_antibiotic", 45, 100)
    html = c.get(reverse("cockpit:dashboard"), {"year": 2025}).content.decode()
    assert 'data-testid="table-clinical_indicators"' in html
    assert 'data-testid="chart-clinical_indicators"' in html
    assert 'data-figure="clinical_indicators.pct_antibiotic"' in html
    assert "45.00%" in html
    assert "?month=2025-12&amp;indicator=pct_antibiotic" in html


# --- the panel cache ---------------------------------------------------------------------------


def test_the_page_reuses_a_panel_s_figures_for_a_minute_and_says_when_they_were_computed(
    world: World, settings: object, django_assert_max_num_queries: object
) -> None:
    from django.core.cache import cache

    settings.HONGFAN_COCKPIT_CACHE_SECONDS = 60  # type: ignore[attr-defined]
    due = at(dt.date(2025, 3, 10))
    matter(world, "complaint", opened=at(dt.date(2025, 3, 3)), due=due)
    c = _client(world, Role.PARTY_OFFICE)
    url = reverse("cockpit:dashboard")

    def received(response: object) -> str:
        html = response.content.decode()  # type: ignore[attr-defined]
        start = html.index('data-figure="complaints.received"')
        return html[start:].split("data-value>", 1)[1].split("<", 1)[0]

    first = c.get(url, {"year": 2025})
    assert received(first) == "1"
    assert "数据更新于" in first.content.decode()
    matter(world, "complaint", opened=at(dt.date(2025, 3, 4)), due=due)
    # Within the minute the page shows the figures it computed (no panel query at all) …
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        again = c.get(url, {"year": 2025})
    assert received(again) == "1"
    # … the Excel export and the reports compute afresh …
    ctx = FigureContext(user=world.user(Role.PARTY_OFFICE), period=Y2025, today=TODAY)
    fresh = selectors.figure_values(ctx, ["complaints.received"])
    assert fresh["complaints.received"].value == 2
    # … another period is another entry, and once the entry expires the page recomputes.
    assert received(c.get(url, {"year": 2025, "quarter": 1})) == "2"
    cache.clear()
    assert received(c.get(url, {"year": 2025})) == "2"


def test_the_cache_never_serves_one_scope_s_figures_to_another(
    world: World, settings: object
) -> None:
    from hongfan.core.testing import make_user

    settings.HONGFAN_COCKPIT_CACHE_SECONDS = 60  # type: ignore[attr-defined]
    secretary_b = make_user(
        "secretary_b",
        world.staff["secretary_b"],
        (Role.BRANCH_SECRETARY, {"organisation_id": world.branch_b.pk}),
        (Role.STAFF, {}),
    )
    for n in range(3):
        make_member(make_staff(world.dept_b1, f"外科党员{n}"), world.branch_b)
    office = _panels(world, Role.PARTY_OFFICE)  # fills the office's entries
    assert _value(office["membership"], "members_in_post") == 7

    def members(user: object) -> object:
        ctx = FigureContext(user=user, period=Y2025, today=TODAY)
        data = dict((p.key, d) for p, d in selectors.cockpit(ctx))
        return _value(data["membership"], "members_in_post")

    assert members(world.user(Role.BRANCH_SECRETARY)) == 2  # 内科党支部
    assert members(secretary_b) == 5  # 外科党支部: 王支书, 钱党员 and three new members
    # Same role and scope: the entry is shared.
    key_a = selectors.panel_cache_key(
        registry.get("membership"),  # type: ignore[arg-type]
        FigureContext(user=world.user(Role.BRANCH_SECRETARY), period=Y2025, today=TODAY),
    )
    key_b = selectors.panel_cache_key(
        registry.get("membership"),  # type: ignore[arg-type]
        FigureContext(user=secretary_b, period=Y2025, today=TODAY),
    )
    assert key_a != key_b
