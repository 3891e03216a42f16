"""The audit log records the client's address: the proxy's header when configured."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from hongfan.audit.middleware import client_ip, meta_key


def _request(path: str = "/org/", **meta: str):  # type: ignore[no-untyped-def]
    return RequestFactory().get(path, REMOTE_ADDR="10.0.0.5", **meta)


@override_settings(HONGFAN_CLIENT_IP_HEADER="")
def test_without_the_setting_remote_addr_is_used_and_a_forged_header_ignored() -> None:
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="6.6.6.6")) == "10.0.0.5"


@override_settings(HONGFAN_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
def test_behind_the_proxy_the_first_forwarded_address_is_the_client() -> None:
    request = _request(HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


@override_settings(HONGFAN_CLIENT_IP_HEADER="X-Real-IP")
def test_the_setting_may_name_the_header_as_sent() -> None:
    assert client_ip(_request(HTTP_X_REAL_IP=" 198.51.100.9 ")) == "198.51.100.9"


@override_settings(HONGFAN_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
def test_a_missing_header_falls_back_to_remote_addr() -> None:
    assert client_ip(_request()) == "10.0.0.5"


@override_settings(HONGFAN_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
def test_anonymous_report_pages_record_no_address() -> None:
    assert client_ip(_request("/report/anonymous/", HTTP_X_FORWARDED_FOR="1.2.3.4")) == ""


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("X-Forwarded-For", "HTTP_X_FORWARDED_FOR"),
        ("HTTP_X_REAL_IP", "HTTP_X_REAL_IP"),
        ("REMOTE_ADDR", "REMOTE_ADDR"),
        ("", ""),
    ],
)
def test_header_names_map_to_meta_keys(setting: str, key: str) -> None:
    assert meta_key(setting) == key


@override_settings(HONGFAN_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
def test_a_write_through_a_page_is_logged_with_the_forwarded_address(world) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from hongfan.accounts.roles import Role
    from hongfan.audit.models import AuditEntry
    from hongfan.core.testing import login

    client = login(Client(), world.user(Role.SYSTEM_ADMIN))
    client.post(
        reverse("workdays:day_create"),
        {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"},
        HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1",
        REMOTE_ADDR="10.0.0.1",
    )
    entry = AuditEntry.objects.filter(object_type="workdays.calendarday").latest("id")
    assert entry.source_ip == "203.0.113.7"
    assert entry.username == world.user(Role.SYSTEM_ADMIN).username
