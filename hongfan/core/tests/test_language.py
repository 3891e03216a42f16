"""The interface is Chinese by default, whatever the browser asks for; English on request."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_an_english_browser_still_gets_the_chinese_interface(client: Client) -> None:
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_choosing_english_switches_the_interface_and_back(client: Client) -> None:
    login = reverse("accounts:login")
    client.post(reverse("set_language"), {"language": "en", "next": login})
    response = client.get(login)
    assert response.headers["Content-Language"] == "en"
    assert "Sign in" in response.content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": login})
    assert client.get(login).headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client: Client) -> None:
    client.cookies["django_language"] = "fr"
    assert client.get(reverse("accounts:login")).headers["Content-Language"] == "zh-hans"
