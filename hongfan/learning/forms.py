from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hongfan.learning.models import BranchBrand, Question, StudyActivity
from hongfan.party.models import PartyMember, PartyOrganisation

DATE = forms.DateInput(attrs={"type": "date"})


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        w.attrs.setdefault(
            "class", "form-select" if isinstance(w, forms.Select) else "form-control"
        )


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PartyMember) -> str:
        return f"{obj.staff.name}（{obj.organisation.name}）"


class ActivityForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organiser"), queryset=PartyOrganisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("type"), choices=StudyActivity.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    hours = forms.DecimalField(
        label=_("hours per participant"), max_digits=4, decimal_places=1, min_value=0.5
    )
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    participants = MemberChoice(
        label=_("participants"),
        queryset=PartyMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[PartyOrganisation],
        members: QuerySet[PartyMember],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["participants"].queryset = members
        _style(self)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("type"), required=False, choices=[("", _("All types")), *StudyActivity.Kind.choices]
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("type"), choices=Question.Kind.choices)
    category = forms.CharField(label=_("category"), max_length=50, required=False)
    text = forms.CharField(label=_("question"), widget=forms.Textarea(attrs={"rows": 2}))
    options = forms.CharField(
        label=_("options"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line (none for true or false)."),
    )
    answer = forms.CharField(
        label=_("correct answer"),
        max_length=10,
        help_text=_("Letters such as A or ACD; 对 or 错 for true or false."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file"),
        help_text=_("Columns: 类型, 题目, 选项A, 选项B, 选项C, 选项D, 答案, 分类."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ContestForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    opens_on = forms.DateField(label=_("opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("closes on"), widget=DATE)
    points_per_question = forms.IntegerField(
        label=_("points per question"), min_value=1, max_value=100, initial=10
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("questions"),
        queryset=Question.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class QuizForm(forms.Form):
    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            choices = list(enumerate(q.choices))
            if q.kind == Question.Kind.MULTIPLE:
                self.fields[f"q_{q.pk}"] = forms.TypedMultipleChoiceField(
                    label=q.text,
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            else:
                self.fields[f"q_{q.pk}"] = forms.TypedChoiceField(
                    label=q.text,
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=False,
                )

    def answers(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for name, value in self.cleaned_data.items():
            qid = int(name.removeprefix("q_"))
            if value in (None, "", []):
                out[qid] = []
            else:
                out[qid] = list(value) if isinstance(value, list) else [value]
        return out


class BrandForm(forms.ModelForm):
    class Meta:
        model = BranchBrand
        fields = ["name", "slogan", "description", "featured_activities"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "featured_activities": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class EvaluateForm(forms.Form):
    score = forms.DecimalField(
        label=_("evaluation score"), min_value=0, max_value=100, max_digits=5, decimal_places=1
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
