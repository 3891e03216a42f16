"""Session timeouts and the sign-in policies of SECURITY.md, applied to every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

SESSION_LAST_SEEN = "hf_last_seen"
SESSION_STARTED = "hf_started"

# Paths a signed-in user may reach before passing the second factor. Only the pages that
# complete sign-in: every other page, the account pages under /accounts/ included, needs it.
_OTP_EXEMPT_PREFIXES = (
    "/static/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/otp/",
    "/i18n/",
    "/healthz",
)
# ... and before changing an expired password (after the second factor).
_PASSWORD_EXEMPT_PREFIXES = (*_OTP_EXEMPT_PREFIXES, "/accounts/password/")


def idle_timeout_seconds(user: object) -> int:
    minutes = (
        settings.HONGFAN_ADMIN_IDLE_TIMEOUT_MINUTES
        if getattr(user, "is_admin_role", False)
        else settings.HONGFAN_IDLE_TIMEOUT_MINUTES
    )
    return minutes * 60


class SessionTimeoutMiddleware:
    """Sign the user out after the idle timeout or the absolute session lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED, now)
            last_seen = session.get(SESSION_LAST_SEEN, now)
            absolute = settings.HONGFAN_ABSOLUTE_SESSION_HOURS * 3600
            if now - last_seen > idle_timeout_seconds(user) or now - started > absolute:
                logout(request)
                return redirect_to_login(request.get_full_path())
            session[SESSION_STARTED] = started
            session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


def password_expired(user: object) -> bool:
    if getattr(user, "must_change_password", False):
        return True
    max_age = settings.HONGFAN_PASSWORD_MAX_AGE_DAYS
    if not max_age:
        return False
    applies = getattr(user, "is_admin_role", False) or settings.HONGFAN_PASSWORD_MAX_AGE_ALL_STAFF
    changed = getattr(user, "password_changed_at", None)
    return bool(applies and changed and timezone.now() - changed > timedelta(days=max_age))


class SecurityPolicyMiddleware:
    """Force the TOTP second factor and expired-password changes before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        path = request.path
        if (
            settings.HONGFAN_REQUIRE_2FA
            and not path.startswith(_OTP_EXEMPT_PREFIXES)
            and user.requires_second_factor
            and not user.is_verified()
        ):
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        if not path.startswith(_PASSWORD_EXEMPT_PREFIXES) and password_expired(user):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
