"""Channels per kind of notification: e-mail (Django's backend, locmem here) and robots."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.notifications import services
from hongfan.notifications.models import KindPreference, Notification

ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"


def _user(world: World, email: str = "plain@example.org") -> Any:
    user = world.user(Role.STAFF)
    user.email = email
    user.save()
    return user


def test_the_kind_is_the_sending_module_unless_named(world: World) -> None:
    user = world.user(Role.STAFF)
    (a,) = services.notify(users=[user], title="会议提醒", source=world.branch_a)
    (b,) = services.notify(users=[user], title="无来源")
    (c,) = services.notify(users=[user], title="指定", kind="outreach")
    assert (a.kind, b.kind, c.kind) == ("party", "general", "outreach")


@pytest.mark.django_db(transaction=True)
def test_a_kind_can_be_emailed_while_the_default_is_inbox_only(world: World) -> None:
    user = _user(world)
    services.kind_preferences_set(user=user, choices={"outreach": "email"})
    services.notify(users=[user], title="义诊报名提醒", kind="outreach")
    services.notify(users=[user], title="事项催办", kind="loops", level="escalation")
    # A kind's choice applies at any level; other kinds follow the default (no e-mail).
    assert [m.subject for m in mail.outbox] == ["义诊报名提醒"]
    assert mail.outbox[0].to == ["plain@example.org"]


@pytest.mark.django_db(transaction=True)
def test_inbox_only_for_a_kind_silences_the_default_channels(
    world: World, _no_network: list[Any]
) -> None:
    user = _user(world)
    services.preference_set(
        user=user, email=True, webhook="wecom", webhook_url=ROBOT, min_level="info"
    )
    services.kind_preferences_set(user=user, choices={"dues": "inbox", "loops": "robot"})
    services.notify(users=[user], title="党费提醒", kind="dues")
    services.notify(users=[user], title="事项提醒", kind="loops")
    services.notify(users=[user], title="其他提醒")
    assert [m.subject for m in mail.outbox] == ["其他提醒"]
    robot_titles = [body.decode() for _url, body in _no_network]
    assert any("事项提醒" in t for t in robot_titles)
    assert not any("党费提醒" in t for t in robot_titles)
    assert Notification.objects.filter(recipient=user).count() == 3  # the inbox has all


def test_an_empty_choice_returns_a_kind_to_the_default(world: World) -> None:
    user = _user(world)
    services.kind_preferences_set(user=user, choices={"outreach": "email"})
    services.kind_preferences_set(user=user, choices={"outreach": ""})
    assert not KindPreference.objects.filter(user=user).exists()


def test_email_needs_an_address_and_a_robot_needs_setting_up(world: World) -> None:
    user = _user(world, email="")
    with pytest.raises(ValidationError):
        services.kind_preferences_set(user=user, choices={"outreach": "email"})
    with pytest.raises(ValidationError):
        services.kind_preferences_set(user=user, choices={"outreach": "robot"})
    with pytest.raises(ValidationError):
        services.kind_preferences_set(user=user, choices={"no-such-kind": "inbox"})
    assert not KindPreference.objects.exists()


def test_delivery_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    users = [world.user(r) for r in (Role.STAFF, Role.DEPARTMENT_HEAD, Role.BRANCH_SECRETARY)]
    for u in users:
        u.email = f"{u.username}@example.org"
        u.save()
        services.kind_preferences_set(user=u, choices={"outreach": "email", "dues": "inbox"})
    notes = Notification.objects.bulk_create(
        [
            Notification(recipient=u, title=f"t{i}", kind="outreach")
            for i in range(20)
            for u in users
        ]
    )
    with django_assert_max_num_queries(5):
        counts = services.deliver(notes)
    assert counts["email"] == 60


def test_the_preferences_page_saves_a_choice_per_kind(world: World) -> None:
    user = _user(world)
    client = login(Client(), user)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert 'name="kind_outreach"' in page and 'name="kind_general"' in page
    response = client.post(url, {"section": "kinds", "kind_outreach": "email", "kind_loops": ""})
    assert response.status_code == 302
    assert KindPreference.objects.get(user=user).channels == "email"
    # The robot is not set up: the page says so and saves nothing.
    response = client.post(url, {"section": "kinds", "kind_outreach": "robot"})
    assert response.status_code == 200
    assert KindPreference.objects.get(user=user).channels == "email"
    assert response.context["kind_form"].non_field_errors()
