"""Forms for the Party tree, members, committees, transfers, 双培养 and 三联."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongfan.org.forms import BootstrapMixin, DateInput
from hongfan.org.models import Department, Institution, Staff
from hongfan.party.models import (
    CommitteeMember,
    ContactRecord,
    DualCultivation,
    MemberTransfer,
    PartyMember,
    PartyOrganisation,
    ThreeLink,
)

Kind = PartyOrganisation.Kind


def _regular_branches() -> Any:
    return PartyOrganisation.objects.filter(
        kind=Kind.BRANCH, is_temporary=False, dissolved_on__isnull=True
    )


def _active_members() -> Any:
    return PartyMember.objects.filter(status=PartyMember.Status.NORMAL).select_related("staff")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PartyMember) -> str:
        return f"{obj.staff.name}（{obj.staff.employee_no}）"


class OrganisationForm(BootstrapMixin, forms.ModelForm):
    secretary = MemberChoiceField(
        label=_("secretary (appointed)"),
        queryset=PartyMember.objects.none(),
        required=False,
        help_text=_(
            "Required for a temporary branch; other committees are set on the committee page."
        ),
    )

    class Meta:
        model = PartyOrganisation
        fields = [
            "institution",
            "code",
            "name",
            "kind",
            "parent",
            "departments",
            "is_joint",
            "is_temporary",
            "temporary_task",
            "approved_by",
            "established_on",
            "term_years",
            "term_started_on",
            "sort_order",
        ]
        widgets = {"established_on": DateInput(), "term_started_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        open_orgs = PartyOrganisation.objects.filter(dissolved_on__isnull=True).exclude(
            kind=Kind.GROUP
        )
        if self.instance.pk:
            open_orgs = open_orgs.exclude(pk=self.instance.pk)
            del self.fields["secretary"]
        else:
            self.fields["secretary"].queryset = _active_members()
        self.fields["parent"].queryset = open_orgs
        self.fields["approved_by"].queryset = open_orgs
        self.fields["institution"].queryset = Institution.objects.filter(is_active=True)
        self.fields["departments"].queryset = Department.objects.filter(is_active=True)
        self.fields["departments"].widget.attrs["size"] = 8

    def _post_clean(self) -> None:
        pass  # the service validates the instance (kinds, cycles, temporary-branch rules)


class CommitteeSeatForm(BootstrapMixin, forms.Form):
    member = MemberChoiceField(
        label=pgettext_lazy("party", "member"), queryset=PartyMember.objects.none()
    )
    position = forms.ChoiceField(label=_("position"), choices=CommitteeMember.Position.choices)
    term_start = forms.DateField(label=_("term start"), widget=DateInput())
    term_end = forms.DateField(label=_("term end"), widget=DateInput())

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members


class SeatEndForm(BootstrapMixin, forms.Form):
    seat = forms.IntegerField(widget=forms.HiddenInput())
    ended_on = forms.DateField(label=_("left the committee on"), widget=DateInput())


class MemberCreateForm(BootstrapMixin, forms.Form):
    staff = forms.ModelChoiceField(label=_("staff member"), queryset=Staff.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("branch"), queryset=PartyOrganisation.objects.none()
    )
    group = forms.ModelChoiceField(
        label=_("Party group"), queryset=PartyOrganisation.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("category"), choices=PartyMember.Category.choices)
    applied_on = forms.DateField(label=_("applied on"), required=False, widget=DateInput())
    joined_on = forms.DateField(label=_("joined on (branch meeting)"), widget=DateInput())
    confirmed_on = forms.DateField(
        label=_("became full member on"), required=False, widget=DateInput()
    )
    is_mobile = forms.BooleanField(label=_("mobile member"), required=False)
    transferred_in_from = forms.CharField(
        label=_("transferred in from"),
        required=False,
        max_length=200,
        help_text=_("Fill in when the member's relationship comes from outside the hospital."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = (
            Staff.objects.filter(party_member__isnull=True)
            .exclude(employment_status=Staff.EmploymentStatus.LEFT)
            .select_related("department")
        )
        self.fields["organisation"].queryset = _regular_branches()
        self.fields["group"].queryset = PartyOrganisation.objects.filter(kind=Kind.GROUP)


class MemberEditForm(BootstrapMixin, forms.ModelForm):
    status_on = forms.DateField(
        label=_("status changed on"),
        required=False,
        widget=DateInput(),
        help_text=_("Needed when the status changes."),
    )

    class Meta:
        model = PartyMember
        fields = [
            "group",
            "category",
            "status",
            "applied_on",
            "joined_on",
            "confirmed_on",
            "is_mobile",
            "is_lost_contact",
            "under_probation",
            "is_retired",
        ]
        widgets = {
            "applied_on": DateInput(),
            "joined_on": DateInput(),
            "confirmed_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = PartyOrganisation.objects.filter(
            kind=Kind.GROUP, parent_id=self.instance.organisation_id
        )
        self.fields["status"].choices = (
            [c for c in PartyMember.Status.choices if c[0] != PartyMember.Status.TRANSFERRED_OUT]
            if self.instance.status != PartyMember.Status.TRANSFERRED_OUT
            else PartyMember.Status.choices
        )
        self.initial.setdefault("status_on", timezone.localdate())

    def _post_clean(self) -> None:
        pass  # the service validates


class TransferForm(BootstrapMixin, forms.Form):
    direction = forms.ChoiceField(label=_("direction"), choices=MemberTransfer.Direction.choices)
    to_organisation = forms.ModelChoiceField(
        label=_("to branch"), queryset=PartyOrganisation.objects.none(), required=False
    )
    external_organisation = forms.CharField(
        label=_("outside organisation"), required=False, max_length=200
    )
    on = forms.DateField(label=_("date"), widget=DateInput())
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = _regular_branches()


class DualForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = DualCultivation
        fields = ["staff", "track", "mentor", "started_on", "goal"]
        widgets = {"started_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_post = Staff.objects.filter(employment_status=Staff.EmploymentStatus.IN_POST)
        self.fields["staff"].queryset = in_post
        self.fields["mentor"].queryset = in_post

    def _post_clean(self) -> None:
        pass


class DualProgressForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = DualCultivation
        fields = ["goal", "mentor", "progress", "status", "achieved_on"]
        widgets = {"achieved_on": DateInput(), "progress": forms.Textarea(attrs={"rows": 5})}

    def _post_clean(self) -> None:
        pass


class LinkForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ThreeLink
        fields = [
            "level",
            "linker",
            "branch",
            "target_staff",
            "target_name",
            "started_on",
            "contact_interval_days",
        ]
        widgets = {"started_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["linker"].queryset = Staff.objects.filter(party_member__isnull=False)
        self.fields["branch"].queryset = _regular_branches()
        self.fields["target_staff"].queryset = Staff.objects.filter(
            employment_status=Staff.EmploymentStatus.IN_POST
        )

    def _post_clean(self) -> None:
        pass


class ContactForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ContactRecord
        fields = ["contacted_on", "mode", "summary"]
        widgets = {"contacted_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("contacted_on", timezone.localdate())

    def _post_clean(self) -> None:
        pass
