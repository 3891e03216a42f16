"""The official holiday and adjusted-workday calendar (放假调休)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditedModel


class CalendarYear(AuditedModel):
    """A year whose official arrangement is known (seeded or entered by an admin)."""

    class Source(models.TextChoices):
        CHINESE_CALENDAR = "chinese_calendar", _("chinese-calendar package")
        MANUAL = "manual", _("Entered by an administrator")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(AuditedModel):
    """An exception to the Monday–Friday rule: a weekday holiday or a weekend workday.

    ``REGULAR`` is an administrator's override that returns a seeded day to the
    Monday–Friday rule; keeping it as a row (instead of deleting the seeded one) stops the
    next ``seed_holidays`` run from bringing the package's entry back.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Adjusted workday")
        REGULAR = "regular", _("Regular day (Monday–Friday rule)")

    Source = CalendarYear.Source

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("festival"), max_length=40, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=CalendarYear.Source.choices, default="manual"
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
