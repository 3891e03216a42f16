from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.notifications.models import Notification, Preference


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
