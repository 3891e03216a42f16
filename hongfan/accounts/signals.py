"""Sign-in events written to the audit log (SECURITY.md: time, user, outcome, source IP).

django-axes counts failures on Django's ``user_login_failed`` signal and refuses a locked-out
sign-in by making ``authenticate`` fail, which sends the same signal; both end up here.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from hongfan.audit import services as audit
from hongfan.audit.middleware import client_ip
from hongfan.audit.models import AuditEntry


def _ip(request: HttpRequest | None) -> str:
    return client_ip(request) if request is not None else ""


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        from hongfan.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED

        # The absolute session lifetime counts from the sign-in itself.
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_LAST_SEEN] = now
    audit.record(
        AuditEntry.Action.LOGIN,
        user,
        object_repr=user.get_username(),
        user=user,
        source_ip=_ip(request),
    )


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    audit.record(
        AuditEntry.Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username,
        outcome=AuditEntry.Outcome.FAILURE,
        detail={"locked_out": True} if locked else None,
        user=None,
        username=username,
        source_ip=_ip(request),
    )


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit.record(
        AuditEntry.Action.LOGOUT,
        user,
        object_repr=user.get_username(),
        user=user,
        source_ip=_ip(request),
    )


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="hongfan-accounts-login")
    user_login_failed.connect(on_login_failed, dispatch_uid="hongfan-accounts-login-failed")
    user_logged_out.connect(on_logged_out, dispatch_uid="hongfan-accounts-logout")
