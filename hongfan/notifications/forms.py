from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.notifications import kinds
from hongfan.notifications.models import KindPreference, Notification, Preference


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Also send e-mail"), required=False)
    webhook = forms.ChoiceField(
        label=_("Group robot"),
        choices=Preference.Webhook.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    webhook_url = forms.CharField(
        label=_("Robot webhook address"),
        required=False,
        help_text=_("Leave empty to keep the stored address."),
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    webhook_secret = forms.CharField(
        label=_("Robot signing secret (DingTalk)"),
        required=False,
        help_text=_("Leave empty to keep the stored secret."),
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    min_level = forms.ChoiceField(
        label=_("Send outside the inbox from level"),
        choices=Notification.Level.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class KindPreferenceForm(forms.Form):
    """One choice of channels per kind of notification (empty: follow the default)."""

    PREFIX = "kind_"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [("", _("Default (as above)")), *KindPreference.Channels.choices]
        for code, label in kinds.choices():
            self.fields[self.PREFIX + code] = forms.ChoiceField(
                label=label,
                choices=options,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def choices(self) -> dict[str, str]:
        return {
            name.removeprefix(self.PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(self.PREFIX)
        }
