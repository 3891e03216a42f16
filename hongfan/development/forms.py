"""Forms of member development (Bootstrap classes on the widgets)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.development.models import Candidate, Stage, Step
from hongfan.development.rules import StepInput
from hongfan.party.models import PartyMember, PartyOrganisation

DATE = {"type": "date", "class": "form-control"}
CTRL = {"class": "form-control"}
SELECT = {"class": "form-select"}


class CandidateFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={**CTRL, "placeholder": _("Name or employee number")}),
    )
    stage = forms.TypedChoiceField(
        label=_("Stage"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        required=False,
        queryset=PartyOrganisation.objects.none(),
        empty_label=_("All branches"),
        widget=forms.Select(attrs=SELECT),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Candidate.Status.choices],
        widget=forms.Select(attrs=SELECT),
    )

    due = forms.ChoiceField(
        label=_("Deadlines"),
        required=False,
        choices=[
            ("", _("All deadlines")),
            ("soon", _("Due within 14 days or overdue")),
            ("overdue", _("Overdue")),
        ],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, branches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        stages = Stage.objects.filter(rule_set__code="2014").order_by("order")
        self.fields["stage"].choices = [("", _("All stages"))] + [(s.order, s.name) for s in stages]


class CandidateForm(forms.Form):
    employee_no = forms.CharField(
        label=_("Employee number"), max_length=32, widget=forms.TextInput(attrs=CTRL)
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=PartyOrganisation.objects.none(),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, branches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class StepRecordForm(forms.Form):
    step = forms.ModelChoiceField(
        label=_("Step"), queryset=Step.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    contacts = forms.ModelMultipleChoiceField(
        label=_("Cultivation contacts"),
        required=False,
        queryset=PartyMember.objects.none(),
        widget=forms.SelectMultiple(attrs=SELECT),
        help_text=_("培养联系人: 1–2 full members."),
    )
    introducers = forms.ModelMultipleChoiceField(
        label=_("Introducers"),
        required=False,
        queryset=PartyMember.objects.none(),
        widget=forms.SelectMultiple(attrs=SELECT),
        help_text=_("入党介绍人: exactly 2 full members."),
    )
    passed = forms.BooleanField(label=_("Passed (political review)"), required=False)
    training_hours = forms.DecimalField(
        label=_("Training hours"), required=False, min_value=0, widget=forms.NumberInput(attrs=CTRL)
    )
    training_days = forms.IntegerField(
        label=_("Training days"), required=False, min_value=0, widget=forms.NumberInput(attrs=CTRL)
    )
    notice_start = forms.DateField(
        label=_("Public notice from"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    notice_end = forms.DateField(
        label=_("Public notice until"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    members_due = forms.IntegerField(
        label=_("Full members due to attend"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs=CTRL),
    )
    members_present = forms.IntegerField(
        label=_("Full members present"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs=CTRL),
    )
    votes_yes = forms.IntegerField(
        label=_("Yes votes"), required=False, min_value=0, widget=forms.NumberInput(attrs=CTRL)
    )
    votes_no = forms.IntegerField(
        label=_("No votes"), required=False, min_value=0, widget=forms.NumberInput(attrs=CTRL)
    )
    votes_abstain = forms.IntegerField(
        label=_("Abstentions"), required=False, min_value=0, widget=forms.NumberInput(attrs=CTRL)
    )
    approved_by = forms.CharField(
        label=_("Approved by"), required=False, max_length=100, widget=forms.TextInput(attrs=CTRL)
    )
    approval_ref = forms.CharField(
        label=_("Approval reference"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=CTRL),
    )
    special_reason = forms.CharField(
        label=_("Special reason"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=CTRL),
    )
    document = forms.FileField(
        label=_("Document"), required=False, widget=forms.ClearableFileInput(attrs=CTRL)
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={**CTRL, "rows": 2})
    )

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = candidate.rule_set.steps.order_by("order")
        members = PartyMember.objects.filter(
            organisation=candidate.branch, status=PartyMember.Status.NORMAL
        ).select_related("staff")
        self.fields["contacts"].queryset = members
        self.fields["introducers"].queryset = PartyMember.objects.filter(
            organisation__institution_id=candidate.branch.institution_id,
            status=PartyMember.Status.NORMAL,
        ).select_related("staff")

    def step_input(self) -> StepInput:
        d = self.cleaned_data
        return StepInput(
            date=d["date"],
            contacts=list(d["contacts"]),
            introducers=list(d["introducers"]),
            passed=True
            if d["passed"]
            else (False if d["step"].rules.get("passed") is not None else None),
            training_hours=d["training_hours"],
            training_days=d["training_days"],
            notice_start=d["notice_start"],
            notice_end=d["notice_end"],
            members_due=d["members_due"],
            members_present=d["members_present"],
            votes_yes=d["votes_yes"],
            votes_no=d["votes_no"],
            votes_abstain=d["votes_abstain"],
            special_reason=d["special_reason"],
        )


class ExtensionForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs=DATE))
    months = forms.IntegerField(
        label=_("Extension (months)"),
        min_value=1,
        max_value=24,
        widget=forms.NumberInput(attrs=CTRL),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.TextInput(attrs=CTRL))
