"""Forms of the assessments pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hongfan.org.models import Institution, Staff
from hongfan.scoring.models import (
    AssessmentPeriod,
    EventRule,
    GradeBand,
    LedgerEvent,
    RedFlagComponent,
    Scorecard,
    ScorecardItem,
    SubjectKind,
)

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class EventFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("category"),
        required=False,
        choices=[("", _("All categories")), *EventRule.Category.choices],
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All statuses")), *LedgerEvent.Status.choices],
    )
    subject_kind = forms.ChoiceField(
        label=_("subject"), required=False, choices=[("", _("All subjects")), *SubjectKind.choices]
    )
    start = forms.DateField(label=_("from"), required=False, widget=DATE)
    end = forms.DateField(label=_("to"), required=False, widget=DATE)


class ManualEventForm(StyledForm):
    staff = forms.ModelChoiceField(label=_("staff member"), queryset=Staff.objects.none())
    occurred_on = forms.DateField(label=_("date"), widget=DATE)
    points = forms.DecimalField(
        label=_("points"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Positive for an addition, negative for a deduction."),
    )
    summary = forms.CharField(label=_("summary"), max_length=300)
    evidence_url = forms.CharField(label=_("evidence link"), max_length=300, required=False)

    def __init__(self, *args: Any, staff_qs: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_qs


class ReviewEventForm(StyledForm):
    action = forms.ChoiceField(
        label=_("action"), choices=[("confirm", _("Confirm")), ("void", _("Void"))]
    )
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class StaffFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False)


class ItemForm(StyledModelForm):
    class Meta:
        model = ScorecardItem
        fields = [
            "order",
            "code",
            "name",
            "description",
            "kind",
            "source",
            "min_points",
            "max_points",
            "evidence_required",
            "ledger_categories",
            "ledger_codes",
            "ledger_sign",
        ]


class BandForm(StyledModelForm):
    class Meta:
        model = GradeBand
        fields = [
            "rank",
            "code",
            "name",
            "min_score",
            "requires_no_deduction",
            "quota_percent",
            "is_veto_grade",
            "fails_periodic_review",
            "promotion_eligible",
            "appointment_eligible",
            "award_eligible",
            "pay_coefficient",
        ]


class PeriodForm(StyledForm):
    institution = forms.ModelChoiceField(
        label=_("institution"), queryset=Institution.objects.filter(is_active=True)
    )
    scorecard = forms.ModelChoiceField(
        label=_("scorecard"), queryset=Scorecard.objects.filter(is_active=True)
    )
    name = forms.CharField(label=_("name"), max_length=200)
    start = forms.DateField(label=_("start"), widget=DATE)
    end = forms.DateField(label=_("end"), widget=DATE)
    publish_days = forms.IntegerField(label=_("days of publication"), initial=3, min_value=1)


class AssessmentFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False)
    grade = forms.ModelChoiceField(
        label=_("grade"), queryset=GradeBand.objects.none(), required=False
    )
    pending = forms.ChoiceField(
        label=_("progress"),
        required=False,
        choices=[
            ("", _("All")),
            ("self", _("Self-assessment missing")),
            ("department", _("Department assessment missing")),
        ],
    )

    def __init__(self, *args: Any, period: AssessmentPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = period.scorecard.bands.all()


class ScoreSheetForm(StyledForm):
    """One points field per item (and an evidence field where needed) plus a comment."""

    def __init__(
        self,
        *args: Any,
        items: list[ScorecardItem],
        comment_label: Any,
        comment_required: bool = True,
        initial_points: dict[int, Any] | None = None,
        initial_evidence: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=f"{item.name}（{item.min_points} ~ {item.max_points}）",
                required=False,
                max_digits=7,
                decimal_places=2,
                initial=(initial_points or {}).get(item.pk),
                help_text=item.description,
            )
            if item.evidence_required or item.kind in (
                ScorecardItem.Kind.DEDUCTION,
                ScorecardItem.Kind.VETO,
            ):
                self.fields[f"evidence_{item.pk}"] = forms.CharField(
                    label=_("Evidence for 「%(item)s」") % {"item": item.name},
                    required=False,
                    max_length=500,
                    initial=(initial_evidence or {}).get(item.pk, ""),
                )
        self.fields["comment"] = forms.CharField(
            label=comment_label,
            required=comment_required,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        _style(self)

    def points(self) -> dict[int, Any]:
        return {i.pk: self.cleaned_data.get(f"item_{i.pk}") for i in self.items}

    def evidence(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data.get(f"evidence_{i.pk}", "") for i in self.items}


class GradeSetForm(StyledForm):
    grade = forms.ModelChoiceField(label=_("grade"), queryset=GradeBand.objects.none())
    note = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args: Any, period: AssessmentPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = period.scorecard.bands.all()


class AppealForm(StyledForm):
    reason = forms.CharField(
        label=_("grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 5})
    )


class AppealDecisionForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("upheld", _("Upheld: recompute the grade")), ("rejected", _("Rejected"))],
        widget=forms.RadioSelect,
    )
    grade = forms.ModelChoiceField(
        label=_("grade (optional)"),
        queryset=GradeBand.objects.none(),
        required=False,
        help_text=_("Leave empty to give the grade the rules now give."),
    )
    decision = forms.CharField(label=_("decision"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, period: AssessmentPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = period.scorecard.bands.all()


class RedFlagComputeForm(StyledForm):
    institution = forms.ModelChoiceField(
        label=_("institution"), queryset=Institution.objects.filter(is_active=True)
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    quarter = forms.ChoiceField(label=_("quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)])


class RedFlagAwardForm(StyledForm):
    department = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class ComponentForm(StyledModelForm):
    class Meta:
        model = RedFlagComponent
        fields = ["weight", "is_active"]


ComponentFormSet = forms.modelformset_factory(RedFlagComponent, form=ComponentForm, extra=0)
