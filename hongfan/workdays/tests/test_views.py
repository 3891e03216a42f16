"""Pages of the working-day calendar as their users see them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hongfan.accounts.roles import Role
from hongfan.audit.models import AuditEntry
from hongfan.core.testing import World, login
from hongfan.workdays import services
from hongfan.workdays.models import CalendarDay, CalendarYear

D = dt.date


@pytest.fixture
def seeded(world: World) -> World:
    call_command("seed_holidays", stdout=io.StringIO())
    services.clear_cache()
    return world


def _client(world: World, role: str) -> Client:
    return login(Client(), world.user(role))


def test_the_year_page_marks_the_national_day_holiday_and_the_adjusted_workday(
    seeded: World,
) -> None:
    response = _client(seeded, Role.STAFF).get(reverse("workdays:year"), {"year": 2026})
    html = response.content.decode()
    assert 'class="hf-holiday" data-date="2026-10-01"' in html
    assert 'class="hf-workday" data-date="2026-10-10"' in html
    assert 'class="hf-rest" data-date="2026-10-11"' in html
    assert "国庆节" in html
    assert 'data-testid="coverage-warning"' not in html
    national_day = next(r for r in response.context["entries"] if r["start"] == D(2026, 10, 1))
    assert (national_day["end"], national_day["days"]) == (D(2026, 10, 7), 7)


def test_a_year_without_data_shows_the_fallback_warning(seeded: World) -> None:
    response = _client(seeded, Role.STAFF).get(reverse("workdays:year"), {"year": 2027})
    html = response.content.decode()
    assert 'data-testid="coverage-warning"' in html
    assert "2027" in html
    assert 'class="" data-date="2027-10-01"' in html  # a Friday, working
    assert "标记" not in html  # plain staff get no mark button


def test_the_year_page_costs_a_fixed_number_of_queries(
    seeded: World, django_assert_max_num_queries: object
) -> None:
    client = _client(seeded, Role.PARTY_OFFICE)
    client.get(reverse("workdays:year"), {"year": 2026})  # warm the session
    services.clear_cache()
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse("workdays:year"), {"year": 2026})
    assert response.status_code == 200


def test_the_calculator_answers_five_working_days_after_30_september(seeded: World) -> None:
    response = _client(seeded, Role.STAFF).get(
        reverse("workdays:calculator"), {"start": "2026-09-30", "days": 5}
    )
    html = response.content.decode()
    assert "2026-10-13" in html
    assert 'data-testid="coverage-warning"' not in html


def test_the_calculator_warns_for_a_year_without_data(seeded: World) -> None:
    response = _client(seeded, Role.STAFF).get(
        reverse("workdays:calculator"), {"start": "2027-09-30", "days": 5}
    )
    html = response.content.decode()
    assert "2027-10-07" in html
    assert 'data-testid="coverage-warning"' in html


def test_the_day_list_searches_filters_and_pages(seeded: World) -> None:
    client = _client(seeded, Role.SYSTEM_ADMIN)
    url = reverse("workdays:day_list")
    html = client.get(url, {"q": "国庆", "year": 2026}).content.decode()
    assert "2026-10-01" in html and "2025-10-01" not in html
    html = client.get(url, {"year": 2026, "kind": "workday"}).content.decode()
    assert "2026-10-10" in html and "2026-10-01" not in html
    html = client.get(url, {"q": "2026-09-20"}).content.decode()
    assert "2026-09-20" in html and "2026-10-10" not in html
    page = client.get(url).context["page_obj"]
    assert page.paginator.num_pages > 1 and len(page.object_list) == 50
    html = client.get(url, {"q": "no such festival"}).content.decode()
    assert "No calendar day matches" in html or "没有" in html


def test_the_day_list_costs_a_fixed_number_of_queries(
    seeded: World, django_assert_max_num_queries: object
) -> None:
    client = _client(seeded, Role.SYSTEM_ADMIN)
    client.get(reverse("workdays:day_list"))
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        client.get(reverse("workdays:day_list"))


def test_the_excel_export_holds_the_filtered_days_and_is_audited(seeded: World) -> None:
    client = _client(seeded, Role.PARTY_OFFICE)
    response = client.get(reverse("workdays:day_list"), {"year": 2026, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 1 + CalendarDay.objects.filter(date__year=2026).count()
    assert any(r[3] == "国庆节" for r in rows[1:])
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_type="workdays.calendarday"
    ).exists()


def test_an_admin_adds_edits_and_removes_a_day_of_a_new_year(seeded: World) -> None:
    client = _client(seeded, Role.SYSTEM_ADMIN)
    response = client.post(
        reverse("workdays:day_create"), {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=D(2027, 10, 1))
    assert day.source == CalendarYear.Source.MANUAL
    assert not services.is_working_day(D(2027, 10, 1))
    client.post(
        reverse("workdays:day_edit", args=[day.pk]),
        {"date": "2027-10-04", "kind": "holiday", "name": "国庆节"},
    )
    assert not CalendarDay.objects.filter(date=D(2027, 10, 1)).exists()
    assert not services.is_working_day(D(2027, 10, 4))
    day = CalendarDay.objects.get(date=D(2027, 10, 4))
    client.post(reverse("workdays:day_delete", args=[day.pk]))
    assert not CalendarDay.objects.filter(date=D(2027, 10, 4)).exists()
    assert services.is_working_day(D(2027, 10, 4))


def test_an_adjusted_workday_on_a_weekday_is_refused_in_chinese(seeded: World) -> None:
    client = _client(seeded, Role.SYSTEM_ADMIN)
    response = client.post(
        reverse("workdays:day_create"), {"date": "2027-10-04", "kind": "workday", "name": ""}
    )
    assert response.status_code == 200
    assert "调休上班日必须是星期六或星期日" in response.content.decode()
    assert not CalendarDay.objects.filter(date=D(2027, 10, 4)).exists()


def test_marking_a_year_as_entered_removes_the_warning(seeded: World) -> None:
    client = _client(seeded, Role.PARTY_OFFICE)
    client.post(reverse("workdays:year_mark", args=[2027]), {"note": "国办发明电"})
    html = client.get(reverse("workdays:year"), {"year": 2027}).content.decode()
    assert 'data-testid="coverage-warning"' not in html
    assert CalendarYear.objects.get(year=2027).source == CalendarYear.Source.MANUAL
    client.post(reverse("workdays:year_mark", args=[2027]), {"action": "unmark"})
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_second_entry_for_the_same_date_is_refused(seeded: World) -> None:
    client = _client(seeded, Role.SYSTEM_ADMIN)
    response = client.post(
        reverse("workdays:day_create"), {"date": "2026-10-01", "kind": "holiday", "name": "x"}
    )
    assert "该日期已有记录" in response.content.decode()
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    other = CalendarDay.objects.get(date=D(2026, 10, 2))
    response = client.post(
        reverse("workdays:day_edit", args=[other.pk]),
        {"date": "2026-10-01", "kind": "holiday", "name": "x"},
    )
    assert response.status_code == 200
    assert CalendarDay.objects.filter(date=D(2026, 10, 2)).exists()
