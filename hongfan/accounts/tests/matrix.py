from axes.models import AccessAttempt
from django.utils import timezone

from hongfan.accounts.roles import SECOND_FACTOR_ROLES, Role
from hongfan.core.matrix import ALL_ROLES, Case


def _plain(w):  # type: ignore[no-untyped-def]
    return {"pk": w.user(Role.STAFF).pk}


def _plain_assignment(w):  # type: ignore[no-untyped-def]
    return {"pk": w.user(Role.STAFF).role_assignments.get().pk}


def _attempt(w):  # type: ignore[no-untyped-def]
    attempt = AccessAttempt.objects.create(
        username="plain_a1",
        ip_address="10.0.0.9",
        user_agent="test",
        attempt_time=timezone.now(),
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    return {"pk": attempt.pk}


_SYS = {Role.SYSTEM_ADMIN}
_SEC = {Role.SECURITY_ADMIN}

CASES = [
    Case("accounts:password_change", allowed=set(ALL_ROLES)),
    # Every signed-in user may enrol a TOTP device.
    Case("accounts:otp_setup", allowed=set(ALL_ROLES)),
    # With a confirmed device the code form shows; without one the page sends you to set-up.
    Case(
        "accounts:otp_verify",
        allowed=set(SECOND_FACTOR_ROLES),
        denied_status=302,
    ),
    # Accounts: the system administrator only.
    Case("accounts:user_list", allowed=_SYS),
    Case("accounts:user_list", allowed=_SYS, query="export=xlsx", label="get:user_list.xlsx"),
    Case("accounts:user_create", allowed=_SYS),
    Case(
        "accounts:user_set_active",
        allowed=_SYS,
        kwargs=_plain,
        method="post",
        data=lambda w: {"active": "0"},
        ok_status=302,
    ),
    Case("accounts:user_reset_password", allowed=_SYS, kwargs=_plain),
    # Roles and lockouts: the security administrator only.
    Case("accounts:role_list", allowed=_SEC),
    Case("accounts:role_list", allowed=_SEC, query="export=xlsx", label="get:role_list.xlsx"),
    Case("accounts:user_roles", allowed=_SEC, kwargs=_plain),
    Case(
        "accounts:role_revoke",
        allowed=_SEC,
        kwargs=_plain_assignment,
        method="post",
        ok_status=302,
    ),
    Case("accounts:lockout_list", allowed=_SEC),
    Case("accounts:lockout_unlock", allowed=_SEC, kwargs=_attempt, method="post", ok_status=302),
]
