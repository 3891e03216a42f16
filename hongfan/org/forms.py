"""Forms for departments and staff. Validation beyond field types lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.org.models import Department, DisciplineCentre, Institution, Staff


class BootstrapMixin:
    """Give every widget the Bootstrap class it needs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DepartmentForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["institution", "code", "name", "category", "centre", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(is_active=True)
        self.fields["centre"].queryset = DisciplineCentre.objects.select_related("institution")


class StaffForm(BootstrapMixin, forms.ModelForm):
    """Staff fields; the ID-card number and phone are write-only here (blank keeps them)."""

    id_card_input = forms.CharField(
        label=_("ID-card number"), max_length=18, required=False, strip=True
    )
    phone_input = forms.CharField(label=_("phone"), max_length=20, required=False, strip=True)
    # The service reports errors of these under their model names.
    service_field_names = {"id_card": "id_card_input", "phone": "phone_input"}

    class Meta:
        model = Staff
        fields = [
            "institution",
            "employee_no",
            "name",
            "gender",
            "birth_date",
            "department",
            "post_category",
            "title_level",
            "education",
            "is_department_head",
            "political_status",
            "employment_status",
            "hired_on",
            "left_on",
        ]
        widgets = {
            "birth_date": DateInput(),
            "hired_on": DateInput(),
            "left_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.select_related(
            "institution"
        ).filter(is_active=True)
        self.fields["institution"].queryset = Institution.objects.filter(is_active=True)
        # The order of the write-only fields: right after the birth date.
        order = list(self.fields)
        for name in ("phone_input", "id_card_input"):
            order.remove(name)
            order.insert(order.index("birth_date") + 1, name)
        self.order_fields(order)
        if self.instance.pk:
            keep = _("Leave blank to keep %(value)s.")
            self.fields["id_card_input"].help_text = keep % {
                "value": self.instance.masked_id_card or "—"
            }
            self.fields["phone_input"].help_text = keep % {
                "value": self.instance.masked_phone or "—"
            }
            if hasattr(self.instance, "party_member"):
                self.fields["political_status"].disabled = True
                self.fields["political_status"].help_text = _("Follows the Party member record.")

    def _post_clean(self) -> None:
        # Model validation runs in the service (with the ID card and phone it checks).
        pass

    def service_values(self) -> dict[str, Any]:
        values = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        if self.cleaned_data.get("id_card_input") or not self.instance.pk:
            values["id_card"] = self.cleaned_data.get("id_card_input", "")
        if self.cleaned_data.get("phone_input") or not self.instance.pk:
            values["phone"] = self.cleaned_data.get("phone_input", "")
        return values


class StaffFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False
    )
    post_category = forms.ChoiceField(
        label=_("post category"),
        choices=[("", _("All post categories")), *Staff.PostCategory.choices],
        required=False,
    )
    title_level = forms.ChoiceField(
        label=_("professional title level"),
        choices=[("", _("All title levels")), *Staff.TitleLevel.choices],
        required=False,
    )
    education = forms.ChoiceField(
        label=_("education"),
        choices=[("", _("All education levels")), *Staff.Education.choices],
        required=False,
    )
    political_status = forms.ChoiceField(
        label=_("political status"),
        choices=[("", _("All political statuses")), *Staff.PoliticalStatus.choices],
        required=False,
    )
    employment_status = forms.ChoiceField(
        label=_("employment status"),
        choices=[("", _("All employment statuses")), *Staff.EmploymentStatus.choices],
        required=False,
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        self.fields["department"].empty_label = _("All departments")
