"""Model fields for sensitive data."""

from __future__ import annotations

from typing import Any

from django.db import models

from hongfan.core import crypto


class EncryptedTextField(models.TextField):
    """A text field stored encrypted (see hongfan.core.crypto); reads give the plaintext.

    The database never sees the clear value, so it cannot be filtered on: pair it with a
    blind-index column where look-ups or uniqueness are needed.
    """

    description = "Encrypted text"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
