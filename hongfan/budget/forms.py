"""Forms of the budget pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongfan.budget.models import BudgetLine
from hongfan.decisions.models import AgendaItem
from hongfan.org.models import Department


class LineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = [
            "year",
            "code",
            "name",
            "level",
            "category",
            "department",
            "central_department",
            "amount",
            "justification",
            "decision",
        ]
        widgets = {"justification": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "department": _("The department that spends (or, for a central line, manages) it."),
            "central_department": _("Only for a line of an executing department."),
            "decision": _("Required from the 三重一大 large-fund threshold on."),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        depts = Department.objects.filter(is_active=True).order_by("code")
        if user is not None and not user.scope.hospital_wide:
            depts = depts.filter(pk__in=user.scope.department_ids)
        self.fields["department"].queryset = depts
        self.fields["central_department"].queryset = Department.objects.filter(
            is_active=True
        ).order_by("code")
        self.fields["decision"].queryset = (
            AgendaItem.objects.exclude(category=AgendaItem.Category.ORDINARY)
            .filter(
                Q(decision=AgendaItem.Decision.PASSED) | Q(decision=AgendaItem.Decision.REFERRED)
            )
            .select_related("meeting")
            .order_by("-meeting__held_on")
        )
        self.fields["decision"].label_from_instance = lambda i: (
            f"{i.meeting.held_on} {i.title}" + (f"（{i.amount:,.0f} 元）" if i.amount else "")
        )
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)

    def validate_constraints(self, exclude: Any = None) -> None:
        # The service normalises levels before checking; constraint errors come from it.
        return


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Change (yuan)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Positive to add to the line, negative to take from it."),
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    source_line = forms.ModelChoiceField(
        label=_("Moved from line"),
        queryset=BudgetLine.objects.none(),
        required=False,
        help_text=_("Optional: take the money from another approved line (调剂)."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )

    def __init__(self, *args: Any, line: BudgetLine, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_line"].queryset = (
            lines.filter(year=line.year, status=BudgetLine.Status.APPROVED)
            .exclude(pk=line.pk)
            .order_by("code")
        )

    def clean_amount(self) -> Decimal:
        value = self.cleaned_data["amount"]
        if value == 0:
            raise forms.ValidationError(_("The change cannot be zero."))
        return value


class DecisionNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Decision note"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
