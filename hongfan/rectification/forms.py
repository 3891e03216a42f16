"""Forms of the rectification pages (rules live in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.accounts.models import User
from hongfan.org.models import Department
from hongfan.rectification.models import Inspection

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"class": "form-control", "type": "date"}


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, widget=forms.TextInput(TEXT))
    source_kind = forms.ChoiceField(
        label=_("source"), choices=Inspection.SourceKind.choices, widget=forms.Select(SELECT)
    )
    inspecting_body = forms.CharField(
        label=_("inspecting body"), max_length=200, widget=forms.TextInput(TEXT)
    )
    conducted_on = forms.DateField(label=_("date"), widget=forms.DateInput(DATE))
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea({**TEXT, "rows": 3})
    )


class ProblemForm(forms.Form):
    description = forms.CharField(
        label=_("problem found"), widget=forms.Textarea({**TEXT, "rows": 2})
    )
    department = forms.ModelChoiceField(
        label=_("department concerned"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("code")


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        dept = obj.staff.department.name if obj.staff.department_id else ""
        return f"{obj.staff.name}（{dept}）" if dept else obj.staff.name


class TaskForm(forms.Form):
    owner = OwnerChoiceField(
        label=_("person responsible"), queryset=User.objects.none(), widget=forms.Select(SELECT)
    )
    owner_department = forms.ModelChoiceField(
        label=_("department responsible"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Leave empty to use the department of the person responsible."),
        widget=forms.Select(SELECT),
    )
    measures = forms.CharField(label=_("measures"), widget=forms.Textarea({**TEXT, "rows": 3}))
    deadline = forms.DateField(label=_("deadline"), widget=forms.DateInput(DATE))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, staff__isnull=False)
            .select_related("staff__department")
            .order_by("staff__department__name", "staff__name")
        )
        self.fields["owner_department"].queryset = Department.objects.order_by("code")
