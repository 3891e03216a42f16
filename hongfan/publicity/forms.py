"""Forms of the publicity pages (the rules live in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hongfan.accounts.models import User
from hongfan.org.models import Department, Staff
from hongfan.party.models import PartyOrganisation
from hongfan.publicity import selectors
from hongfan.publicity.adapters import adapter_choices
from hongfan.publicity.models import (
    CulturalActivity,
    MediaAsset,
    Platform,
    Review,
    ReviewLevel,
    WordMatch,
)

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"class": "form-control", "type": "date"}
CHECK = {"class": "form-check-input"}


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


class StoryForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, widget=forms.TextInput(TEXT))
    body = forms.CharField(label=_("text"), widget=forms.Textarea({**TEXT, "rows": 14}))
    video_links = forms.CharField(
        label=_("video links"),
        required=False,
        help_text=_("One link per line (https://…)."),
        widget=forms.Textarea({**TEXT, "rows": 2}),
    )
    related_activity = forms.ModelChoiceField(
        label=_("related cultural activity"),
        queryset=CulturalActivity.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    related_note = forms.CharField(
        label=_("related event or honour"),
        max_length=200,
        required=False,
        widget=forms.TextInput(TEXT),
    )
    media = forms.ModelMultipleChoiceField(
        label=_("photos and videos from the media library"),
        queryset=MediaAsset.objects.none(),
        required=False,
        widget=forms.SelectMultiple({**SELECT, "size": 4}),
    )
    photos = MultipleFileField(
        label=_("upload photos"),
        required=False,
        help_text=_("JPG or PNG; each photo is added to the media library."),
    )
    photos_show_patient = forms.BooleanField(
        label=_("the uploaded photos show an identifiable patient"), required=False
    )
    consent_reference = forms.CharField(
        label=_("patient consent record"),
        max_length=200,
        required=False,
        help_text=_("Where the signed consent is kept, e.g. 知情同意书编号."),
        widget=forms.TextInput(TEXT),
    )
    note = forms.CharField(
        label=_("what changed"), max_length=200, required=False, widget=forms.TextInput(TEXT)
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["related_activity"].queryset = CulturalActivity.objects.order_by("-held_on")[
            :200
        ]
        self.fields["media"].queryset = selectors.media_visible_to(user).order_by("-uploaded_at")
        if not editing:
            del self.fields["note"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=Review.Decision.choices, widget=forms.Select(SELECT)
    )
    comments = forms.CharField(
        label=_("comments and required changes"),
        required=False,
        widget=forms.Textarea({**TEXT, "rows": 3}),
    )
    proofreading = forms.CharField(
        label=_("proofreading notes"),
        required=False,
        widget=forms.Textarea({**TEXT, "rows": 2}),
    )


class MatchResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("resolution"),
        choices=[
            (WordMatch.Resolution.ACCEPTED, WordMatch.Resolution.ACCEPTED.label),
            (WordMatch.Resolution.CHANGE, WordMatch.Resolution.CHANGE.label),
        ],
        widget=forms.Select({**SELECT, "class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(
        label=_("reason"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"class": "form-control form-control-sm"}),
    )


class PlanForm(forms.Form):
    platform = forms.ModelChoiceField(
        label=_("platform"),
        queryset=Platform.objects.filter(is_active=True),
        widget=forms.Select(SELECT),
    )
    planned_on = forms.DateField(
        label=_("planned for"), widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )


class PublicationForm(forms.Form):
    published_on = forms.DateField(
        label=_("published on"), widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    link = forms.URLField(
        label=_("link"), required=False, assume_scheme="https", widget=forms.URLInput(TEXT)
    )
    issue_number = forms.CharField(
        label=_("issue number"), max_length=30, required=False, widget=forms.TextInput(TEXT)
    )
    views = forms.IntegerField(
        label=_("views"), min_value=0, initial=0, widget=forms.NumberInput(TEXT)
    )
    likes = forms.IntegerField(
        label=_("likes"), min_value=0, initial=0, widget=forms.NumberInput(TEXT)
    )
    shares = forms.IntegerField(
        label=_("shares"), min_value=0, initial=0, widget=forms.NumberInput(TEXT)
    )
    comments_count = forms.IntegerField(
        label=_("comments"), min_value=0, initial=0, widget=forms.NumberInput(TEXT)
    )


class PlatformForm(forms.ModelForm):
    class Meta:
        model = Platform
        fields = ["name", "kind", "adapter", "uses_issue_numbers", "sort_order", "is_active"]
        widgets = {
            "name": forms.TextInput(TEXT),
            "kind": forms.Select(SELECT),
            "sort_order": forms.NumberInput(TEXT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adapter"] = forms.ChoiceField(
            label=_("publishing adapter"), choices=adapter_choices(), widget=forms.Select(SELECT)
        )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.employee_no}，{obj.department.name}）"


class CorrespondentForm(forms.Form):
    employee_no = forms.CharField(
        label=_("employee number"), max_length=32, widget=forms.TextInput(TEXT)
    )
    organisation = forms.ModelChoiceField(
        label=_("Party branch"),
        queryset=PartyOrganisation.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    appointed_on = forms.DateField(
        label=_("appointed on"), widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    term_ends_on = forms.DateField(
        label=_("term ends on"), widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    yearly_target = forms.IntegerField(
        label=_("yearly target (published pieces)"),
        min_value=0,
        max_value=200,
        initial=6,
        widget=forms.NumberInput(TEXT),
    )
    note = forms.CharField(
        label=_("note"), max_length=200, required=False, widget=forms.TextInput(TEXT)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = PartyOrganisation.objects.filter(
            kind=PartyOrganisation.Kind.BRANCH, dissolved_on__isnull=True
        ).order_by("code")

    def clean_employee_no(self) -> Staff:
        no = self.cleaned_data["employee_no"].strip()
        staff = Staff.objects.filter(employee_no=no).select_related("department").first()
        if staff is None:
            raise forms.ValidationError(
                _("No staff member has the employee number %(no)s.") % {"no": no}
            )
        return staff


class ReviewerForm(forms.Form):
    username = forms.CharField(label=_("account"), max_length=150, widget=forms.TextInput(TEXT))
    level = forms.TypedChoiceField(
        label=_("review level"),
        choices=ReviewLevel.choices,
        coerce=int,
        widget=forms.Select(SELECT),
    )

    def clean_username(self) -> User:
        name = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account is called %(u)s.") % {"u": name})
        return user


class WordsForm(forms.Form):
    words = forms.CharField(
        label=_("words or phrases"),
        help_text=_("One per line, or separated by 、 or commas."),
        widget=forms.Textarea({**TEXT, "rows": 3}),
    )
    category = forms.CharField(
        label=_("category"), max_length=50, required=False, widget=forms.TextInput(TEXT)
    )
    note = forms.CharField(
        label=_("guidance for reviewers"),
        max_length=200,
        required=False,
        widget=forms.TextInput(TEXT),
    )


class MediaForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=MediaAsset.Kind.choices, widget=forms.Select(SELECT)
    )
    file = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("Photos: JPG or PNG; videos: MP4 (or give a link)."),
        widget=forms.ClearableFileInput({"class": "form-control"}),
    )
    video_link = forms.URLField(
        label=_("video link"), required=False, assume_scheme="https", widget=forms.URLInput(TEXT)
    )
    caption = forms.CharField(label=_("caption"), max_length=300, widget=forms.TextInput(TEXT))
    taken_on = forms.DateField(
        label=_("taken on"), required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    people = forms.CharField(
        label=_("people shown (employee numbers)"),
        required=False,
        widget=forms.TextInput(TEXT),
    )
    activity = forms.ModelChoiceField(
        label=_("cultural activity"),
        queryset=CulturalActivity.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    shows_identifiable_patient = forms.BooleanField(
        label=_("shows an identifiable patient"), required=False
    )
    patient_consent = forms.BooleanField(label=_("patient consent recorded"), required=False)
    consent_reference = forms.CharField(
        label=_("consent record"), max_length=200, required=False, widget=forms.TextInput(TEXT)
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = CulturalActivity.objects.order_by("-held_on")[:200]
        if editing:
            for name in ("kind", "file", "video_link"):
                del self.fields[name]

    def clean_people(self) -> list[Staff]:
        from hongfan.publicity.services import staff_by_employee_numbers

        people, missing = staff_by_employee_numbers(self.cleaned_data.get("people", ""))
        if missing:
            raise forms.ValidationError(
                _("Unknown employee numbers: %(nos)s") % {"nos": "、".join(missing)}
            )
        return people


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=CulturalActivity.Kind.choices, widget=forms.Select(SELECT)
    )
    title = forms.CharField(label=_("title"), max_length=200, widget=forms.TextInput(TEXT))
    held_on = forms.DateField(label=_("date"), widget=forms.DateInput(DATE, format="%Y-%m-%d"))
    place = forms.CharField(
        label=_("place"), max_length=100, required=False, widget=forms.TextInput(TEXT)
    )
    organiser_organisation = forms.ModelChoiceField(
        label=_("organising Party organisation"),
        queryset=PartyOrganisation.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    organiser_department = forms.ModelChoiceField(
        label=_("organising department"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    organiser_text = forms.CharField(
        label=_("other organisers"),
        max_length=100,
        required=False,
        help_text=_("e.g. 院工会、团委"),
        widget=forms.TextInput(TEXT),
    )
    participants = forms.CharField(
        label=_("participants (employee numbers)"),
        help_text=_(
            "Paste the employee numbers from the sign-in sheet, separated by spaces, "
            "commas or new lines."
        ),
        widget=forms.Textarea({**TEXT, "rows": 3}),
    )
    awards = forms.CharField(
        label=_("results of individuals"),
        required=False,
        help_text=_("One per line: employee number, then the result, e.g. “E00012 一等奖”."),
        widget=forms.Textarea({**TEXT, "rows": 2}),
    )
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea({**TEXT, "rows": 3})
    )
    results = forms.CharField(
        label=_("results and awards"),
        required=False,
        widget=forms.Textarea({**TEXT, "rows": 2}),
    )
    counts_as_study = forms.BooleanField(label=_("counts as Party study"), required=False)
    study_hours = forms.DecimalField(
        label=_("study hours"),
        required=False,
        min_value=0.5,
        max_value=40,
        decimal_places=1,
        widget=forms.NumberInput({**TEXT, "step": "0.5"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser_organisation"].queryset = selectors.organisations_for_activities(
            user
        )
        self.fields["organiser_department"].queryset = selectors.departments_for_activities(user)

    def clean_participants(self) -> list[Staff]:
        from hongfan.publicity.services import staff_by_employee_numbers

        people, missing = staff_by_employee_numbers(self.cleaned_data["participants"])
        if missing:
            raise forms.ValidationError(
                _("Unknown employee numbers: %(nos)s") % {"nos": "、".join(missing)}
            )
        if not people:
            raise forms.ValidationError(_("List at least one participant."))
        return people

    def clean_awards(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for n, line in enumerate(self.cleaned_data.get("awards", "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = line.replace("，", " ").replace(",", " ").split(None, 1)
            if len(parts) != 2:
                raise forms.ValidationError(
                    _("Line %(n)s: write the employee number, then the result.") % {"n": n}
                )
            out[parts[0]] = parts[1].strip()
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        awards = data.get("awards") or {}
        people = data.get("participants") or []
        by_no = {s.employee_no: s for s in people}
        unknown = [no for no in awards if no not in by_no]
        if unknown:
            self.add_error(
                "awards",
                _("Results for people not listed as participants: %(nos)s")
                % {"nos": "、".join(unknown)},
            )
        else:
            data["awards_by_staff"] = {by_no[no].pk: text for no, text in awards.items()}
        return data
