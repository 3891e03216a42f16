"""Adapters for group-robot webhooks: 企业微信 (WeCom) and 钉钉 (DingTalk).

Each adapter has ``send(title, text)`` and posts one JSON message with ``urllib``. The HTTP
call goes through an injectable ``transport`` so tests never touch the network::

    sent = []
    def fake(url, body, headers):
        sent.append(body)
        return 200, b"{\"errcode\": 0}"

    robot = WeComRobot(url, transport=fake)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

# (url, body, headers) -> (status, response body)
Transport = Callable[[str, bytes, dict[str, str]], tuple[int, bytes]]

TIMEOUT_SECONDS = 5


class WebhookError(Exception):
    """The robot refused the message or could not be reached."""


def urllib_transport(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in {"https", "http"}:
        raise WebhookError(f"unsupported scheme {parsed.scheme!r}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked above)
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        return response.status, response.read()


class _Robot:
    kind = ""

    def __init__(self, url: str, *, transport: Transport | None = None) -> None:
        self.url = url
        self.transport = transport or urllib_transport

    def payload(self, title: str, text: str) -> dict[str, Any]:
        raise NotImplementedError

    def target_url(self) -> str:
        return self.url

    def send(self, title: str, text: str) -> None:
        """Post one message; raise WebhookError unless the robot answers errcode 0."""
        body = json.dumps(self.payload(title, text), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        try:
            status, raw = self.transport(self.target_url(), body, headers)
        except WebhookError:
            raise
        except Exception as exc:  # network errors of any kind
            raise WebhookError(f"{self.kind}: {exc.__class__.__name__}") from exc
        if status != 200:
            raise WebhookError(f"{self.kind}: HTTP {status}")
        try:
            answer = json.loads(raw or b"{}")
        except ValueError as exc:
            raise WebhookError(f"{self.kind}: not JSON") from exc
        if answer.get("errcode", 0) != 0:
            raise WebhookError(
                f"{self.kind}: errcode {answer.get('errcode')} {answer.get('errmsg', '')}"
            )


class WeComRobot(_Robot):
    """企业微信 group robot (``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…``)."""

    kind = "wecom"

    def payload(self, title: str, text: str) -> dict[str, Any]:
        return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{text}"}}


class DingTalkRobot(_Robot):
    """钉钉 group robot (``https://oapi.dingtalk.com/robot/send?access_token=…``), optionally
    signed with the robot's secret (HMAC-SHA256 of ``timestamp\\nsecret``)."""

    kind = "dingtalk"

    def __init__(
        self,
        url: str,
        *,
        secret: str = "",
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(url, transport=transport)
        self.secret = secret
        self.clock = clock

    def target_url(self) -> str:
        if not self.secret:
            return self.url
        timestamp = str(int(self.clock() * 1000))
        digest = hmac.new(
            self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256
        ).digest()
        sign = urllib.parse.quote_plus(base64.b64encode(digest))
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}timestamp={timestamp}&sign={sign}"

    def payload(self, title: str, text: str) -> dict[str, Any]:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n{text}"}}


ROBOTS: dict[str, type[_Robot]] = {"wecom": WeComRobot, "dingtalk": DingTalkRobot}


def robot_for(
    kind: str, url: str, *, secret: str = "", transport: Transport | None = None
) -> _Robot:
    if kind == "dingtalk":
        return DingTalkRobot(url, secret=secret, transport=transport)
    if kind == "wecom":
        return WeComRobot(url, transport=transport)
    raise WebhookError(f"unknown robot {kind!r}")
