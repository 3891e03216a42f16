from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is wrong. After 5 failures the account is locked for "
            "5 minutes."
        ),
        "inactive": _("This account is disabled."),
    }


class OTPTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the 6 digits shown by your authenticator.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
