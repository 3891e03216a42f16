"""Forms of the matter pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.accounts.models import User
from hongfan.loops.models import MatterType
from hongfan.org.models import Department


def _users() -> Any:
    return User.objects.filter(is_active=True, staff__isnull=False).select_related("staff")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        dept = obj.staff.department if obj.staff_id and obj.staff else None  # type: ignore[union-attr]
        return f"{obj.display_name}（{dept}）" if dept else obj.display_name


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return UserChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class MatterCreateForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("Type"),
        queryset=MatterType.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    owner = UserChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    owner_department = forms.ModelChoiceField(
        label=_("Owner department"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    due_date = forms.DateField(
        label=_("Deadline"),
        required=False,
        help_text=_("Leave empty to use the type's default (counted in working days)."),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )

    deadline_days = forms.IntegerField(
        label=_("Deadline in working days"),
        required=False,
        min_value=1,
        max_value=250,
        help_text=_("Counted on the official calendar from today; or pick a date above."),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    participants = UserMultipleChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    participant_departments = forms.ModelMultipleChoiceField(
        label=_("Departments involved"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
    )

    def __init__(self, *args: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types
        users = _users().order_by("staff__department__name", "username")
        self.fields["owner"].queryset = users
        self.fields["participants"].queryset = users
        departments = Department.objects.order_by("name")
        self.fields["owner_department"].queryset = departments
        self.fields["participant_departments"].queryset = departments

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("owner") and not data.get("owner_department"):
            raise forms.ValidationError(_("A matter needs an owner or an owner department."))
        return data


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
    evidence_note = forms.CharField(
        label=_("Evidence note"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class HandOverForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    new_owner = UserChoiceField(
        label=_("New owner"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = _users().order_by("username")


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    text = forms.CharField(
        label=_("Feedback"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )
