"""Working days counted with the official calendar, at the edges of the 2026 National Day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from hongfan.workdays import services
from hongfan.workdays.models import CalendarDay, CalendarYear

D = dt.date


@pytest.fixture
def seeded(db: None) -> None:
    call_command("seed_holidays", stdout=io.StringIO())
    services.clear_cache()


def test_the_package_gives_the_real_2026_national_day_arrangement(seeded: None) -> None:
    # 国办发明电: 10月1日至7日放假调休，9月20日（周日）、10月10日（周六）上班.
    holidays = set(
        CalendarDay.objects.filter(
            kind=CalendarDay.Kind.HOLIDAY, date__range=(D(2026, 9, 1), D(2026, 10, 31))
        ).values_list("date", flat=True)
    )
    assert {D(2026, 10, d) for d in range(1, 8)} <= holidays
    assert D(2026, 10, 8) not in holidays
    workdays = CalendarDay.objects.filter(kind=CalendarDay.Kind.WORKDAY, date__year=2026)
    assert {D(2026, 9, 20), D(2026, 10, 10)} <= set(workdays.values_list("date", flat=True))
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"


def test_five_working_days_after_30_september_2026_skip_the_holiday(seeded: None) -> None:
    # 10-08 Thu, 10-09 Fri, 10-10 Sat (adjusted workday), 10-12 Mon, 10-13 Tue.
    assert services.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)


def test_the_adjusted_workdays_count_and_the_holiday_does_not(seeded: None) -> None:
    assert services.is_working_day(D(2026, 9, 20))  # Sunday, 调休上班
    assert services.is_working_day(D(2026, 10, 10))  # Saturday, 调休上班
    assert not services.is_working_day(D(2026, 10, 5))  # Monday inside the holiday
    assert not services.is_working_day(D(2026, 10, 11))  # ordinary Sunday


def test_a_deadline_the_day_before_the_holiday(seeded: None) -> None:
    # One working day after Tue 29 Sep is Wed 30 Sep, the last day before the holiday.
    assert services.add_working_days(D(2026, 9, 29), 1) == D(2026, 9, 30)
    # Two working days after it jump over the whole holiday.
    assert services.add_working_days(D(2026, 9, 29), 2) == D(2026, 10, 8)


def test_a_deadline_the_day_after_the_holiday(seeded: None) -> None:
    # Counting from the last holiday day: the first working day is Thu 8 Oct.
    assert services.add_working_days(D(2026, 10, 7), 1) == D(2026, 10, 8)
    # A start inside the holiday with zero days moves to the next working day.
    assert services.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)
    assert services.working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1


def test_negative_days_count_backwards_over_the_holiday(seeded: None) -> None:
    assert services.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)


def test_a_year_without_data_falls_back_to_monday_to_friday_with_a_warning(
    seeded: None,
) -> None:
    # 2027: no official data; 1 Oct 2027 is a Friday and counts as a working day.
    assert services.is_working_day(D(2027, 10, 1))
    assert services.add_working_days(D(2027, 9, 30), 5) == D(2027, 10, 7)
    warning = services.coverage_warning(D(2027, 9, 30))
    assert warning is not None and "2027" in warning
    assert services.coverage_warning(D(2026, 9, 30)) is None


def test_seeding_twice_gives_the_same_rows(seeded: None) -> None:
    first = sorted(CalendarDay.objects.values_list("date", "kind", "name", "source"))
    years = sorted(CalendarYear.objects.values_list("year", "source"))
    result = services.calendar_seed_from_package()
    assert (result.created, result.updated) == (0, 0)
    assert sorted(CalendarDay.objects.values_list("date", "kind", "name", "source")) == first
    assert sorted(CalendarYear.objects.values_list("year", "source")) == years
    assert years[-1] == (2026, "chinese_calendar")


def test_an_administrators_edit_survives_reseeding(seeded: None) -> None:
    services.calendar_day_set(day=D(2026, 10, 8), kind=CalendarDay.Kind.HOLIDAY, name="院庆")
    services.calendar_day_set(day=D(2026, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆")
    services.calendar_day_remove(day=D(2026, 10, 10))  # seeded workday: kept as an override
    result = services.calendar_seed_from_package()
    assert result.kept >= 2
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆"
    assert CalendarDay.objects.get(date=D(2026, 10, 8)).name == "院庆"
    override = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert override.kind == CalendarDay.Kind.REGULAR
    services.clear_cache()
    assert not services.is_working_day(D(2026, 10, 10))  # a plain Saturday again


def test_a_package_correction_reaches_seeded_rows(seeded: None) -> None:
    CalendarDay.objects.filter(date=D(2026, 10, 1)).update(name="old name")
    result = services.calendar_seed_from_package()
    assert result.updated == 1
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"


@pytest.mark.django_db(transaction=True)
def test_an_edit_clears_the_cached_calendar() -> None:
    services.clear_cache()
    assert services.is_working_day(D(2027, 10, 4))  # Monday, cached as working
    services.calendar_day_set(day=D(2027, 10, 4), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    assert not services.is_working_day(D(2027, 10, 4))  # no waiting for the cache to expire
    services.calendar_day_remove(day=D(2027, 10, 4))
    assert services.is_working_day(D(2027, 10, 4))


@pytest.mark.django_db(transaction=True)
def test_marking_a_year_removes_the_fallback_warning() -> None:
    services.clear_cache()
    assert services.coverage_warning(D(2027, 1, 4)) is not None
    services.calendar_year_set(year=2027, note="国办发明电〔2026〕")
    assert services.coverage_warning(D(2027, 1, 4)) is None
    services.calendar_year_remove(year=2027)
    assert services.coverage_warning(D(2027, 1, 4)) is not None


def test_an_adjusted_workday_on_a_weekday_is_refused(db: None) -> None:
    with pytest.raises(ValidationError) as exc:
        services.calendar_day_set(day=D(2027, 10, 4), kind=CalendarDay.Kind.WORKDAY)
    assert "kind" in exc.value.message_dict
    assert not CalendarDay.objects.filter(date=D(2027, 10, 4)).exists()


def test_the_seed_is_audited(seeded: None) -> None:
    from hongfan.audit.models import AuditEntry

    assert AuditEntry.objects.filter(object_type="workdays.calendarday").exists()
