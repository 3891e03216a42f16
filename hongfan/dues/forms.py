"""Forms of Party dues."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.dues.models import DuesPayment

CTRL = {"class": "form-control"}
SELECT = {"class": "form-select"}
MONTH = {"type": "month", "class": "form-control"}
DATE = {"type": "date", "class": "form-control"}


class MonthField(forms.DateField):
    """A ``<input type=month>`` value (YYYY-MM) as the first day of the month."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs=MONTH, format="%Y-%m"))
        super().__init__(**kwargs)


class LedgerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("Name or employee number")}),
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        required=False,
        queryset=None,
        empty_label=_("All branches"),
        widget=forms.Select(attrs=SELECT),
    )
    month = MonthField(label=_("Month"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("paid", _("Paid")), ("unpaid", _("Unpaid"))],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, branches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class ArrearsFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("Name or employee number")}),
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        required=False,
        queryset=None,
        empty_label=_("All branches"),
        widget=forms.Select(attrs=SELECT),
    )
    level = forms.ChoiceField(
        label=_("Warning level"),
        required=False,
        choices=[
            ("", _("All members in arrears")),
            ("warned", _("3 months or more")),
            ("lapsed", _("6 months or more")),
        ],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, branches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class SummaryFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=CTRL)
    )
    month = forms.IntegerField(
        label=_("Month"),
        required=False,
        min_value=1,
        max_value=12,
        widget=forms.NumberInput(attrs=CTRL),
    )


class PaymentForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Member"), queryset=None, widget=forms.Select(attrs=SELECT)
    )
    first_month = MonthField(label=_("First month covered"))
    last_month = MonthField(label=_("Last month covered"), required=False)
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**CTRL, "step": "0.01"}),
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs=DATE))
    method = forms.ChoiceField(
        label=_("Method"), choices=DuesPayment.Method.choices, widget=forms.Select(attrs=SELECT)
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=200, widget=forms.TextInput(attrs=CTRL)
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs=CTRL)
    )
