"""Forms for decision meetings. Validation of the rules lives in services; forms shape input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.accounts.models import User
from hongfan.decisions.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingKind,
    ProfessionalCommittee,
    Vote,
)
from hongfan.decisions.selectors import referable_items
from hongfan.org.models import Department, Staff


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
        ):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "kind",
            "number",
            "held_on",
            "place",
            "chair",
            "recorder",
            "first_topic_title",
            "first_topic_source",
            "observers",
        ]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Staff.objects.filter(employment_status="in_post").order_by("department_id", "name")
        self.fields["chair"].queryset = staff
        self.fields["recorder"].queryset = staff
        if self.instance.pk:
            self.fields.pop("kind")
        _bootstrap(self)


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("meeting"), required=False, choices=[("", _("All")), *MeetingKind.choices]
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    major = forms.BooleanField(label=_("with 三重一大 items"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AttendanceForm(forms.Form):
    """One status and reason per entitled member (built from the meeting's attendance rows)."""

    def __init__(self, *args: Any, rows: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"status_{row.staff_id}"] = forms.ChoiceField(
                label=row.staff.name,
                choices=Attendance.Status.choices,
                initial=row.status,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"reason_{row.staff_id}"] = forms.CharField(
                label=_("reason for absence"),
                required=False,
                max_length=200,
                initial=row.absence_reason,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def bound_rows(self) -> list[tuple[Attendance, Any, Any]]:
        return [(r, self[f"status_{r.staff_id}"], self[f"reason_{r.staff_id}"]) for r in self.rows]

    def statuses(self) -> dict[int, tuple[str, str]]:
        return {
            r.staff_id: (
                self.cleaned_data[f"status_{r.staff_id}"],
                self.cleaned_data[f"reason_{r.staff_id}"],
            )
            for r in self.rows
        }


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "referred_item",
            "title",
            "proposer_department",
            "description",
            "category",
            "is_project",
            "amount",
            "prior_reviews",
            "prior_review_note",
        ]
        widgets = {
            "prior_reviews": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prior_reviews"].queryset = ProfessionalCommittee.objects.filter(is_active=True)
        self.fields["proposer_department"].queryset = Department.objects.filter(is_active=True)
        if meeting.kind == MeetingKind.PARTY_COMMITTEE:
            self.fields["referred_item"].queryset = referable_items()
            self.fields["referred_item"].help_text = _(
                "A 三重一大 item referred by the president's office meeting that this item decides."
            )
        else:
            self.fields.pop("referred_item")
        self.fields["category"].help_text = _(
            "Amounts at or above the thresholds are classified 三重一大 automatically."
        )
        _bootstrap(self)


class RecusalForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("member"), queryset=Staff.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(
            pk__in=meeting.attendance.values("staff_id")
        )
        _bootstrap(self)


class DecideForm(forms.Form):
    """The votes of the members present and not recused, and the resolution if it passes."""

    resolution_text = forms.CharField(
        label=_("resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was decided and what must be done (defaults to the item title)."),
    )
    owner = forms.ModelChoiceField(label=_("owner"), required=False, queryset=User.objects.none())
    owner_department = forms.ModelChoiceField(
        label=_("owner department"), required=False, queryset=Department.objects.none()
    )
    deadline_days = forms.IntegerField(
        label=_("deadline (working days)"), min_value=1, max_value=250
    )
    note = forms.CharField(label=_("decision note"), required=False, max_length=300)

    def __init__(self, *args: Any, voters: list[Staff], default_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.voters = voters
        for staff in voters:
            self.fields[f"vote_{staff.pk}"] = forms.ChoiceField(
                label=staff.name,
                choices=Vote.Choice.choices,
                initial=Vote.Choice.YES,
                widget=forms.RadioSelect,
            )
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, staff__isnull=False
        ).select_related("staff")
        self.fields["owner"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
        self.fields["owner_department"].queryset = Department.objects.filter(is_active=True)
        self.fields["deadline_days"].initial = default_days
        _bootstrap(self)

    def vote_fields(self) -> list[Any]:
        return [self[f"vote_{s.pk}"] for s in self.voters]

    def votes(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data[f"vote_{s.pk}"] for s in self.voters}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, max_length=300)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("minutes"), widget=forms.Textarea(attrs={"rows": 12, "class": "form-control"})
    )


class ResolutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("supervision"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), ("closed", _("Closed"))],
    )
    kind = forms.ChoiceField(
        label=_("meeting"), required=False, choices=[("", _("All")), *MeetingKind.choices]
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class OfficeMemberForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("staff member"), queryset=Staff.objects.none())
    title = forms.CharField(label=_("position"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(
            employment_status="in_post", office_meeting_seat__isnull=True
        ).order_by("department_id", "name")
        _bootstrap(self)
