"""Login lockout (django-axes): 5 failures per user name *and* address lock for 5 minutes."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hongfan.accounts.models import User
from hongfan.audit.models import AuditEntry
from hongfan.core.testing import PASSWORD

LOGIN = "/accounts/login/"


def _attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> int:
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)
    return response.status_code


def _fail(client: Client, times: int, username: str = "alice", ip: str = "10.0.0.1") -> None:
    """Sign in ``times`` times with a wrong password; the 5th failure already answers 429."""
    for n in range(1, times + 1):
        expected = 429 if n >= 5 else 200
        assert _attempt(client, username, "wrong-password", ip) == expected


def test_the_right_password_signs_in(alice: User) -> None:
    client = Client()
    assert _attempt(client, "alice", PASSWORD) == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_four_failures_do_not_lock(alice: User) -> None:
    client = Client()
    _fail(client, 4)
    assert _attempt(client, "alice", PASSWORD) == 302


def test_five_failures_then_the_right_password_is_refused(alice: User) -> None:
    client = Client()
    _fail(client, 5)
    assert _attempt(client, "alice", PASSWORD) == 429
    assert "_auth_user_id" not in client.session


def test_another_address_with_the_same_user_name_is_not_locked(alice: User) -> None:
    _fail(Client(), 5, ip="10.0.0.1")
    assert _attempt(Client(), "alice", PASSWORD, ip="10.0.0.2") == 302


def test_another_user_name_from_the_same_address_is_not_locked(alice: User) -> None:
    User.objects.create_user(username="bob", password=PASSWORD)
    _fail(Client(), 5, username="alice")
    assert _attempt(Client(), "bob", PASSWORD) == 302


def test_after_five_minutes_the_lock_lifts(alice: User) -> None:
    client = Client()
    _fail(client, 5)
    assert _attempt(client, "alice", PASSWORD) == 429
    real_now = timezone.now

    def later() -> dt.datetime:
        return real_now() + dt.timedelta(minutes=5, seconds=1)

    with mock.patch("axes.handlers.proxy.now", later), mock.patch("axes.attempts.now", later):
        assert _attempt(client, "alice", PASSWORD) == 302


def test_four_minutes_later_it_is_still_locked(alice: User) -> None:
    client = Client()
    _fail(client, 5)
    real_now = timezone.now

    def later() -> dt.datetime:
        return real_now() + dt.timedelta(minutes=4, seconds=50)

    with mock.patch("axes.handlers.proxy.now", later), mock.patch("axes.attempts.now", later):
        assert _attempt(client, "alice", PASSWORD) == 429


def test_a_failed_sign_in_is_audited_with_user_name_and_address(alice: User) -> None:
    _fail(Client(), 1, ip="10.1.1.1")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.username == "alice"
    assert entry.source_ip == "10.1.1.1"
    assert entry.outcome == AuditEntry.Outcome.FAILURE
    assert "wrong-password" not in str(entry.detail)


def test_a_refused_sign_in_while_locked_is_audited_as_locked_out(alice: User) -> None:
    client = Client()
    _fail(client, 5)
    _attempt(client, "alice", PASSWORD)
    last = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).order_by("id").last()
    assert last is not None and last.detail == {"locked_out": True}


def test_a_successful_sign_in_is_audited_with_the_address(alice: User) -> None:
    _attempt(Client(), "alice", PASSWORD, ip="10.2.2.2")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert (entry.user_id, entry.username, entry.source_ip) == (alice.pk, "alice", "10.2.2.2")
    assert entry.outcome == AuditEntry.Outcome.SUCCESS


def test_sign_out_is_audited(alice: User) -> None:
    client = Client()
    _attempt(client, "alice", PASSWORD)
    client.post("/accounts/logout/")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, user_id=alice.pk).exists()


@pytest.mark.parametrize("ip", ["10.9.0.1", "10.9.0.2"])
def test_the_lockout_parameters_combine_user_name_and_address(settings, ip: str) -> None:
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=5) == settings.AXES_COOLOFF_TIME
