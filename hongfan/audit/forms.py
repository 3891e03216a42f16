"""Forms of the audit log pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.audit.models import AuditEntry

CTRL = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
DATE = {"type": "date", "class": "form-control form-control-sm"}


class AuditSearchForm(forms.Form):
    user = forms.CharField(
        label=_("User"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("User name or staff name")}),
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditEntry.Action.choices],
        widget=forms.Select(attrs=SELECT),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("e.g. org.staff")}),
    )
    object_id = forms.CharField(
        label=_("Object id"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("Object id")}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(DATE))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(DATE))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All outcomes")), *AuditEntry.Outcome.choices],
        widget=forms.Select(attrs=SELECT),
    )
    source_ip = forms.CharField(
        label=_("Source address"),
        required=False,
        max_length=45,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("Source address")}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data
