"""Forms of the outreach pages (field parsing only; the rules live in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.org.models import Department, Institution, Staff
from hongfan.outreach.models import Activity, DutyShift, Honour, TaskTeam
from hongfan.party.models import PartyMember, PartyOrganisation

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"class": "form-control", "type": "date"}
NUMBER = {"class": "form-control", "min": 0, "inputmode": "numeric"}


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.department.name}）"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.department.name}）"


def staff_queryset() -> Any:
    return (
        Staff.objects.filter(left_on__isnull=True)
        .select_related("department")
        .order_by("department__code", "name")
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput({"class": "form-control", "accept": "image/*"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ActivityForm(forms.ModelForm):
    participants = StaffMultipleChoiceField(
        label=_("staff taking part"),
        queryset=Staff.objects.none(),
        widget=forms.SelectMultiple({**SELECT, "size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several people."),
    )
    photos = MultipleFileField(label=_("photos"), required=False)

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "held_on",
            "place",
            "organisation",
            "departments",
            "hours",
            "people_served",
            "people_cap",
            "examinations",
            "materials",
            "fees_waived",
            "partners",
            "summary",
        ]
        widgets = {
            "title": forms.TextInput(TEXT),
            "kind": forms.Select(SELECT),
            "held_on": forms.DateInput(DATE, format="%Y-%m-%d"),
            "place": forms.TextInput(TEXT),
            "organisation": forms.Select(SELECT),
            "departments": forms.SelectMultiple({**SELECT, "size": 4}),
            "hours": forms.NumberInput({**TEXT, "step": "0.5", "min": "0.5", "max": "24"}),
            "people_served": forms.NumberInput(NUMBER),
            "people_cap": forms.NumberInput(NUMBER),
            "examinations": forms.NumberInput(NUMBER),
            "materials": forms.NumberInput(NUMBER),
            "fees_waived": forms.NumberInput({**NUMBER, "step": "0.01"}),
            "partners": forms.TextInput(TEXT),
            "summary": forms.Textarea({**TEXT, "rows": 3}),
        }

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = staff_queryset()
        self.fields["organisation"].queryset = (
            (
                organisations
                if organisations is not None
                else PartyOrganisation.objects.exclude(kind=PartyOrganisation.Kind.GROUP)
            )
            .filter(dissolved_on__isnull=True)
            .order_by("code")
        )
        self.fields["departments"].queryset = Department.objects.order_by("code")
        self.fields["departments"].required = False
        for name in ("people_served", "examinations", "materials", "fees_waived"):
            # Negative numbers are parsed and refused by the service with a clear message.
            self.fields[name].min_value = None
            self.fields[name].validators = []
        if self.instance.pk and not self.is_bound:
            self.initial["participants"] = list(
                self.instance.participants.values_list("staff_id", flat=True)
            )

    def _post_clean(self) -> None:
        # Model validation runs in the service (full_clean there); keep only field parsing.
        pass

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["departments"] = list(data["departments"])
        data["participants"] = list(data["participants"])
        data["photos"] = data.get("photos") or []
        return data


class HonourForm(forms.ModelForm):
    staff = StaffChoiceField(
        label=_("person"),
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    evidence = forms.FileField(
        label=_("evidence (certificate, document)"),
        required=False,
        widget=forms.ClearableFileInput(TEXT),
    )

    class Meta:
        model = Honour
        fields = [
            "title",
            "level",
            "holder",
            "institution",
            "organisation",
            "staff",
            "awarded_by",
            "awarded_on",
            "document_no",
            "note",
        ]
        widgets = {
            "title": forms.TextInput({**TEXT, "list": "honour-titles"}),
            "level": forms.Select(SELECT),
            "holder": forms.Select(SELECT),
            "institution": forms.Select(SELECT),
            "organisation": forms.Select(SELECT),
            "awarded_by": forms.TextInput(TEXT),
            "awarded_on": forms.DateInput(DATE, format="%Y-%m-%d"),
            "document_no": forms.TextInput(TEXT),
            "note": forms.Textarea({**TEXT, "rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset()
        self.fields["organisation"].queryset = PartyOrganisation.objects.order_by("code")
        self.fields["institution"].queryset = Institution.objects.order_by("code")
        self.fields["institution"].required = False

    def _post_clean(self) -> None:
        pass


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("revoked on"), widget=forms.DateInput(DATE))
    revoke_reason = forms.CharField(
        label=_("reason for revoking"), max_length=200, widget=forms.TextInput(TEXT)
    )


class CallForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120, widget=forms.TextInput(TEXT))
    task = forms.CharField(label=_("task"), widget=forms.Textarea({**TEXT, "rows": 3}))
    institution = forms.ModelChoiceField(
        label=_("institution"), queryset=Institution.objects.none(), widget=forms.Select(SELECT)
    )
    issued_on = forms.DateField(label=_("issued on"), widget=forms.DateInput(DATE))
    sign_up_until = forms.DateField(label=_("sign-up until"), widget=forms.DateInput(DATE))
    people_needed = forms.IntegerField(
        label=_("people needed"), widget=forms.NumberInput(NUMBER), initial=0
    )
    pledge_text = forms.CharField(
        label=_("text of the pledge"),
        widget=forms.Textarea({**TEXT, "rows": 5}),
        help_text=_("The 请战书 every volunteer signs."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.order_by("code")


class PledgeForm(forms.Form):
    statement = forms.CharField(
        label=_("in your own words (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea({**TEXT, "rows": 2}),
    )
    typed_name = forms.CharField(
        label=_("sign by typing your full name"),
        max_length=50,
        widget=forms.TextInput({**TEXT, "autocomplete": "name", "autocapitalize": "off"}),
    )
    confirm = forms.BooleanField(
        label=_("I have read the pledge and volunteer of my own will."), required=True
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("team"), max_length=80, widget=forms.TextInput(TEXT))
    task = forms.CharField(
        label=_("task"), max_length=200, required=False, widget=forms.TextInput(TEXT)
    )
    leader = StaffChoiceField(
        label=_("team leader"),
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = staff_queryset()


class DeploymentForm(forms.Form):
    staff = StaffChoiceField(
        label=_("staff member"), queryset=Staff.objects.none(), widget=forms.Select(SELECT)
    )
    team = forms.ModelChoiceField(
        label=_("task team"),
        queryset=TaskTeam.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    place = forms.CharField(label=_("where"), max_length=120, widget=forms.TextInput(TEXT))
    role = forms.CharField(label=_("role"), max_length=80, widget=forms.TextInput(TEXT))
    starts_on = forms.DateField(label=_("from"), widget=forms.DateInput(DATE))
    ends_on = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(DATE))

    def __init__(self, *args: Any, call: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset()
        self.fields["team"].queryset = call.teams.all()


class DeploymentEndForm(forms.Form):
    ends_on = forms.DateField(label=_("back on"), widget=forms.DateInput(DATE))


class TemporaryBranchForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=32, widget=forms.TextInput(TEXT))
    name = forms.CharField(label=_("name"), max_length=100, widget=forms.TextInput(TEXT))
    parent = forms.ModelChoiceField(
        label=_("approved by (superior organisation)"),
        queryset=PartyOrganisation.objects.none(),
        widget=forms.Select(SELECT),
    )
    secretary = forms.ModelChoiceField(
        label=_("secretary"), queryset=PartyMember.objects.none(), widget=forms.Select(SELECT)
    )
    established_on = forms.DateField(label=_("established on"), widget=forms.DateInput(DATE))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = PartyOrganisation.objects.filter(
            kind__in=[PartyOrganisation.Kind.COMMITTEE, PartyOrganisation.Kind.GENERAL_BRANCH],
            dissolved_on__isnull=True,
        ).order_by("code")
        self.fields["secretary"].queryset = (
            PartyMember.objects.filter(status=PartyMember.Status.NORMAL)
            .select_related("staff")
            .order_by("staff__name")
        )
        self.fields["secretary"].label_from_instance = lambda m: m.staff.name


class ShiftForm(forms.Form):
    desk = forms.CharField(
        label=_("service desk"),
        max_length=60,
        initial="门诊大厅红帆驿站",
        widget=forms.TextInput({**TEXT, "list": "desks"}),
    )
    on = forms.DateField(label=_("date"), widget=forms.DateInput(DATE))
    slot = forms.ChoiceField(
        label=_("shift"), choices=DutyShift.Slot.choices, widget=forms.Select(SELECT)
    )
    staff = StaffChoiceField(
        label=_("volunteer"), queryset=Staff.objects.none(), widget=forms.Select(SELECT)
    )
    organisation = forms.ModelChoiceField(
        label=_("responsible branch"),
        queryset=PartyOrganisation.objects.none(),
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset()
        self.fields["organisation"].queryset = organisations.filter(
            dissolved_on__isnull=True
        ).order_by("code")
