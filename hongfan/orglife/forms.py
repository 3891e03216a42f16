from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hongfan.orglife.models import (
    Attendance,
    FrequencyRule,
    Meeting,
    MeetingKind,
    OrglifeSettings,
    ReviewCampaign,
    ReviewGrade,
)
from hongfan.party.models import PartyMember, PartyOrganisation

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "class": "form-control"})
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
        ):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("type"), required=False, choices=[("", _("All types")), *MeetingKind.choices]
    )
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("All")), *Meeting.Status.choices]
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class MeetingPlanForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=PartyOrganisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("type"), choices=MeetingKind.choices)
    group = forms.ModelChoiceField(
        label=_("Party group"),
        queryset=PartyOrganisation.objects.none(),
        required=False,
        help_text=_("Only for a Party group meeting."),
    )
    topic = forms.CharField(label=_("topic"), max_length=200)
    planned_on = forms.DateField(label=_("planned date"), widget=DATE)
    planned_place = forms.CharField(label=_("planned place"), max_length=100, required=False)

    def __init__(
        self, *args: Any, organisations: QuerySet[PartyOrganisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["group"].queryset = PartyOrganisation.objects.filter(
            parent__in=organisations, kind=PartyOrganisation.Kind.GROUP
        )
        _style(self)


class YearPlanForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("branch"), queryset=PartyOrganisation.objects.none()
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    day_of_month = forms.IntegerField(
        label=_("fixed day of the month"),
        min_value=1,
        max_value=28,
        initial=15,
        help_text=_("Monthly meetings and the theme Party day fall on this day."),
    )

    def __init__(self, *args: Any, branches: QuerySet[PartyOrganisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = branches
        _style(self)


ATTENDANCE_CHOICES = [
    ("present", _("Present")),
    *[(f"absent:{value}", label) for value, label in Attendance.Reason.choices],
]


class MeetingRecordForm(forms.Form):
    held_on = forms.DateField(label=_("date held"), widget=DATE)
    starts_at = forms.TimeField(label=_("start time"), widget=TIME, required=False)
    place = forms.CharField(label=_("place"), max_length=100)
    host = forms.ModelChoiceField(
        label=_("host"), queryset=PartyMember.objects.none(), required=False
    )
    recorder = forms.ModelChoiceField(
        label=_("recorder"), queryset=PartyMember.objects.none(), required=False
    )
    lecturer = forms.ModelChoiceField(
        label=_("lecturer"),
        queryset=PartyMember.objects.none(),
        required=False,
        help_text=_("For a Party lecture: who gave it."),
    )
    first_topic_title = forms.CharField(label=_("first agenda item (第一议题)"), max_length=200)
    first_topic_source = forms.CharField(
        label=_("source of the first agenda item"), max_length=200, required=False
    )
    agenda = forms.CharField(
        label=_("further agenda items"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line."),
    )
    resolutions = forms.CharField(
        label=_("resolutions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    minutes = forms.CharField(
        label=_("minutes"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    backfill_reason = forms.CharField(
        label=_("reason for late recording"),
        max_length=300,
        required=False,
        help_text=_(
            "Only the Party committee office may record a meeting after the back-fill window, "
            "with a reason."
        ),
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        people: QuerySet[PartyMember],
        invitees: list[Attendance],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("host", "recorder", "lecturer"):
            self.fields[name].queryset = people
        if meeting.kind != MeetingKind.LECTURE:
            del self.fields["lecturer"]
        self.attendance_fields = []
        for att in invitees:
            name = f"att_{att.member_id}"
            initial = (
                "present"
                if att.status == Attendance.Status.PRESENT
                else (f"absent:{att.absence_reason}" if att.absence_reason else "present")
            )
            self.fields[name] = forms.ChoiceField(
                label=str(att.member),
                choices=ATTENDANCE_CHOICES,
                initial=initial,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"note_{att.member_id}"] = forms.CharField(
                label=_("note"),
                required=False,
                max_length=200,
                initial=att.absence_note,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.attendance_fields.append((att, self[name], self[f"note_{att.member_id}"]))
        _style(self)

    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if not n.startswith(("att_", "note_"))]

    def attendance(self) -> tuple[set[int], dict[int, tuple[str, str]]]:
        present: set[int] = set()
        absences: dict[int, tuple[str, str]] = {}
        for name, value in self.cleaned_data.items():
            if not name.startswith("att_"):
                continue
            member_id = int(name.removeprefix("att_"))
            if value == "present":
                present.add(member_id)
            else:
                absences[member_id] = (
                    value.split(":", 1)[1],
                    self.cleaned_data.get(f"note_{member_id}", ""),
                )
        return present, absences


class MeetingFileForm(forms.Form):
    file = forms.FileField(label=_("photo or document"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class CampaignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("branch"), queryset=PartyOrganisation.objects.none()
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, branches: QuerySet[PartyOrganisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = branches
        _style(self)


class SelfAssessmentForm(forms.Form):
    text = forms.CharField(label=_("self-assessment"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class MutualAssessmentForm(forms.Form):
    """互评: an optional comment on each other member (phone-friendly)."""

    def __init__(
        self, *args: Any, others: list[PartyMember], written: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for member in others:
            self.fields[f"m_{member.pk}"] = forms.CharField(
                label=str(member.staff.name),
                required=False,
                max_length=1000,
                initial=written.get(member.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        _style(self)

    def texts(self) -> dict[int, str]:
        return {
            int(k.removeprefix("m_")): v for k, v in self.cleaned_data.items() if k.startswith("m_")
        }


class BallotForm(forms.Form):
    """One grade per candidate (radio buttons, phone-friendly)."""

    def __init__(self, *args: Any, candidates: list[PartyMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for member in candidates:
            self.fields[f"c_{member.pk}"] = forms.ChoiceField(
                label=str(member.staff.name),
                choices=ReviewGrade.choices,
                widget=forms.RadioSelect,
            )

    def grades(self) -> dict[int, str]:
        return {
            int(k.removeprefix("c_")): v for k, v in self.cleaned_data.items() if k.startswith("c_")
        }


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("decided on"), widget=DATE)
    decided_by = forms.ChoiceField(
        label=_("decided by"),
        choices=[
            ("支委会", _("Branch committee meeting")),
            ("支部党员大会", _("Branch general assembly")),
        ],
    )

    def __init__(self, *args: Any, candidates: list[PartyMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for member in candidates:
            self.fields[f"g_{member.pk}"] = forms.ChoiceField(
                label=str(member.staff.name),
                choices=ReviewGrade.choices,
                initial=ReviewGrade.QUALIFIED,
            )
        _style(self)

    def grades(self) -> dict[int, str]:
        return {
            int(k.removeprefix("g_")): v for k, v in self.cleaned_data.items() if k.startswith("g_")
        }


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


__all__ = ["ReviewCampaign"]


class RuleForm(forms.ModelForm):
    class Meta:
        model = FrequencyRule
        fields = [
            "kind",
            "period",
            "minimum",
            "applies_to",
            "only_with_groups",
            "is_active",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def validate_unique(self) -> None:  # the service validates
        pass


class SettingsForm(forms.ModelForm):
    # The robot address holds its access key: never shown back, empty keeps the stored one.
    reminder_robot_url = forms.CharField(
        label=_("robot webhook address"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored address."),
    )
    reminder_robot_secret = forms.CharField(
        label=_("robot signing secret (DingTalk)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored secret."),
    )

    class Meta:
        model = OrglifeSettings
        fields = [
            "backfill_days",
            "sign_in_hours",
            "reminder_days",
            "reminder_days_long",
            "reminders_in_app",
            "reminder_robot",
            "reminder_robot_url",
            "reminder_robot_secret",
            "excellent_numerator",
            "excellent_denominator",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("reminders_in_app",):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        _style(self)

    def _post_clean(self) -> None:  # the service validates the model
        pass
