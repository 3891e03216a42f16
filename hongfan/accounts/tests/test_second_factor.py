"""TOTP second factor for the three admin roles and the discipline office; the Django admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.admin import OTPAdminSite
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongfan.accounts.models import User
from hongfan.accounts.roles import SECOND_FACTOR_ROLES, Role
from hongfan.accounts.services import assign_role
from hongfan.core.matrix import all_cases
from hongfan.core.testing import World, login

HOME = "/"
VERIFY = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")
_SIGN_IN_PAGES = {
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:login",
    "accounts:logout",
}


def _user_with_role(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password="Hongfan#2026pw")
    assign_role(user=user, role=role)
    return User.objects.get(pk=user.pk)


def _device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _password_only(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("role", sorted(SECOND_FACTOR_ROLES))
def test_the_role_must_pass_a_second_factor(db: None, role: str) -> None:
    user = _user_with_role("holder", role)
    response = _password_only(user).get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


@pytest.mark.parametrize("role", [Role.STAFF, Role.PARTY_OFFICE, Role.PRESIDENT_OFFICE])
def test_other_roles_do_not_need_one(db: None, role: str) -> None:
    user = _user_with_role("holder", role)
    assert _password_only(user).get(HOME).status_code == 200


def test_an_admin_without_a_verified_device_is_redirected_from_every_page(world: World) -> None:
    """Every GET page of every app's permission matrix, plus the account pages."""
    user = User.objects.create_user(username="newadmin", password="x")
    assign_role(user=user, role=Role.SYSTEM_ADMIN)
    client = _password_only(User.objects.get(pk=user.pk))
    checked = 0
    for case in all_cases():
        if case.method != "get" or case.url_name in _SIGN_IN_PAGES:
            continue
        try:
            # A savepoint per fixture: one app's fixture failing (e.g. a unique key created
            # twice in this single test) must not break the transaction for the others.
            with transaction.atomic():
                kwargs = case.kwargs(world) if case.kwargs else None
        except Exception:  # noqa: S112 (another app's fixture; its own matrix reports it)
            continue
        url = reverse(case.url_name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
        checked += 1
    for url in ("/admin/", "/admin/accounts/user/", "/api/docs"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), url
    assert checked >= 10


def test_with_a_device_the_user_is_sent_to_the_code_form(db: None) -> None:
    user = _user_with_role("holder", Role.AUDIT_ADMIN)
    _device(user)
    response = _password_only(user).get("/audit/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Faudit%2F"


def test_a_correct_code_passes(db: None) -> None:
    user = _user_with_role("holder", Role.SECURITY_ADMIN)
    device = _device(user)
    client = _password_only(user)
    response = client.post(f"{VERIFY}?next=/accounts/roles/", {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/roles/"
    assert client.get("/accounts/roles/").status_code == 200


def test_a_wrong_code_fails(db: None) -> None:
    user = _user_with_role("holder", Role.SECURITY_ADMIN)
    device = _device(user)
    client = _password_only(user)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert client.get(HOME).status_code == 302


def test_a_reused_code_fails(db: None) -> None:
    user = _user_with_role("holder", Role.DISCIPLINE)
    device = _device(user)
    code = _code(device)
    first = _password_only(user)
    assert first.post(VERIFY, {"token": code}).status_code == 302
    second = _password_only(user)  # e.g. an attacker replaying the code seconds later
    response = second.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert second.get(HOME).status_code == 302
    assert first.get(HOME).status_code == 200


def test_enrolment_shows_a_qr_code_and_the_first_code_verifies(db: None) -> None:
    user = _user_with_role("holder", Role.SYSTEM_ADMIN)
    client = _password_only(user)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert b"<svg" in page.content
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(f"{SETUP}?next=/accounts/users/", {"token": _code(pending)})
    assert response["Location"] == "/accounts/users/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/accounts/users/").status_code == 200


def test_a_password_alone_cannot_enrol_a_new_device_over_an_existing_one(db: None) -> None:
    user = _user_with_role("holder", Role.SYSTEM_ADMIN)
    old = _device(user)
    response = _password_only(user).get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=user)) == [old]


def test_the_second_factor_can_be_switched_off_by_setting(db: None, settings) -> None:
    settings.HONGFAN_REQUIRE_2FA = False
    user = _user_with_role("holder", Role.AUDIT_ADMIN)
    assert _password_only(user).get(HOME).status_code == 200


class TestAdminSite:
    """The Django admin: only a verified holder of Cap.ADMIN_SITE (the system administrator)."""

    def test_the_default_site_is_otp_protected(self) -> None:
        assert isinstance(admin.site, OTPAdminSite)

    def test_a_verified_system_admin_gets_in(self, db: None) -> None:
        user = _user_with_role("holder", Role.SYSTEM_ADMIN)
        client = login(Client(), user)
        assert client.get("/admin/").status_code == 200
        assert not user.is_staff and not user.is_superuser

    def test_an_unverified_system_admin_is_refused(self, db: None, settings) -> None:
        # Switch off the site-wide middleware to prove the admin site refuses on its own.
        settings.HONGFAN_REQUIRE_2FA = False
        user = _user_with_role("holder", Role.SYSTEM_ADMIN)
        _device(user)
        client = _password_only(user)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 403
        request = RequestFactory().get("/admin/")
        request.user = user
        user.is_verified = lambda: False  # type: ignore[method-assign]
        assert not admin.site.has_permission(request)

    @pytest.mark.parametrize(
        "role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.DISCIPLINE, Role.PARTY_OFFICE]
    )
    def test_a_verified_user_without_the_capability_is_refused(self, db: None, role: str) -> None:
        user = _user_with_role("holder", role)
        client = login(Client(), user)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 403

    def test_a_superuser_flag_alone_does_not_open_the_admin(self, db: None) -> None:
        user = User.objects.create_user(
            username="root", password="x", is_staff=True, is_superuser=True
        )
        client = _password_only(user)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 403

    def test_anonymous_visitors_go_to_the_platform_sign_in(self, db: None) -> None:
        response = Client().get("/admin/", follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))

    def test_the_session_records_the_device(self, db: None) -> None:
        user = _user_with_role("holder", Role.SYSTEM_ADMIN)
        device = _device(user)
        client = _password_only(user)
        client.post(VERIFY, {"token": _code(device)})
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.get("/admin/").status_code == 200
