"""Publishing adapters: how an approved story reaches a platform.

Every platform names an adapter (``Platform.adapter``). The default, ``manual``, means staff
publish by hand and record the link or issue number. An automatic adapter implements
``publish(publication, package) -> PublishResult``; the story has already passed all three
reviews when it is called, and the result is recorded exactly like a manual publication
(``services.publication_record``), so points, the calendar and statistics do not care how a
piece went out.

To connect a platform (e.g. a WeChat official account's publishing API behind the hospital's
gateway), write a class with ``code``, ``label``, ``automatic = True`` and ``publish``, and
call ``register(MyAdapter())`` from an ``AppConfig.ready()``. Network access belongs inside the
adapter and must be injectable: ``HttpPostAdapter`` below sends the package to a configured
gateway URL through ``transport`` (a function), which tests replace — no test reaches the
network.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class PublishResult:
    url: str = ""
    issue_number: str = ""
    external_id: str = ""


class Adapter(Protocol):
    code: str
    label: Any
    automatic: bool

    def publish(self, publication: Any, package: bytes) -> PublishResult: ...


class ManualAdapter:
    code = "manual"
    label = gettext_lazy("Published by hand")
    automatic = False

    def publish(self, publication: Any, package: bytes) -> PublishResult:
        raise ValidationError(_("This platform is published by hand: record the link instead."))


def _urllib_transport(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    import urllib.request

    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
        return response.status, response.read()


class HttpPostAdapter:
    """Posts the package (base64) with the story's metadata as JSON to a publishing gateway.

    The gateway URL comes from ``settings.HONGFAN_PUBLISHING_GATEWAY``; it answers
    ``{"url": …, "id": …}``."""

    code = "gateway"
    label = gettext_lazy("Publishing gateway (HTTP)")
    automatic = True
    transport: Callable[[str, bytes, dict[str, str]], tuple[int, bytes]] = staticmethod(
        _urllib_transport
    )

    def publish(self, publication: Any, package: bytes) -> PublishResult:
        url = getattr(settings, "HONGFAN_PUBLISHING_GATEWAY", "")
        if not url:
            raise ValidationError(_("No publishing gateway is configured."))
        body = json.dumps(
            {
                "platform": publication.platform.name,
                "title": publication.story.title,
                "package": base64.b64encode(package).decode("ascii"),
            }
        ).encode("utf-8")
        try:
            status, answer = type(self).transport(
                url, body, {"Content-Type": "application/json; charset=utf-8"}
            )
        except OSError as exc:
            raise ValidationError(
                _("The publishing gateway could not be reached: %(e)s") % {"e": exc}
            ) from exc
        if status >= 300:
            raise ValidationError(
                _("The publishing gateway refused the piece (HTTP %(s)s).") % {"s": status}
            )
        data = json.loads(answer or b"{}")
        return PublishResult(url=data.get("url", ""), external_id=str(data.get("id", "")))


_ADAPTERS: dict[str, Adapter] = {}


def register(adapter: Adapter) -> None:
    _ADAPTERS[adapter.code] = adapter


def get_adapter(code: str) -> Adapter:
    try:
        return _ADAPTERS[code]
    except KeyError:
        raise ValidationError(_("Unknown publishing adapter “%(a)s”.") % {"a": code}) from None


def adapter_codes() -> list[str]:
    return sorted(_ADAPTERS)


def adapter_choices() -> list[tuple[str, Any]]:
    return [(a.code, a.label) for a in sorted(_ADAPTERS.values(), key=lambda a: a.code != "manual")]


register(ManualAdapter())
register(HttpPostAdapter())
