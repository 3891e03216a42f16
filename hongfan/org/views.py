"""Pages for institutions, departments and staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from hongfan.accounts.roles import Cap
from hongfan.audit.services import record_read
from hongfan.core.access import capability_required, get_visible_or_404, require
from hongfan.core.exports import xlsx_response
from hongfan.org import selectors, services
from hongfan.org.forms import DepartmentForm, StaffFilterForm, StaffForm
from hongfan.org.models import Department, Staff

PAGE_SIZE = 50


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _save(form: Any, action: Any) -> Any:
    """Run a service; put its validation errors on the form. Return the result or None."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            # A form may name a service field differently (StaffForm: id_card → id_card_input).
            aliases = getattr(form, "service_field_names", {})
            for field, errors in exc.error_dict.items():
                field = aliases.get(field, field)
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


# --- Institutions ---------------------------------------------------------------------------


@capability_required(Cap.ORG_VIEW, Cap.STRUCTURE_MANAGE)
def institution_list(request: HttpRequest) -> HttpResponse:
    qs = (
        selectors.institution_visible_to(request.user)
        .order_by("code")
        .annotate(
            department_count=Count("departments", distinct=True),
            staff_count=Count(
                "staff",
                filter=Q(staff__employment_status=Staff.EmploymentStatus.IN_POST),
                distinct=True,
            ),
        )
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("institutions"),
            headers=[
                _("code"),
                _("name"),
                _("kind"),
                _("leading institution"),
                _("departments"),
                _("staff in post"),
            ],
            rows=(
                [
                    i.code,
                    i.name,
                    i.get_kind_display(),
                    i.leading or "",
                    i.department_count,
                    i.staff_count,
                ]
                for i in qs
            ),
            object_type="org.institution",
        )
    return render(request, "org/institution_list.html", {"page_obj": _page(request, qs)})


# --- Departments ----------------------------------------------------------------------------


@capability_required(Cap.ORG_VIEW, Cap.STRUCTURE_MANAGE)
def department_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    category = request.GET.get("category", "")
    institution = _int(request.GET.get("institution"))
    qs = selectors.department_list(request.user, q=q, institution=institution, category=category)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("departments"),
            headers=[
                _("institution"),
                _("code"),
                _("name"),
                _("category"),
                _("discipline centre"),
                _("staff in post"),
                _("active"),
            ],
            rows=(
                [
                    d.institution.name,
                    d.code,
                    d.name,
                    d.get_category_display(),
                    d.centre.name if d.centre else "",
                    d.staff_count,
                    _("Yes") if d.is_active else _("No"),
                ]
                for d in qs
            ),
            object_type="org.department",
        )
    return render(
        request,
        "org/department_list.html",
        {
            "page_obj": _page(request, qs),
            "q": q,
            "category": category,
            "institution": institution,
            "categories": Department.Category.choices,
            "institutions": selectors.institution_visible_to(request.user),
            "can_manage": request.user.has_capability(Cap.STRUCTURE_MANAGE),
        },
    )


@capability_required(Cap.ORG_VIEW, Cap.STRUCTURE_MANAGE)
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_visible_or_404(selectors.department_visible_to(request.user), pk=pk)
    staff = (
        selectors.staff_visible_to(request.user)
        .filter(department=department)
        .select_related("party_member")
        .order_by("-is_department_head", "employee_no")
    )
    return render(
        request,
        "org/department_detail.html",
        {
            "department": department,
            "page_obj": _page(request, staff),
            "organisations": department.party_organisations.all(),
            "heads": selectors.department_heads([department.pk]).get(department.pk, []),
            "can_manage": request.user.has_capability(Cap.STRUCTURE_MANAGE),
            "can_see_staff": request.user.has_capability(Cap.ORG_VIEW),
        },
    )


@capability_required(Cap.STRUCTURE_MANAGE)
def department_create(request: HttpRequest) -> HttpResponse:
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        department = _save(form, lambda: services.department_create(**form.cleaned_data))
        if department is not None:
            messages.success(request, _("Department %(name)s created.") % {"name": department})
            return redirect("org:department_detail", pk=department.pk)
    return render(request, "org/form.html", {"form": form, "title": _("New department")})


@capability_required(Cap.STRUCTURE_MANAGE)
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_visible_or_404(selectors.department_visible_to(request.user), pk=pk)
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.department_update(department=department, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Department %(name)s saved.") % {"name": saved})
            return redirect("org:department_detail", pk=saved.pk)
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("Edit department %(name)s") % {"name": department.name}},
    )


# --- Staff ----------------------------------------------------------------------------------


@capability_required(Cap.ORG_VIEW)
def staff_list(request: HttpRequest) -> HttpResponse:
    departments = selectors.department_visible_to(request.user).filter(is_active=True)
    if not request.user.scope.hospital_wide:
        departments = Department.objects.filter(
            pk__in=selectors.staff_visible_to(request.user).values("department_id")
        ).select_related("institution")
    form = StaffFilterForm(request.GET or None, departments=departments)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"],
            "department": data["department"].pk if data["department"] else None,
            "post_category": data["post_category"],
            "title_level": data["title_level"],
            "education": data["education"],
            "political_status": data["political_status"],
            "employment_status": data["employment_status"],
        }
    filters["institution"] = _int(request.GET.get("institution"))
    filters["head_only"] = request.GET.get("head") == "1"
    qs = selectors.staff_list(request.user, **filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=_("staff"),
            headers=[
                _("institution"),
                _("employee number"),
                pgettext("person", "name"),
                _("gender"),
                _("birth date"),
                _("ID-card number"),
                _("phone"),
                _("department"),
                _("post category"),
                _("professional title level"),
                _("education"),
                _("department head"),
                _("political status"),
                _("branch"),
                _("employment status"),
                _("hired on"),
                _("left on"),
            ],
            rows=(
                [
                    s.institution.name,
                    s.employee_no,
                    s.name,
                    s.get_gender_display(),
                    s.birth_date,
                    s.masked_id_card,
                    s.masked_phone,
                    s.department.name,
                    s.get_post_category_display(),
                    s.get_title_level_display(),
                    s.get_education_display(),
                    _("Yes") if s.is_department_head else "",
                    s.get_political_status_display(),
                    _member_branch(s),
                    s.get_employment_status_display(),
                    s.hired_on,
                    s.left_on,
                ]
                for s in qs.iterator(chunk_size=2000)
            ),
            object_type="org.staff",
            detail={"masked": True},
        )
    return render(
        request,
        "org/staff_list.html",
        {
            "page_obj": _page(request, qs),
            "form": form,
            "can_manage": request.user.has_capability(Cap.ORG_MANAGE),
        },
    )


def _member_branch(staff: Staff) -> str:
    member = getattr(staff, "party_member", None)
    return member.organisation.name if member is not None else ""


def _staff_detail_context(request: HttpRequest, staff: Staff, *, revealed: bool) -> dict:
    member = getattr(staff, "party_member", None)
    return {
        "staff": staff,
        "member": member,
        "revealed": revealed,
        "can_reveal": request.user.has_capability(Cap.SENSITIVE_VIEW),
        "can_manage": request.user.has_capability(Cap.ORG_MANAGE),
        "can_see_member": member is not None and request.user.has_capability(Cap.PARTY_VIEW),
    }


@capability_required(Cap.ORG_VIEW, Cap.SELF_VIEW)
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    qs = selectors.staff_visible_to(request.user).select_related(
        "institution", "department", "party_member__organisation"
    )
    if not request.user.has_capability(Cap.ORG_VIEW):
        qs = qs.filter(pk=request.user.staff_id or 0)  # staff see their own record only
    staff = get_visible_or_404(qs, pk=pk)
    return render(
        request, "org/staff_detail.html", _staff_detail_context(request, staff, revealed=False)
    )


@require_POST
@capability_required(Cap.SENSITIVE_VIEW)
def staff_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full ID-card number and phone ("显示完整号码"); the read is audited."""
    staff = get_visible_or_404(
        selectors.staff_visible_to(request.user).select_related(
            "institution", "department", "party_member__organisation"
        ),
        pk=pk,
    )
    record_read(
        staff,
        user=request.user,
        source_ip=request.META.get("REMOTE_ADDR", ""),
        what="id_card,phone",
    )
    return render(
        request, "org/staff_detail.html", _staff_detail_context(request, staff, revealed=True)
    )


@capability_required(Cap.ORG_MANAGE)
def staff_create(request: HttpRequest) -> HttpResponse:
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        staff = _save(form, lambda: services.staff_create(**form.service_values()))
        if staff is not None:
            messages.success(request, _("%(name)s has been added.") % {"name": staff.name})
            return redirect("org:staff_detail", pk=staff.pk)
    return render(request, "org/form.html", {"form": form, "title": _("New staff member")})


@login_required
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, Cap.ORG_MANAGE)
    staff = get_visible_or_404(selectors.staff_visible_to(request.user), pk=pk)
    form = StaffForm(request.POST or None, instance=staff)
    if request.method == "POST" and form.is_valid():
        saved = _save(form, lambda: services.staff_update(staff=staff, **form.service_values()))
        if saved is not None:
            messages.success(request, _("%(name)s has been saved.") % {"name": saved.name})
            return redirect("org:staff_detail", pk=saved.pk)
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": staff.name}},
    )
