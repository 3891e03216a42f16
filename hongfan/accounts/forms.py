from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from hongfan.accounts.models import User
from hongfan.accounts.roles import Role
from hongfan.org.models import Department, Staff
from hongfan.party.models import PartyOrganisation


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


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class _NewPasswordMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The user must change it at the first sign-in."),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class UserCreateForm(_NewPasswordMixin):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Letters, digits and @/./+/-/_ only.")},
    )
    employee_no = forms.CharField(
        label=_("Employee number"),
        max_length=32,
        required=False,
        help_text=_("Links the account to a staff record. Leave empty for a pure IT account."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    field_order = ["username", "employee_no", "email", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username

    def clean_employee_no(self) -> Staff | None:
        number = self.cleaned_data["employee_no"].strip()
        if not number:
            return None
        matches = list(Staff.objects.filter(employee_no=number)[:2])
        if not matches:
            raise forms.ValidationError(_("No staff record has this employee number."))
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several institutions use this employee number; ask IT to link it.")
            )
        if User.objects.filter(staff=matches[0]).exists():
            raise forms.ValidationError(_("This staff member already has an account."))
        return matches[0]


class PasswordResetForm(_NewPasswordMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("Temporary password")
        self.fields["password2"].label = _("Temporary password again")
        _bootstrap(self)


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Party organisation"),
        queryset=PartyOrganisation.objects.none(),
        required=False,
        help_text=_("Only for the branch secretary role."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Only for the department head role."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = PartyOrganisation.objects.order_by("code")
        self.fields["department"].queryset = Department.objects.select_related(
            "institution"
        ).order_by("institution__code", "code")
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("role")
        if role == Role.BRANCH_SECRETARY and not data.get("organisation"):
            self.add_error("organisation", _("A branch secretary role needs a Party organisation."))
        if role == Role.DEPARTMENT_HEAD and not data.get("department"):
            self.add_error("department", _("A department head role needs a department."))
        return data


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Disabled"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.fields["q"].widget.attrs["placeholder"] = _("User name, name or employee number")
