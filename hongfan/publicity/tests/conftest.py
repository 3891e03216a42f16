"""Fixtures of the publicity tests: media go to a temporary folder, no webhook leaves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hongfan.notifications import services as notification_services


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service messages are matched in English here (pages are checked in Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    sent: list[Any] = []

    def transport(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        sent.append((url, body))
        return 200, b'{"errcode": 0}'

    monkeypatch.setattr(notification_services, "webhook_transport", transport)
    yield sent
