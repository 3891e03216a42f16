"""Forms of the logistics service (mobile-first: large controls, few fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.accounts.models import User
from hongfan.logistics.models import Category, ServiceTeam, Urgency


def _people() -> Any:
    return (
        User.objects.filter(is_active=True, staff__isnull=False)
        .select_related("staff")
        .order_by("staff__name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class WorkOrderForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of service"),
        choices=Category.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    title = forms.CharField(
        label=_("What is needed"),
        max_length=120,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "placeholder": _("e.g. the tap in the sluice room leaks"),
            }
        ),
    )
    location = forms.CharField(
        label=_("Place"),
        max_length=120,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "placeholder": _("building, floor, room or bed"),
            }
        ),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.Select(attrs={"class": "form-select form-select-lg"}),
    )
    description = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=11,
        widget=forms.TextInput(attrs={"class": "form-control form-control-lg", "inputmode": "tel"}),
    )


class DispatchForm(forms.Form):
    assignee = PersonChoiceField(
        label=_("Worker"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, team: ServiceTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = {team.leader_id, *team.members.values_list("pk", flat=True)}
        self.fields["assignee"].queryset = _people().filter(pk__in=ids)


class FinishForm(forms.Form):
    result = forms.CharField(
        label=_("Result"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("What was done, parts replaced, anything the requester should know."),
    )
    photo = forms.FileField(
        label=_("Photo or document (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.TextInput(attrs={"class": "form-control"})
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=60, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=Category.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    leader = PersonChoiceField(
        label=_("Team leader"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    members = PeopleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
    )
    phone = forms.CharField(
        label=_("Duty phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _people()
        self.fields["members"].queryset = _people()
