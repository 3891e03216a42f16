"""Sign-in, password change, the TOTP second factor, and the account, role and lockout pages."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongfan.accounts import selectors, services
from hongfan.accounts.forms import (
    LoginForm,
    OTPTokenForm,
    PasswordResetForm,
    RoleAssignForm,
    UserCreateForm,
    UserFilterForm,
)
from hongfan.accounts.models import RoleAssignment, User
from hongfan.accounts.roles import Cap
from hongfan.core.access import capability_required, get_visible_or_404
from hongfan.core.exports import xlsx_response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return "/"
    return target


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_change_password(
            user=request.user,  # type: ignore[arg-type]
            new_password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: show its QR code, confirm with a first code.

    A user who already has a confirmed device must pass it first: otherwise a stolen
    password alone would be enough to enrol a new device and replace the old one.
    """
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if has_device and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect(
            f"{reverse('accounts:otp_verify')}?{urlencode({'next': _safe_next(request)})}"
        )
    device = services.totp_device_pending(user=request.user)  # type: ignore[arg-type]
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Your authenticator is set up."))
            return redirect(_safe_next(request))
        form.add_error("token", _("The code is wrong or has already been used."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": services.totp_secret_b32(device)},
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.totp_verify(user=request.user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("The code is wrong or has already been used."))
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if not has_device:
        return redirect("accounts:otp_setup")
    return render(request, "accounts/otp_verify.html", {"form": form})


# --- Account management (system administrator) --------------------------------------------


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, 50).get_page(request.GET.get("page"))


def _roles_text(user: User) -> str:
    return "、".join(
        str(a.get_role_display())
        + (f"（{a.organisation or a.department}）" if a.organisation or a.department else "")
        for a in user.role_assignments.all()
    )


def _filtered_users(request: HttpRequest) -> tuple[UserFilterForm, QuerySet[User]]:
    form = UserFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.user_list(
        search=data.get("q", ""), role=data.get("role", ""), active=data.get("active", "")
    )
    return form, qs


@capability_required(Cap.ACCOUNTS_MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered_users(request)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=str(_("accounts")),
            headers=[
                str(h)
                for h in (
                    _("User name"),
                    _("Name"),
                    _("Employee number"),
                    _("Department"),
                    _("Roles"),
                    _("Active"),
                    _("Last sign-in"),
                    _("Password changed at"),
                )
            ],
            rows=(
                (
                    u.username,
                    u.staff.name if u.staff else "",
                    u.staff.employee_no if u.staff else "",
                    str(u.staff.department) if u.staff and u.staff.department_id else "",
                    _roles_text(u),
                    str(_("Yes") if u.is_active else _("No")),
                    u.last_login,
                    u.password_changed_at,
                )
                for u in qs.iterator(chunk_size=500)
            ),
            object_type="accounts.user",
            sheet_title=str(_("Accounts")),
        )
    return render(
        request, "accounts/user_list.html", {"filter_form": form, "page_obj": _page(request, qs)}
    )


@capability_required(Cap.ACCOUNTS_MANAGE)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                staff=form.cleaned_data["employee_no"],
                email=form.cleaned_data["email"],
                created_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            _add_errors(form, exc, fallback_field="password1")
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@require_POST
@capability_required(Cap.ACCOUNTS_MANAGE)
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_visible_or_404(User.objects.all(), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(user=user, active=active, changed_by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (_("Account %(name)s enabled.") if active else _("Account %(name)s disabled."))
            % {"name": user.username},
        )
    return redirect("accounts:user_list")


@capability_required(Cap.ACCOUNTS_MANAGE)
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_visible_or_404(User.objects.all(), pk=pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_reset_password(
                user=target,
                new_password=form.cleaned_data["password1"],
                reset_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            _add_errors(form, exc, fallback_field="password1")
        else:
            messages.success(
                request,
                _("The password of %(name)s was reset; it must be changed at the next sign-in.")
                % {"name": target.username},
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_password.html", {"form": form, "target": target})


def _add_errors(form: Any, exc: ValidationError, *, fallback_field: str) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        # A plain list (password validators, separation of duties) goes to ``fallback_field``.
        form.add_error(fallback_field, exc.messages)


# --- Roles (security administrator) ---------------------------------------------------------


@capability_required(Cap.ROLES_MANAGE)
def role_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered_users(request)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            request,
            filename=str(_("roles")),
            headers=[str(_("User name")), str(_("Name")), str(_("Roles")), str(_("Active"))],
            rows=(
                (
                    u.username,
                    u.staff.name if u.staff else "",
                    _roles_text(u),
                    str(_("Yes") if u.is_active else _("No")),
                )
                for u in qs.iterator(chunk_size=500)
            ),
            object_type="accounts.roleassignment",
            sheet_title=str(_("Roles")),
        )
    return render(
        request, "accounts/role_list.html", {"filter_form": form, "page_obj": _page(request, qs)}
    )


@capability_required(Cap.ROLES_MANAGE)
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_visible_or_404(User.objects.select_related("staff"), pk=pk)
    form = RoleAssignForm(request.POST or None)
    own = target.pk == request.user.pk
    if request.method == "POST" and form.is_valid():
        if own:
            form.add_error(None, _("You cannot change your own roles."))
        else:
            try:
                services.assign_role(
                    user=target,
                    role=form.cleaned_data["role"],
                    organisation_id=getattr(form.cleaned_data["organisation"], "pk", None),
                    department_id=getattr(form.cleaned_data["department"], "pk", None),
                    granted_by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                _add_errors(form, exc, fallback_field="role")
            else:
                messages.success(request, _("Role granted."))
                return redirect("accounts:user_roles", pk=target.pk)
    assignments = target.role_assignments.select_related(
        "organisation", "department", "granted_by"
    ).order_by("role")
    return render(
        request,
        "accounts/user_roles.html",
        {"target": target, "form": form, "assignments": assignments, "own": own},
    )


@require_POST
@capability_required(Cap.ROLES_MANAGE)
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(RoleAssignment.objects.select_related("user"), pk=pk)
    if assignment.user_id == request.user.pk:
        messages.error(request, _("You cannot change your own roles."))
    else:
        services.revoke_role(assignment=assignment, revoked_by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Role revoked."))
    return redirect("accounts:user_roles", pk=assignment.user_id)


# --- Lockouts (security administrator) -----------------------------------------------------


@capability_required(Cap.SECURITY_VIEW)
def lockout_list(request: HttpRequest) -> HttpResponse:
    limit = settings.AXES_FAILURE_LIMIT
    page = _page(request, selectors.attempts_recent())
    return render(
        request,
        "accounts/lockout_list.html",
        {
            "page_obj": page,
            "failure_limit": limit,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@require_POST
@capability_required(Cap.SECURITY_VIEW)
def lockout_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_visible_or_404(selectors.attempts_recent(), pk=pk)
    services.lockout_clear(attempt=attempt, cleared_by=request.user)  # type: ignore[arg-type]
    messages.success(
        request, _("Sign-in for %(name)s unlocked.") % {"name": attempt.username or "—"}
    )
    return redirect("accounts:lockout_list")
