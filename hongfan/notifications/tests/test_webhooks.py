"""Group-robot adapters: the JSON they post, signing, errors — never the network."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from hongfan.notifications.webhooks import DingTalkRobot, WebhookError, WeComRobot, robot_for


class FakeTransport:
    def __init__(self, status: int = 200, answer: bytes = b'{"errcode": 0, "errmsg": "ok"}'):
        self.calls: list[tuple[str, dict[str, Any], dict[str, str]]] = []
        self.status, self.answer = status, answer

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        self.calls.append((url, json.loads(body), headers))
        return self.status, self.answer


def test_wecom_posts_a_markdown_message() -> None:
    t = FakeTransport()
    WeComRobot("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", transport=t).send(
        "逾期提醒", "事项已逾期"
    )
    url, body, headers = t.calls[0]
    assert url.endswith("key=K")
    assert body == {"msgtype": "markdown", "markdown": {"content": "**逾期提醒**\n事项已逾期"}}
    assert headers["Content-Type"].startswith("application/json")


def test_dingtalk_signs_the_url_with_the_secret() -> None:
    t = FakeTransport()
    robot = DingTalkRobot(
        "https://oapi.dingtalk.com/robot/send?access_token=T",
        secret="SEC",
        transport=t,
        clock=lambda: 1700000000.0,
    )
    robot.send("督办", "请处理")
    url, body, _ = t.calls[0]
    query = parse_qs(urlsplit(url).query)
    assert query["timestamp"] == ["1700000000000"] and query["access_token"] == ["T"]
    assert query["sign"][0]  # HMAC-SHA256, base64
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "督办"


@pytest.mark.parametrize(
    ("status", "answer"),
    [(500, b"{}"), (200, b'{"errcode": 93000, "errmsg": "invalid key"}'), (200, b"<html>")],
)
def test_a_refusal_raises_webhook_error(status: int, answer: bytes) -> None:
    with pytest.raises(WebhookError):
        robot_for(
            "wecom", "https://example.invalid/x", transport=FakeTransport(status, answer)
        ).send("t", "x")


def test_a_network_failure_raises_webhook_error() -> None:
    def broken(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        raise OSError("unreachable")

    with pytest.raises(WebhookError):
        WeComRobot("https://example.invalid/x", transport=broken).send("t", "x")


def test_the_default_transport_refuses_non_http_schemes() -> None:
    with pytest.raises(WebhookError):
        WeComRobot("file:///etc/passwd").send("t", "x")
