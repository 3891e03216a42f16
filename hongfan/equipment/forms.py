"""Forms of the equipment pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.equipment.models import AdverseEvent, Device, Maintenance, QualityCheck
from hongfan.org.models import Department

DATE = {"type": "date"}


def _style(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
        f.widget.attrs.setdefault("class", css)


class DeviceForm(forms.ModelForm):
    class Meta:
        model = Device
        fields = [
            "asset_no",
            "name",
            "model",
            "manufacturer",
            "serial_no",
            "category",
            "department",
            "location",
            "purchased_on",
            "price",
            "service_life_years",
            "maintenance_interval_months",
            "check_interval_months",
        ]
        widgets = {"purchased_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by(
            "code"
        )
        _style(self)


class MaintenanceForm(forms.ModelForm):
    class Meta:
        model = Maintenance
        fields = ["kind", "done_on", "engineer", "fault", "work_done", "cost", "downtime_hours"]
        widgets = {
            "done_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "work_done": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class CheckForm(forms.ModelForm):
    class Meta:
        model = QualityCheck
        fields = ["kind", "checked_on", "result", "inspector", "certificate_no", "findings"]
        widgets = {
            "checked_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "findings": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class EventForm(forms.ModelForm):
    class Meta:
        model = AdverseEvent
        fields = [
            "occurred_on",
            "discovered_on",
            "severity",
            "description",
            "patient_harm",
            "measures",
        ]
        widgets = {
            "occurred_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "discovered_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def validate_constraints(self, exclude: Any = None) -> None:
        # The service checks the dates against the device and reports them on the fields.
        return


class RevenueForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    amount = forms.DecimalField(
        label=_("Revenue (yuan)"), max_digits=14, decimal_places=2, min_value=0
    )
    uses = forms.IntegerField(label=_("Examinations / uses"), min_value=0, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ScrapForm(forms.Form):
    scrapped_on = forms.DateField(
        label=_("Scrapped on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Reason for scrapping"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
