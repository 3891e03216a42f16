"""notify(): inbox always, de-duplication, e-mail and robots by preference."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from hongfan.accounts.roles import Role
from hongfan.core.testing import World
from hongfan.notifications import services
from hongfan.notifications.models import Notification, Preference


def test_a_dedup_key_sends_once_per_user(world: World) -> None:
    users = [world.user(Role.STAFF), world.user(Role.DEPARTMENT_HEAD)]
    assert len(services.notify(users=users, title="提醒", dedup_key="k1")) == 2
    assert services.notify(users=users, title="提醒", dedup_key="k1") == []
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_email_and_robot_follow_the_preference(world: World, _no_network: list[Any]) -> None:
    user = world.user(Role.STAFF)
    user.email = "plain@example.org"
    user.save()
    services.preference_set(
        user=user,
        email=True,
        webhook="wecom",
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
        min_level=Notification.Level.WARNING,
    )
    services.notify(users=[user], title="普通消息")  # below the level: inbox only
    assert mail.outbox == [] and _no_network == []
    services.notify(users=[user], title="逾期升级", level=Notification.Level.ESCALATION)
    assert [m.subject for m in mail.outbox] == ["逾期升级"]
    assert len(_no_network) == 1 and "逾期升级".encode() in _no_network[0][1]


def test_the_robot_address_is_stored_encrypted(world: World) -> None:
    from django.db import connection

    services.preference_set(
        user=world.user(Role.STAFF),
        email=False,
        webhook="dingtalk",
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=SECRET123",
    )
    with connection.cursor() as cur:
        cur.execute("SELECT webhook_url FROM notifications_preference")
        (raw,) = cur.fetchone()
    assert "SECRET123" not in raw
    assert Preference.objects.get().webhook_url.endswith("SECRET123")


def test_a_robot_without_an_https_address_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        services.preference_set(user=world.user(Role.STAFF), email=False, webhook="wecom")
    with pytest.raises(ValidationError):
        services.preference_set(
            user=world.user(Role.STAFF), email=False, webhook="wecom", webhook_url="http://x"
        )


def test_a_failing_robot_does_not_break_the_sender(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        raise OSError("down")

    monkeypatch.setattr(services, "webhook_transport", broken)
    user = world.user(Role.STAFF)
    services.preference_set(
        user=user, email=False, webhook="wecom", webhook_url="https://qyapi.weixin.qq.com/x"
    )
    notes = Notification.objects.bulk_create(
        [Notification(recipient=user, title="x", level=Notification.Level.ESCALATION)]
    )
    assert services.deliver(notes) == {"email": 0, "webhook": 0, "failed": 1}
