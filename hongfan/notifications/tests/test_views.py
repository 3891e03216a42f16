from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hongfan.accounts.roles import Role
from hongfan.core.testing import World, login
from hongfan.notifications.models import Notification
from hongfan.notifications.services import notify


def test_the_badge_counts_unread_and_reading_follows_the_link(world: World) -> None:
    user = world.user(Role.STAFF)
    (n,) = notify(users=[user], title="新事项", url="/matters/")
    notify(users=[user], title="另一条")
    client = login(Client(), user)
    assert b">2</span>" in client.get(reverse("notifications:badge")).content
    response = client.post(reverse("notifications:read", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/matters/"
    assert b">1</span>" in client.get(reverse("notifications:badge")).content
    client.post(reverse("notifications:read", args=[0]))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_an_outside_link_is_not_followed(world: World) -> None:
    user = world.user(Role.STAFF)
    (n,) = notify(users=[user], title="x", url="https://evil.example/")
    response = login(Client(), user).post(reverse("notifications:read", args=[n.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_the_inbox_lists_only_my_notifications(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    user = world.user(Role.STAFF)
    for i in range(60):
        notify(users=[user, world.user(Role.PARTY_OFFICE)], title=f"通知{i}")
    client = login(Client(), user)
    client.get(reverse("notifications:inbox"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:inbox"))
    assert response.content.count(b'data-testid="notification"') == 50
    assert response.context["page_obj"].paginator.count == 60


def test_preferences_keep_the_stored_robot_address_when_left_empty(world: World) -> None:
    user = world.user(Role.STAFF)
    client = login(Client(), user)
    url = reverse("notifications:preferences")
    client.post(
        url,
        {"webhook": "wecom", "webhook_url": "https://qyapi.weixin.qq.com/k", "min_level": "info"},
    )
    client.post(url, {"webhook": "wecom", "webhook_url": "", "min_level": "warning"})
    pref = user.notification_preference
    pref.refresh_from_db()
    assert pref.webhook_url == "https://qyapi.weixin.qq.com/k" and pref.min_level == "warning"
    page = client.get(url).content.decode()
    assert "qyapi.weixin.qq.com/k" not in page
