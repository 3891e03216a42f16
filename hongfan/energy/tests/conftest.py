"""Fixtures of the logistics tests: no webhook ever reaches the network."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hongfan.notifications import services as notification_services


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    sent: list[Any] = []

    def transport(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        sent.append((url, body))
        return 200, b'{"errcode": 0}'

    monkeypatch.setattr(notification_services, "webhook_transport", transport)
    yield sent


@pytest.fixture(autouse=True)
def _store(settings: Any, tmp_path: Any) -> None:
    """Every test writes its readings to a store of its own."""
    settings.HONGFAN_ANALYTICS_DIR = str(tmp_path / "analytics")
