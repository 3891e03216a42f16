"""Forms of patient voice (Bootstrap classes on every widget)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.org.models import Department, Staff
from hongfan.voice.models import Contact, FollowUp, Question, ReceptionDay, Survey, Wish

CONSENT_LABEL = _(
    "I agree that the hospital stores my name and phone number to handle this matter and "
    "contact me about it (consent text version %(v)s)."
)


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, forms.CheckboxInput):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        elif isinstance(w, forms.Select | forms.SelectMultiple):
            w.attrs.setdefault("class", "form-select")
        else:
            w.attrs.setdefault("class", "form-control")


class BootstrapForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ContactForm(BootstrapForm):
    """The operator's intake form (24 h hotline)."""

    kind = forms.ChoiceField(label=_("Type"), choices=Contact.Kind.choices)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Contact.Channel.choices, initial=Contact.Channel.HOTLINE
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=40)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    content = forms.CharField(
        label=_("What the caller said"), widget=forms.Textarea(attrs={"rows": 4})
    )
    causes = forms.MultipleChoiceField(
        label=_("Causes"),
        choices=Contact.Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments involved"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff involved"),
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    settled_on_spot = forms.BooleanField(label=_("Settled on the spot"), required=False)
    on_spot_answer = forms.CharField(
        label=_("Answer given on the spot"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        label=_("The caller agrees that the name and phone number are stored for this matter"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.order_by("code")
        self.fields["staff"].queryset = Staff.objects.select_related("department").order_by(
            "department__code", "name"
        )
        self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.department.name}）"


class InvolvedForm(BootstrapForm):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments involved"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff involved"),
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.order_by("code")
        self.fields["staff"].queryset = Staff.objects.select_related("department").order_by(
            "department__code", "name"
        )
        self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.department.name}）"


class PublicComplaintForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("What would you like to tell us?"),
        choices=[
            (Contact.Kind.COMPLAINT, _("Complaint")),
            (Contact.Kind.FEEDBACK, _("Feedback")),
            (Contact.Kind.SUGGESTION, _("Suggestion")),
            (Contact.Kind.PRAISE, _("Praise")),
            (Contact.Kind.CONSULTATION, _("Consultation")),
        ],
        widget=forms.RadioSelect,
        initial=Contact.Kind.COMPLAINT,
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Not sure"),
    )
    causes = forms.MultipleChoiceField(
        label=_("What is it about?"),
        choices=Contact.Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    content = forms.CharField(
        label=_("Please describe what happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
    caller_name = forms.CharField(label=_("Your name"), required=False, max_length=40)
    phone = forms.CharField(label=_("Your phone number"), max_length=20)
    consent = forms.BooleanField(label="", required=False)

    def __init__(self, *args: Any, consent_version: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("code")
        self.fields["consent"].label = CONSENT_LABEL % {"v": consent_version}


class QueryForm(BootstrapForm):
    code = forms.CharField(label=_("Query code"), max_length=20)


class RateForm(BootstrapForm):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how we handled it?"),
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Neutral")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )


class SurveyForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Type"), choices=Survey.Kind.choices)
    intro = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    from_template = forms.BooleanField(
        label=_("Start from the standard questions of this type"), required=False, initial=True
    )


class QuestionForm(BootstrapForm):
    text = forms.CharField(label=_("Question"), max_length=200)
    scale = forms.ChoiceField(label=_("Scale"), choices=Question.Scale.choices)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Question.Dimension.choices)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


class PosterForm(BootstrapForm):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    place = forms.CharField(label=_("Ward or place"), required=False, max_length=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("code")


class ContactListForm(BootstrapForm):
    name = forms.CharField(label=_("Name of the list"), max_length=100)
    lines = forms.CharField(
        label=_("People"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One person a line: name, mobile number, department (optional)."),
    )


class SampleForm(BootstrapForm):
    survey = forms.ModelChoiceField(label=_("Survey"), queryset=Survey.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(i, f"Q{i}") for i in range(1, 5)], coerce=int
    )
    rate = forms.IntegerField(label=_("Sampling rate (%)"), min_value=1, max_value=100, initial=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = Survey.objects.filter(kind=Survey.Kind.DISCHARGE)


class FollowUpForm(BootstrapForm):
    outcome = forms.ChoiceField(
        label=_("Outcome of the call"),
        choices=[
            (s, label) for s, label in FollowUp.Status.choices if s != FollowUp.Status.PENDING
        ],
    )
    callback_at = forms.DateTimeField(
        label=_("Call back at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReceptionForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Type"), choices=ReceptionDay.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    starts_at = forms.DateTimeField(
        label=_("Time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    location = forms.CharField(label=_("Place"), max_length=100)
    hosts = forms.CharField(label=_("Hosts"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=20)


class RegistrationForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=40)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    topic = forms.CharField(label=_("Topic"), widget=forms.Textarea(attrs={"rows": 2}))
    consent = forms.BooleanField(
        label=_("The person agrees that the name and phone number are stored for this session"),
        required=False,
    )


class IssueForm(BootstrapForm):
    text = forms.CharField(label=_("Issue raised"), widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(
        label=_("Department responsible"), queryset=Department.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("code")


class CloseForm(BootstrapForm):
    summary = forms.CharField(
        label=_("Summary of the session"), widget=forms.Textarea(attrs={"rows": 3})
    )


class WishForm(BootstrapForm):
    text = forms.CharField(
        label=_("The wish"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )
    wisher_name = forms.CharField(label=_("Name"), required=False, max_length=40)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    place = forms.CharField(label=_("Ward and bed"), required=False, max_length=60)
    consent = forms.BooleanField(label="", required=False)

    def __init__(self, *args: Any, consent_version: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("code")
        self.fields["consent"].label = CONSENT_LABEL % {"v": consent_version}


class WishStaffForm(WishForm):
    origin = forms.ChoiceField(label=_("From"), choices=Wish.Origin.choices)

    field_order = ["origin", "text", "wisher_name", "phone", "department", "place", "consent"]


class MatchForm(BootstrapForm):
    staff = forms.ModelChoiceField(label=_("Responsible person"), queryset=Staff.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.select_related("department").order_by(
            "department__code", "name"
        )
        self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.department.name}）"
