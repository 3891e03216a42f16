"""Forms of the cockpit: filters, report templates, report generation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongfan.cockpit.models import ReportKind, ReportTemplate


def year_choices() -> list[tuple[int, int]]:
    this = timezone.localdate().year
    return [(y, y) for y in range(this, this - 6, -1)]


QUARTERS = [("", _("Whole year"))] + [(q, _("Q%(q)s") % {"q": q}) for q in range(1, 5)]


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, required=False, empty_value=None, choices=QUARTERS
    )
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None, required=False)

    def __init__(self, *args: Any, institutions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        if institutions is None:
            del self.fields["institution"]
        else:
            self.fields["institution"].queryset = institutions
            self.fields["institution"].empty_label = _("All institutions")
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select form-select-sm"


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ReportTemplate
        fields = ["name", "kind", "title", "body", "is_active"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "kind": forms.Select(attrs={"class": "form-select"}),
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "body": forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 24}),
            "is_active": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }


class GenerateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=None)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=QUARTERS,
        help_text=_("Only for quarterly reports."),
    )
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None, required=False)

    def __init__(self, *args: Any, institutions: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates.filter(is_active=True)
        self.fields["year"].choices = year_choices()
        self.fields["institution"].queryset = institutions
        self.fields["institution"].empty_label = _("Whole hospital (all institutions)")
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        t = data.get("template")
        if t and t.kind == ReportKind.QUARTERLY and not data.get("quarter"):
            self.add_error("quarter", _("Choose the quarter of a quarterly report."))
        return data
