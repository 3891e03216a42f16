"""Forms of energy monitoring."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.energy.models import Meter
from hongfan.org.models import Department


class MeterForm(forms.ModelForm):
    class Meta:
        model = Meter
        fields = [
            "code",
            "name",
            "scope",
            "building",
            "department",
            "device",
            "margin_percent",
            "night_ratio_percent",
            "spike_factor",
            "spike_min_kwh",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("code")
        for name, f in self.fields.items():
            if name == "is_active":
                continue
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs["class"] = css


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Readings file (CSV)"),
        help_text=_(
            "Columns 表号, 时间, 读数: the meter number, the time at the end of each "
            "15-minute interval and the register reading in kWh."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,text/csv"}),
    )


class DetectForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end is before the start."))
            if end - start > dt.timedelta(days=400):
                raise forms.ValidationError(_("Detect at most 400 days at a time."))
        return data


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Closing note"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
