"""Validators for people data (DOMAIN.md §1)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 11643-1999: 17 digits weighted by 2^(17-i) mod 11, check character from this table.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_card_check_digit(body: str) -> str:
    """Return the GB 11643-1999 check character for the first 17 digits ``body``."""
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_card(value: str, birth_date: dt.date | None = None) -> None:
    """Validate an 18-character resident ID-card number (GB 11643-1999).

    Checks the format, the embedded birth date (a real date, not in the future) and the
    check character; when ``birth_date`` is given, the embedded date must equal it.
    Raises ``ValidationError`` with a Chinese-translatable message.
    """
    text = (value or "").strip().upper()
    if not _ID_RE.match(text):
        raise ValidationError(
            _("An ID-card number has 17 digits followed by a digit or X."), code="id_card_format"
        )
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date inside the ID-card number is not a real date."),
            code="id_card_birth",
        ) from None
    if born > dt.date.today() or born.year < 1900:
        raise ValidationError(
            _("The birth date inside the ID-card number is not plausible."), code="id_card_birth"
        )
    if id_card_check_digit(text[:17]) != text[17]:
        raise ValidationError(
            _("The check digit of the ID-card number is wrong."), code="id_card_check"
        )
    if birth_date is not None and born != birth_date:
        raise ValidationError(
            _("The ID-card number does not match the birth date."), code="id_card_birth_mismatch"
        )
