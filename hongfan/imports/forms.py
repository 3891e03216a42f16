from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.imports.models import ImportRun


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.csv,text/csv"}
        ),
    )


class RunFilterForm(forms.Form):
    q = forms.CharField(
        label=_("File name"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("File name")}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All outcomes")), *ImportRun.Outcome.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: object, kinds: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]  # type: ignore[attr-defined]
