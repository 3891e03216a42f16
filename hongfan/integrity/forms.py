"""Forms of the integrity pages (field validation only; the rules live in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.integrity import models as m
from hongfan.org.models import Staff


class Styled:
    """Give every widget its Bootstrap class; dates get the browser's date picker."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            w = field.widget
            if isinstance(w, forms.CheckboxInput):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            elif isinstance(w, forms.Select | forms.SelectMultiple):
                w.attrs.setdefault("class", "form-select")
            else:
                w.attrs.setdefault("class", "form-control")
            if isinstance(w, forms.DateInput):
                w.input_type = "date"
                w.format = "%Y-%m-%d"
            if isinstance(w, forms.Textarea):
                w.attrs.setdefault("rows", 4)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.department.name}）"


class StaffMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.department.name}）"


def staff_qs() -> Any:
    return (
        Staff.objects.filter(employment_status=Staff.EmploymentStatus.IN_POST)
        .select_related("department")
        .order_by("department__code", "name")
    )


class LetterTemplateForm(Styled, forms.ModelForm):
    class Meta:
        model = m.LetterTemplate
        fields = ["title", "level", "kind", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


class CampaignForm(Styled, forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=m.LetterTemplate.objects.filter(is_active=True)
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput)


class SignForm(Styled, forms.Form):
    typed_name = forms.CharField(
        label=_("Type your full name to sign"), max_length=50, widget=forms.TextInput()
    )


class RiskPointForm(Styled, forms.ModelForm):
    responsible = StaffMultipleField(label=_("Responsible people"), queryset=staff_qs())

    class Meta:
        model = m.RiskPoint
        fields = [
            "code",
            "area",
            "title",
            "department",
            "level",
            "description",
            "controls",
            "responsible",
            "review_interval_months",
            "next_review_on",
            "is_active",
        ]
        widgets = {"next_review_on": forms.DateInput}


class RiskReviewForm(Styled, forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=forms.DateInput)
    level_after = forms.ChoiceField(
        label=_("Risk level after review"), choices=m.RiskPoint.Level.choices
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea)


class RiskIndicatorForm(Styled, forms.Form):
    code = forms.CharField(
        label=_("Indicator code"),
        max_length=64,
        help_text=_(
            "The code the clinical analytics module reports, e.g. clinical.high_value_consumables"
        ),
    )
    name = forms.CharField(label=_("Indicator"), max_length=120)
    threshold = forms.CharField(label=_("Warning threshold"), max_length=60, required=False)


class KeyDateForm(Styled, forms.ModelForm):
    class Meta:
        model = m.KeyDate
        fields = [
            "kind",
            "name",
            "custom_date",
            "days_before",
            "auto_send",
            "use_webhook",
            "is_active",
        ]
        widgets = {"custom_date": forms.DateInput}


class ReminderForm(Styled, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Letter"), widget=forms.Textarea(attrs={"rows": 12}))


class SelfCheckCampaignForm(Styled, forms.ModelForm):
    class Meta:
        model = m.SelfCheckCampaign
        fields = ["title", "opens_on", "closes_on"]
        widgets = {"opens_on": forms.DateInput, "closes_on": forms.DateInput}


YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class SelfCheckForm(Styled, forms.Form):
    declaration = forms.CharField(
        label=_("Declaration (required when you answer yes)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, questions: list[list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, text in questions:
            self.fields[f"q_{code}"] = forms.ChoiceField(
                label=text,
                choices=YES_NO,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        # The declaration comes after the questions.
        self.fields["declaration"] = self.fields.pop("declaration")
        self.questions = questions

    def answers(self) -> dict[str, bool]:
        return {c: self.cleaned_data[f"q_{c}"] == "yes" for c, _t in self.questions}


class EnvelopeForm(Styled, forms.ModelForm):
    class Meta:
        model = m.EnvelopeEntry
        fields = [
            "occurred_on",
            "kind",
            "amount",
            "handling",
            "patient_name",
            "patient_ward",
            "description",
        ]
        widgets = {
            "occurred_on": forms.DateInput,
            "patient_name": forms.TextInput(),
        }
        help_texts = {
            "patient_name": _("Stored encrypted and shown masked (张*) everywhere."),
        }


class NoteForm(Styled, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FamilyEventForm(Styled, forms.ModelForm):
    class Meta:
        model = m.FamilyEvent
        fields = ["kind", "event_on", "scale"]
        widgets = {"event_on": forms.DateInput}


class TalkForm(Styled, forms.Form):
    held_at = forms.DateTimeField(
        label=_("Talk held at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    points = forms.CharField(label=_("Points made"), widget=forms.Textarea)


class SessionForm(Styled, forms.ModelForm):
    attendees = StaffMultipleField(label=_("Attendance"), queryset=staff_qs(), required=False)

    class Meta:
        model = m.EducationSession
        fields = ["title", "kind", "held_on", "location", "summary", "attendees"]
        widgets = {"held_on": forms.DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].widget.attrs["size"] = 12


class MaterialForm(Styled, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    file = forms.FileField(label=_("File"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(Styled, forms.Form):
    category = forms.ChoiceField(
        label=_("Category (Nine Rules article)"), choices=m.Category.choices
    )
    subject = forms.CharField(
        label=_("Person or department reported"), max_length=200, required=False
    )
    body = forms.CharField(
        label=_("What happened (time, place, people, facts)"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    files = MultipleFileField(
        label=_("Attachments (pdf, jpg, png, doc(x), xls(x), txt; at most 5)"), required=False
    )


class NamedReportForm(ReportForm):
    phone = forms.CharField(
        label=_("Phone for follow-up (optional)"), max_length=20, required=False
    )


class ReceiptForm(Styled, forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class AddInfoForm(Styled, forms.Form):
    body = forms.CharField(
        label=_("Additional information"), widget=forms.Textarea(attrs={"rows": 5})
    )
    files = MultipleFileField(label=_("Attachments"), required=False)


class ReplyForm(Styled, forms.Form):
    body = forms.CharField(
        label=_("Reply to the reporter"), widget=forms.Textarea(attrs={"rows": 4})
    )


class FindingForm(Styled, forms.Form):
    staff = StaffChoiceField(label=_("Staff member"), queryset=staff_qs())
    kind = forms.ChoiceField(label=_("Finding"), choices=m.ReportFinding.Kind.choices)
    summary = forms.CharField(label=_("Summary"), max_length=200)


class CodeDocumentForm(Styled, forms.ModelForm):
    class Meta:
        model = m.CodeDocument
        fields = ["title", "version", "effective_on", "requires_acknowledgement", "body"]
        widgets = {"effective_on": forms.DateInput, "body": forms.Textarea(attrs={"rows": 16})}
