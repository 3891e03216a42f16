"""Model fields for sensitive data."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models

from hongfan.core import crypto

# Inside ``stored_values()`` encrypted fields pass the stored ciphertext through unchanged.
_pass_through: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "hongfan_encrypted_pass_through", default=False
)


@contextmanager
def stored_values() -> Iterator[None]:
    """Read and write encrypted columns as stored (ciphertext), for backup and restore.

    A backup then never holds a clear ID-card number, and a restore writes the very bytes
    that were backed up (readable with the same FIELD_ENCRYPTION_KEY).
    """
    token = _pass_through.set(True)
    try:
        yield
    finally:
        _pass_through.reset(token)


class EncryptedTextField(models.TextField):
    """A text field stored encrypted (see hongfan.core.crypto); reads give the plaintext.

    The database never sees the clear value, so it cannot be filtered on: pair it with a
    blind-index column where look-ups or uniqueness are needed.
    """

    description = "Encrypted text"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "" or _pass_through.get():
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or _pass_through.get():
            return value
        return crypto.encrypt(str(value))
