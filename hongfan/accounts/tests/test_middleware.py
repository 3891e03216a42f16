"""Idle and absolute session timeouts, and the forced change of an expired password."""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hongfan.accounts.models import User
from hongfan.accounts.roles import Role
from hongfan.accounts.services import assign_role
from hongfan.core.testing import login

HOME = "/"
LOGIN_URL = reverse("accounts:login")
CHANGE_URL = reverse("accounts:password_change")


class Clock:
    """Stands in for the ``time`` module inside the middleware: a clock that can move."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def move(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta).total_seconds()


@pytest.fixture
def clock() -> Clock:
    clock = Clock()
    with mock.patch("hongfan.accounts.middleware.time", clock):
        yield clock


def _signed_in(user: User) -> Client:
    client = Client()
    login(client, user)
    return client


@pytest.fixture
def admin_user(alice: User) -> User:
    assign_role(user=alice, role=Role.SYSTEM_ADMIN)
    return User.objects.get(pk=alice.pk)


def _gets_home(client: Client) -> bool:
    response = client.get(HOME)
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    return False


def test_29_minutes_idle_keeps_the_session(alice: User, clock: Clock) -> None:
    client = _signed_in(alice)
    assert _gets_home(client)
    clock.move(minutes=29)
    assert _gets_home(client)


def test_31_minutes_idle_sends_the_user_to_sign_in(alice: User, clock: Clock) -> None:
    client = _signed_in(alice)
    assert _gets_home(client)
    clock.move(minutes=31)
    assert not _gets_home(client)
    assert "_auth_user_id" not in client.session  # signed out, not just redirected


def test_activity_resets_the_idle_timer(alice: User, clock: Clock) -> None:
    client = _signed_in(alice)
    for _ in range(4):
        clock.move(minutes=25)
        assert _gets_home(client)


def test_admins_time_out_after_10_minutes(admin_user: User, clock: Clock) -> None:
    client = _signed_in(admin_user)
    assert _gets_home(client)
    clock.move(minutes=9)
    assert _gets_home(client)
    clock.move(minutes=11)
    assert not _gets_home(client)


def test_the_idle_timeout_is_a_setting(alice: User, clock: Clock, settings) -> None:
    settings.HONGFAN_IDLE_TIMEOUT_MINUTES = 5
    client = _signed_in(alice)
    assert _gets_home(client)
    clock.move(minutes=6)
    assert not _gets_home(client)


def test_an_active_session_ends_after_12_hours(alice: User, clock: Clock) -> None:
    client = _signed_in(alice)
    for _ in range(35):  # active every 20 minutes: 11 h 40 min
        clock.move(minutes=20)
        assert _gets_home(client)
    clock.move(minutes=19)  # 11 h 59 min
    assert _gets_home(client)
    clock.move(minutes=2)  # 12 h 01 min
    assert not _gets_home(client)


class TestPasswordExpiry:
    """Admin roles must change their password every 90 days (HONGFAN_PASSWORD_MAX_AGE_DAYS)."""

    def _days_later(self, days: int) -> mock._patch:  # type: ignore[type-arg]
        moved = timezone.now() + dt.timedelta(days=days)
        fake = mock.Mock(wraps=timezone)
        fake.now = lambda: moved
        return mock.patch("hongfan.accounts.middleware.timezone", fake)

    def test_91_days_later_an_admin_is_forced_to_the_change_page(self, admin_user: User) -> None:
        client = _signed_in(admin_user)
        with self._days_later(91):
            response = client.get(HOME)
            assert response.status_code == 302
            assert response["Location"] == CHANGE_URL
            assert client.get(reverse("accounts:user_list"))["Location"] == CHANGE_URL
            assert client.get(CHANGE_URL).status_code == 200

    def test_89_days_later_an_admin_is_not(self, admin_user: User) -> None:
        client = _signed_in(admin_user)
        with self._days_later(89):
            assert client.get(HOME).status_code == 200

    def test_ordinary_staff_are_not_forced_by_default(self, alice: User) -> None:
        client = _signed_in(alice)
        with self._days_later(91):
            assert client.get(HOME).status_code == 200

    def test_the_rule_can_cover_all_staff(self, alice: User, settings) -> None:
        settings.HONGFAN_PASSWORD_MAX_AGE_ALL_STAFF = True
        client = _signed_in(alice)
        with self._days_later(91):
            assert client.get(HOME)["Location"] == CHANGE_URL

    def test_changing_the_password_lets_the_admin_in_again(self, admin_user: User) -> None:
        User.objects.filter(pk=admin_user.pk).update(
            password_changed_at=timezone.now() - dt.timedelta(days=91)
        )
        client = _signed_in(admin_user)
        assert client.get(HOME)["Location"] == CHANGE_URL
        response = client.post(
            CHANGE_URL,
            {
                "old_password": "Hongfan#2026pw",
                "new_password1": "Xin-Mima#2027ab",
                "new_password2": "Xin-Mima#2027ab",
            },
        )
        assert response.status_code == 302
        assert client.get(HOME).status_code == 200

    def test_a_new_account_must_change_its_initial_password(self, alice: User) -> None:
        User.objects.filter(pk=alice.pk).update(must_change_password=True)
        client = _signed_in(alice)
        assert client.get(HOME)["Location"] == CHANGE_URL
