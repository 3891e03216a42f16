"""Forms of the clinical pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.clinical import schema
from hongfan.clinical.models import ColumnProfile, Finding

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month(value: str) -> str:
    value = (value or "").strip()
    if not MONTH_RE.match(value):
        raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-03."))
    return value


def dataset_choices() -> list[tuple[str, Any]]:
    return [(d.key, d.label) for d in schema.DATASETS.values()]


class ImportForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Dataset"), choices=dataset_choices)
    period = forms.CharField(
        label=_("Import period"),
        required=False,
        max_length=7,
        help_text=_(
            "YYYY-MM for a month or YYYY for a year; every date in the file must fall into it (not needed for the drug dictionary)."  # noqa: E501
        ),
    )
    profile = forms.ModelChoiceField(
        label=_("Column-mapping profile"),
        queryset=ColumnProfile.objects.all(),
        required=False,
        empty_label=_("Default headers (处方号, 开方医生, 药品名称 …)"),
    )
    file = forms.FileField(label=_("File (CSV, Excel .xlsx or Parquet)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = (
                "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ds = schema.DATASETS.get(data.get("dataset", ""))
        period = (data.get("period") or "").strip()
        if ds and ds.date_column and not re.match(r"^\d{4}(-(0[1-9]|1[0-2]))?$", period):
            self.add_error(
                "period", _("Give the import period as YYYY-MM (a month) or YYYY (a year).")
            )
        profile = data.get("profile")
        if ds and profile and profile.dataset != ds.key:
            self.add_error("profile", _("This profile belongs to another dataset."))
        data["period"] = period
        return data


class ProfileForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Dataset"), choices=dataset_choices)
    name = forms.CharField(
        label=_("Profile name"), max_length=60, help_text=_("e.g. the hospital and HIS vendor")
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    mapping = forms.CharField(
        label=_("Column headers"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One line per column: the standard header, an equals sign, your export's header — e.g. 开方医生=医师工号. Lines left out use the standard header."  # noqa: E501
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = (
                "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ds = schema.DATASETS.get(data.get("dataset", ""))
        if not ds or "mapping" not in data:
            return data
        by_header = {c.header: c.name for c in ds.columns}
        mapping: dict[str, str] = {}
        for n, line in enumerate(data["mapping"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            if "=" not in line:
                self.add_error("mapping", _("Line %(n)d: write 标准列名=文件列名.") % {"n": n})
                continue
            std, theirs = (x.strip() for x in line.split("=", 1))
            if std not in by_header:
                self.add_error(
                    "mapping",
                    _("Line %(n)d: “%(h)s” is not a standard header of this dataset.")
                    % {"n": n, "h": std},
                )
                continue
            mapping[by_header[std]] = theirs
        data["mapping_dict"] = mapping
        return data


class MonthForm(forms.Form):
    month = forms.CharField(label=_("Month"), max_length=7)
    backend = forms.ChoiceField(
        label=_("Engine"),
        choices=[("duckdb", _("DuckDB (embedded)")), ("pyspark", _("Spark"))],
        required=False,
    )

    def clean_month(self) -> str:
        return _month(self.cleaned_data["month"])


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (Finding.Status.CONFIRMED, _("Confirm")),
            (Finding.Status.OVERRIDDEN, _("Override")),
        ]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class AddFindingForm(forms.Form):
    rx_no = forms.CharField(label=_("Prescription"), max_length=40)
    category = forms.ChoiceField(label=_("Category"), choices=Finding.Category.choices)
    note = forms.CharField(
        label=_("Problem found"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args: Any, rx_choices: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if rx_choices:
            self.fields["rx_no"] = forms.ChoiceField(
                label=_("Prescription"), choices=[(r, r) for r in rx_choices]
            )
        for f in self.fields.values():
            f.widget.attrs["class"] = (
                "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            )


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ParameterForm(forms.Form):
    key = forms.CharField(max_length=60)
    value = forms.CharField(max_length=500)
