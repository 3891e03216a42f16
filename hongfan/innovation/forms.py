"""Forms of the innovation pages (validation of single fields; rules live in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.innovation.models import STAGE_ORDER, EvaluationItem, Project, Stage
from hongfan.org.models import Department, Staff
from hongfan.party.models import CommitteeMember, PartyOrganisation

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"class": "form-control", "type": "date"}


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.member.staff.name}（{obj.get_position_display()}）"


def mentor_queryset() -> Any:
    return CommitteeMember.objects.filter(
        organisation__kind=PartyOrganisation.Kind.COMMITTEE, ended_on__isnull=True
    ).select_related("member__staff")


def staff_queryset() -> Any:
    return Staff.objects.select_related("department").order_by("department__name", "name")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        dept = obj.department.name if obj.department_id else ""
        return f"{obj.name}（{dept}）" if dept else obj.name


class ProjectForm(forms.ModelForm):
    leader = StaffChoiceField(
        label=_("project leader"), queryset=Staff.objects.none(), widget=forms.Select(SELECT)
    )
    mentor = MentorChoiceField(
        label=_("mentor (committee member)"),
        queryset=CommitteeMember.objects.none(),
        widget=forms.Select(SELECT),
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "organisation",
            "department",
            "leader",
            "mentor",
            "goals",
            "started_on",
            "planned_end",
            "report_every_months",
        ]
        widgets = {
            "title": forms.TextInput(TEXT),
            "organisation": forms.Select(SELECT),
            "department": forms.Select(SELECT),
            "goals": forms.Textarea({**TEXT, "rows": 4}),
            "started_on": forms.DateInput(DATE, format="%Y-%m-%d"),
            "planned_end": forms.DateInput(DATE, format="%Y-%m-%d"),
            "report_every_months": forms.NumberInput({**TEXT, "min": 1, "max": 12}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = staff_queryset()
        self.fields["mentor"].queryset = mentor_queryset()
        self.fields["organisation"].queryset = PartyOrganisation.objects.filter(
            kind__in=[PartyOrganisation.Kind.BRANCH, PartyOrganisation.Kind.GENERAL_BRANCH]
        ).order_by("code")
        self.fields["department"].queryset = Department.objects.order_by("code")

    def _post_clean(self) -> None:
        # Model validation runs in the service (full_clean there); keep only field parsing.
        pass


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("move to stage"), choices=Stage.choices, widget=forms.Select(SELECT)
    )
    reason = forms.CharField(
        label=_("reason (required when moving back)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(TEXT),
    )

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project is not None and not self.is_bound:
            i = STAGE_ORDER.index(project.stage)
            if i + 1 < len(STAGE_ORDER):
                self.initial["to_stage"] = STAGE_ORDER[i + 1]


class TeamMemberForm(forms.Form):
    staff = StaffChoiceField(
        label=_("staff member"), queryset=Staff.objects.none(), widget=forms.Select(SELECT)
    )
    role = forms.CharField(
        label=_("role in the team"), required=False, max_length=50, widget=forms.TextInput(TEXT)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput({"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    text = forms.CharField(label=_("report"), widget=forms.Textarea({**TEXT, "rows": 8}))
    files = MultipleFileField(label=_("files"), required=False)


class EvaluationForm(forms.Form):
    evaluator = StaffChoiceField(
        label=_("evaluator"), queryset=Staff.objects.none(), widget=forms.Select(SELECT)
    )
    evaluated_on = forms.DateField(label=_("date"), widget=forms.DateInput(DATE))
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea({**TEXT, "rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = staff_queryset()
        self.items = list(EvaluationItem.objects.filter(is_active=True))
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=f"{item.name}（0–{item.max_score}）",
                min_value=0,
                max_value=item.max_score,
                decimal_places=1,
                widget=forms.NumberInput({**TEXT, "step": "0.5"}),
            )

    def scores(self) -> dict[int, Any]:
        return {i.pk: self.cleaned_data[f"item_{i.pk}"] for i in self.items}


class AcceptanceForm(forms.Form):
    result = forms.ChoiceField(
        label=_("acceptance result"), choices=Project.Result.choices, widget=forms.Select(SELECT)
    )
    accepted_on = forms.DateField(label=_("accepted on"), widget=forms.DateInput(DATE))
    note = forms.CharField(
        label=_("acceptance opinion"), widget=forms.Textarea({**TEXT, "rows": 4})
    )
