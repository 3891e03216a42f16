"""Forms of the working-day calendar."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.workdays.models import CalendarDay, CalendarYear

CTRL = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"type": "date", "class": "form-control"}


class DayFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("Festival or date")}),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1900,
        max_value=2200,
        widget=forms.NumberInput(attrs={**CTRL, "placeholder": _("Year")}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *CalendarDay.Kind.choices],
        widget=forms.Select(attrs=SELECT),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("All sources")), *CalendarYear.Source.choices],
        widget=forms.Select(attrs=SELECT),
    )


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CalendarDay.Kind.choices, widget=forms.Select(attrs=SELECT)
    )
    name = forms.CharField(
        label=_("Festival"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("e.g. 国庆节")}),
    )


class YearMarkForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("e.g. 国办发明电〔2026〕… notice")}),
    )


class CalculatorForm(forms.Form):
    start = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=-366,
        max_value=366,
        initial=5,
        widget=forms.NumberInput(attrs=CTRL),
    )
