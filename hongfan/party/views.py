"""Pages for the Party tree, members, committees, warnings, composition, 双培养 and 三联."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hongfan.accounts.roles import Cap
from hongfan.core.access import capability_required, get_visible_or_404
from hongfan.core.exports import xlsx_response
from hongfan.org.selectors import institution_visible_to
from hongfan.org.views import _int, _save
from hongfan.party import selectors, services
from hongfan.party.forms import (
    CommitteeSeatForm,
    ContactForm,
    DualForm,
    DualProgressForm,
    LinkForm,
    MemberCreateForm,
    MemberEditForm,
    OrganisationForm,
    SeatEndForm,
    TransferForm,
)
from hongfan.party.models import (
    DualCultivation,
    PartyMember,
    PartyOrganisation,
    ThreeLink,
)

PAGE_SIZE = 50
Kind = PartyOrganisation.Kind


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _date(request: HttpRequest, name: str = "on") -> dt.date:
    value = request.GET.get(name, "")
    try:
        parsed = parse_date(value) if value else None
    except ValueError:
        parsed = None
    return parsed or timezone.localdate()


# --- Organisation tree ----------------------------------------------------------------------


@capability_required(Cap.PARTY_VIEW)
def tree(request: HttpRequest) -> HttpResponse:
    on = _date(request)
    roots = selectors.organisation_tree(request.user, on=on)
    return render(
        request,
        "party/tree.html",
        {"roots": roots, "on": on, "can_manage": request.user.has_capability(Cap.PARTY_MANAGE)},
    )


@capability_required(Cap.PARTY_VIEW)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    on = timezone.localdate()
    org = get_visible_or_404(
        selectors.with_structure_counts(selectors.organisation_visible_to(request.user), on=on),
        pk=pk,
    )
    seats = org.committee.select_related("member__staff").order_by("ended_on", "position")
    members = (
        selectors.member_visible_to(request.user)
        .filter(Q(organisation=org) | Q(group=org), status=PartyMember.Status.NORMAL)
        .order_by("staff__employee_no")
    )
    return render(
        request,
        "party/organisation_detail.html",
        {
            "org": org,
            "warnings": selectors.warnings_for(org, on=on),
            "seats": seats,
            "departments": org.departments.all(),
            "children": selectors.organisation_visible_to(request.user).filter(parent=org),
            "page_obj": _page(request, members),
            "participants": org.temporary_assignments.select_related("member__staff")
            if org.is_temporary
            else [],
            "can_manage": request.user.has_capability(Cap.PARTY_MANAGE),
        },
    )


@capability_required(Cap.PARTY_MANAGE)
def organisation_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    parent_id = _int(request.GET.get("parent"))
    if parent_id:
        initial["parent"] = parent_id
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        org = _save(form, lambda: services.organisation_create(**form.cleaned_data))
        if org is not None:
            messages.success(request, _("%(name)s created.") % {"name": org.name})
            return redirect("party:organisation_detail", pk=org.pk)
    return render(request, "party/form.html", {"form": form, "title": _("New Party organisation")})


@capability_required(Cap.PARTY_MANAGE)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_visible_or_404(selectors.organisation_visible_to(request.user), pk=pk)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        departments = data.pop("departments")
        saved = _save(
            form,
            lambda: services.organisation_update(organisation=org, departments=departments, **data),
        )
        if saved is not None:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("party:organisation_detail", pk=saved.pk)
    return render(
        request,
        "party/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": org.name}},
    )


@capability_required(Cap.PARTY_MANAGE)
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee seats of an organisation: seat a member, end a seat."""
    org = get_visible_or_404(selectors.organisation_visible_to(request.user), pk=pk)
    if org.kind == Kind.GROUP:
        raise Http404
    if org.is_temporary:
        candidates = PartyMember.objects.filter(temporary_assignments__organisation=org)
    else:
        ids = selectors.organisation_descendant_ids([org.pk])
        candidates = PartyMember.objects.filter(organisation_id__in=ids)
    candidates = candidates.filter(status=PartyMember.Status.NORMAL).select_related("staff")
    form = CommitteeSeatForm(None, members=candidates)
    end_form = SeatEndForm()
    if request.method == "POST":
        if "seat" in request.POST:
            end_form = SeatEndForm(request.POST)
            if end_form.is_valid():
                seat = get_visible_or_404(org.committee.all(), pk=end_form.cleaned_data["seat"])
                if _save(
                    end_form,
                    lambda: services.committee_seat_end(
                        seat=seat, on=end_form.cleaned_data["ended_on"]
                    ),
                ):
                    messages.success(request, _("The seat has ended."))
                    return redirect("party:committee_edit", pk=org.pk)
        else:
            form = CommitteeSeatForm(request.POST, members=candidates)
            if form.is_valid() and _save(
                form, lambda: services.committee_seat_add(organisation=org, **form.cleaned_data)
            ):
                messages.success(request, _("The seat has been added."))
                return redirect("party:committee_edit", pk=org.pk)
    seats = org.committee.select_related("member__staff").order_by("ended_on", "position")
    return render(
        request,
        "party/committee_edit.html",
        {
            "org": org,
            "form": form,
            "end_form": end_form,
            "seats": seats,
            "today": timezone.localdate(),
        },
    )


# --- Members --------------------------------------------------------------------------------


@capability_required(Cap.PARTY_VIEW)
def member_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.member_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    organisation = _int(request.GET.get("organisation"))
    category = request.GET.get("category", "")
    status = request.GET.get("status", PartyMember.Status.NORMAL)
    flag = request.GET.get("flag", "")
    if q:
        qs = qs.filter(Q(staff__name__icontains=q) | Q(staff__employee_no__icontains=q))
    if organisation:
        qs = qs.filter(Q(organisation_id=organisation) | Q(group_id=organisation))
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if flag == "mobile":
        qs = qs.filter(is_mobile=True)
    elif flag == "lost":
        qs = qs.filter(is_lost_contact=True)
    elif flag == "retired":
        qs = qs.filter(is_retired=True)
    qs = qs.order_by("organisation__sort_order", "organisation__code", "staff__employee_no")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("party-members"),
            headers=[
                _("employee number"),
                pgettext("person", "name"),
                _("department"),
                _("branch"),
                _("Party group"),
                _("category"),
                _("status"),
                _("applied on"),
                _("joined on"),
                _("became full member on"),
                _("mobile member"),
                _("lost contact"),
                _("phone"),
            ],
            rows=(
                [
                    m.staff.employee_no,
                    m.staff.name,
                    m.staff.department.name,
                    m.organisation.name,
                    m.group.name if m.group else "",
                    m.get_category_display(),
                    m.get_status_display(),
                    m.applied_on,
                    m.joined_on,
                    m.confirmed_on,
                    _("Yes") if m.is_mobile else "",
                    _("Yes") if m.is_lost_contact else "",
                    m.staff.masked_phone,
                ]
                for m in qs.iterator(chunk_size=2000)
            ),
            object_type="party.partymember",
            detail={"masked": True},
        )
    return render(
        request,
        "party/member_list.html",
        {
            "page_obj": _page(request, qs),
            "q": q,
            "organisation": organisation,
            "category": category,
            "status": status,
            "flag": flag,
            "organisations": selectors.organisation_visible_to(request.user).filter(
                kind__in=[Kind.BRANCH, Kind.GROUP], dissolved_on__isnull=True
            ),
            "categories": PartyMember.Category.choices,
            "statuses": PartyMember.Status.choices,
            "can_manage": request.user.has_capability(Cap.PARTY_MANAGE),
        },
    )


@capability_required(Cap.PARTY_VIEW)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible_or_404(selectors.member_visible_to(request.user), pk=pk)
    return render(
        request,
        "party/member_detail.html",
        {
            "member": member,
            "transfers": member.transfers.select_related("from_organisation", "to_organisation"),
            "seats": member.committee_seats.select_related("organisation"),
            "assignments": member.temporary_assignments.select_related("organisation"),
            "cultivations": member.staff.dual_cultivations.all(),
            "can_manage": request.user.has_capability(Cap.PARTY_MANAGE),
        },
    )


@capability_required(Cap.PARTY_MANAGE)
def member_create(request: HttpRequest) -> HttpResponse:
    form = MemberCreateForm(request.POST or None, initial={"staff": request.GET.get("staff")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        member = _save(form, lambda: services.member_create(**data))
        if member is not None:
            messages.success(
                request, _("%(name)s recorded as a Party member.") % {"name": member.staff.name}
            )
            return redirect("party:member_detail", pk=member.pk)
    return render(request, "party/form.html", {"form": form, "title": _("New Party member")})


@capability_required(Cap.PARTY_MANAGE)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible_or_404(selectors.member_visible_to(request.user), pk=pk)
    form = MemberEditForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        status = data.pop("status")
        status_on = data.pop("status_on") or timezone.localdate()

        def save() -> PartyMember:
            saved = services.member_update(member=member, **data)
            if status != saved.status:
                saved = services.member_set_status(member=saved, status=status, on=status_on)
            return saved

        saved = _save(form, save)
        if saved is not None:
            messages.success(request, _("%(name)s saved.") % {"name": saved.staff.name})
            return redirect("party:member_detail", pk=saved.pk)
    return render(
        request,
        "party/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": member.staff.name}},
    )


@capability_required(Cap.PARTY_MANAGE)
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible_or_404(selectors.member_visible_to(request.user), pk=pk)
    form = TransferForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        transfer = _save(form, lambda: services.member_transfer(member=member, **form.cleaned_data))
        if transfer is not None:
            messages.success(request, _("The transfer has been recorded."))
            return redirect("party:member_detail", pk=member.pk)
    return render(
        request,
        "party/transfer.html",
        {"form": form, "member": member, "transfers": member.transfers.all()},
    )


# --- Warnings and composition ---------------------------------------------------------------


@capability_required(Cap.PARTY_VIEW)
def warnings(request: HttpRequest) -> HttpResponse:
    on = _date(request)
    orgs = selectors.organisation_visible_to(request.user)
    found = selectors.structure_warnings(orgs, on=on)
    by_id = {o.pk: o for o in orgs.filter(pk__in=found)}
    rows = [(by_id[pk], found[pk]) for pk in sorted(found, key=lambda i: by_id[i].code)]
    code = request.GET.get("code", "")
    if code:
        rows = [(o, [w for w in ws if w.code == code]) for o, ws in rows]
        rows = [(o, ws) for o, ws in rows if ws]
    return render(request, "party/warnings.html", {"rows": rows, "on": on, "code": code})


def _composition_args(request: HttpRequest) -> dict[str, Any]:
    """Resolve the date and filters, limited to what the user may see (404 outside)."""
    user = request.user
    on = _date(request, "date") if request.GET.get("date") else _date(request)
    institution = _int(request.GET.get("institution"))
    branch = _int(request.GET.get("branch"))
    scope_ids = selectors.composition_scope_ids(user)
    organisation_ids: list[int] | None = None
    if branch:
        get_visible_or_404(selectors.organisation_visible_to(user), pk=branch)
        organisation_ids = [branch]
    elif scope_ids is not None:
        organisation_ids = scope_ids
    if institution and scope_ids is not None:
        institution = None  # a secretary's figures are always their branch's
    return {"on": on, "institution_id": institution, "organisation_ids": organisation_ids}


@capability_required(Cap.COMPOSITION_VIEW)
def composition(request: HttpRequest) -> HttpResponse:
    args = _composition_args(request)
    figures = selectors.composition(**args)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("composition"),
            headers=[_("figure"), _("count"), _("of"), _("percentage")],
            rows=_composition_rows(figures),
            object_type="party.composition",
        )
    return render(
        request,
        "party/composition.html",
        {
            "figures": figures,
            "rows": _composition_rows(figures),
            "institutions": institution_visible_to(request.user)
            if request.user.scope.hospital_wide
            else [],
            "branches": selectors.organisation_visible_to(request.user).filter(
                kind__in=[Kind.COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH], is_temporary=False
            ),
            "institution": args["institution_id"],
            "branch": _int(request.GET.get("branch")),
        },
    )


def _composition_rows(f: selectors.Composition) -> list[list[Any]]:
    def pct(value: Any) -> str:
        return f"{value}%" if value is not None else "—"

    return [
        [_("Members in post"), f.members_in_post, "", ""],
        [
            _("Professional-technical staff among members in post"),
            f.professional_members,
            f.members_in_post,
            pct(f.professional_pct),
        ],
        [
            _("Members among senior-title staff (正高 + 副高)"),
            f.senior_members,
            f.senior_staff,
            pct(f.senior_pct),
        ],
        [
            _("Members among master's and doctorate staff"),
            f.postgraduate_members,
            f.postgraduate_staff,
            pct(f.postgraduate_pct),
        ],
        [_("Branches"), f.branches, "", ""],
        [
            _("Branch secretaries who head a bound department (双带头人)"),
            f.dual_leader_branches,
            f.branches,
            pct(f.dual_leader_pct),
        ],
    ]


# --- 双培养 ---------------------------------------------------------------------------------


@capability_required(Cap.PARTY_VIEW)
def dual_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.dual_visible_to(request.user).order_by("track", "status", "-started_on")
    track = request.GET.get("track", "")
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    if track:
        qs = qs.filter(track=track)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(staff__name__icontains=q) | Q(staff__employee_no__icontains=q))
    summary = selectors.dual_summary(selectors.dual_visible_to(request.user))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("dual-cultivation"),
            headers=[
                _("track"),
                _("employee number"),
                pgettext("person", "name"),
                _("department"),
                _("mentor"),
                _("started on"),
                _("goal"),
                _("status"),
                _("achieved on"),
                pgettext("party", "progress"),
            ],
            rows=(
                [
                    d.get_track_display(),
                    d.staff.employee_no,
                    d.staff.name,
                    d.staff.department.name,
                    d.mentor.name if d.mentor else "",
                    d.started_on,
                    d.goal,
                    d.get_status_display(),
                    d.achieved_on,
                    d.progress,
                ]
                for d in qs
            ),
            object_type="party.dualcultivation",
        )
    return render(
        request,
        "party/dual_list.html",
        {
            "page_obj": _page(request, qs),
            "summary": summary,
            "track": track,
            "status": status,
            "q": q,
            "tracks": DualCultivation.Track.choices,
            "statuses": DualCultivation.Status.choices,
            "can_manage": request.user.has_capability(Cap.PARTY_MANAGE),
        },
    )


@capability_required(Cap.PARTY_MANAGE)
def dual_create(request: HttpRequest) -> HttpResponse:
    form = DualForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda: services.dual_create(**form.cleaned_data))
    ):
        messages.success(request, _("Added to the dual-cultivation list."))
        return redirect("party:dual_list")
    return render(
        request, "party/form.html", {"form": form, "title": _("Add to the dual-cultivation list")}
    )


@capability_required(Cap.PARTY_MANAGE)
def dual_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(selectors.dual_visible_to(request.user), pk=pk)
    form = DualProgressForm(request.POST or None, instance=item)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda: services.dual_update(item=item, **form.cleaned_data))
    ):
        messages.success(request, _("Progress saved."))
        return redirect("party:dual_list")
    return render(
        request,
        "party/form.html",
        {"form": form, "title": _("Progress of %(name)s") % {"name": item.staff.name}},
    )


# --- 三联 -----------------------------------------------------------------------------------


@capability_required(Cap.PARTY_VIEW)
def links_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    base = selectors.link_visible_to(request.user).order_by("level", "branch__code", "id")
    level = request.GET.get("level", "")
    overdue = request.GET.get("overdue") == "1"
    show_ended = request.GET.get("ended") == "1"
    if level:
        base = base.filter(level=level)
    if not show_ended:
        base = base.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    qs = selectors.links_with_contact_state(base, on=today)
    overdue_count = sum(1 for lk in qs if lk.is_overdue)
    if overdue:
        qs = [lk for lk in qs if lk.is_overdue]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("three-links"),
            headers=[
                pgettext("party", "level"),
                _("linked by"),
                _("branch"),
                _("linked person"),
                _("started on"),
                _("contact at least every (days)"),
                _("last contact"),
                _("overdue"),
            ],
            rows=(
                [
                    lk.get_level_display(),
                    lk.linker.name,
                    lk.branch.name if lk.branch else "",
                    lk.target_staff.name if lk.target_staff else lk.target_name,
                    lk.started_on,
                    lk.contact_interval_days,
                    lk.last_contact_on,
                    _("Yes") if lk.is_overdue else "",
                ]
                for lk in qs
            ),
            object_type="party.threelink",
        )
    return render(
        request,
        "party/links_list.html",
        {
            "page_obj": _page(request, qs),
            "level": level,
            "overdue": overdue,
            "show_ended": show_ended,
            "overdue_count": overdue_count,
            "levels": ThreeLink.Level.choices,
            "can_manage": request.user.has_capability(Cap.PARTY_MANAGE),
        },
    )


@capability_required(Cap.PARTY_MANAGE)
def link_create(request: HttpRequest) -> HttpResponse:
    form = LinkForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        link = _save(form, lambda: services.link_create(**form.cleaned_data))
        if link is not None:
            messages.success(request, _("The pairing has been created."))
            return redirect("party:link_detail", pk=link.pk)
    return render(request, "party/form.html", {"form": form, "title": _("New three-link pairing")})


def _may_record_contact(user: Any, link: ThreeLink) -> bool:
    """The Party office, the branch's secretary and the linking person record contacts."""
    if user.has_capability(Cap.PARTY_MANAGE):
        return True
    scope = user.scope
    return (link.branch_id in scope.organisation_ids) or (
        scope.staff_id is not None and link.linker_id == scope.staff_id
    )


@capability_required(Cap.PARTY_VIEW)
def link_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    link = get_visible_or_404(
        selectors.link_visible_to(request.user).annotate(
            last_contact_on=Max("contacts__contacted_on")
        ),
        pk=pk,
    )
    link.is_overdue = selectors.link_is_overdue(link, on=today)
    may_record = _may_record_contact(request.user, link)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid() and _save(
            form,
            lambda: services.contact_record_add(
                link=link, recorded_by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The contact has been recorded."))
            return redirect("party:link_detail", pk=link.pk)
    return render(
        request,
        "party/link_detail.html",
        {
            "link": link,
            "contacts": link.contacts.select_related("recorded_by"),
            "form": form,
            "may_record": may_record,
        },
    )
