"""Validators for staff data: ID-card numbers (GB 11643-1999) and mainland mobile numbers.

The importers (hongfan/org/importers.py, hongfan/party/importers.py) reuse these, so each
raises ``ValidationError`` with a Chinese-translatable message and a stable ``code``.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CARD_CHECK_CHARS = "10X98765432"
# The first digit of the administrative-division code is the region: 1 华北, 2 东北,
# 3 华东, 4 中南, 5 西南, 6 西北 (GB/T 2260). 7/8 are used for Taiwan / Hong Kong / Macao
# residence permits, which use the same 18-character layout.
_ID_CARD_RE = re.compile(r"^[1-8]\d{5}(\d{8})\d{3}[\dX]$")
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
_EARLIEST_BIRTH = dt.date(1900, 1, 1)


def normalise_id_card(value: str) -> str:
    """Return the number without surrounding spaces, with a lower-case x upper-cased."""
    return (value or "").strip().upper()


def id_card_check_char(body: str) -> str:
    """Return the check character of the first 17 digits of an ID-card number."""
    total = sum(int(c) * w for c, w in zip(body, ID_CARD_WEIGHTS, strict=True))
    return ID_CARD_CHECK_CHARS[total % 11]


# The name the importers use.
id_card_check_digit = id_card_check_char


def id_card_birth_date(value: str) -> dt.date | None:
    """Return the birth date encoded in an 18-character ID-card number, or None."""
    v = normalise_id_card(value)
    if len(v) != 18 or not v[6:14].isdigit():
        return None
    try:
        return dt.datetime.strptime(v[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def validate_id_card(
    value: str, birth_date: dt.date | None = None, *, today: dt.date | None = None
) -> str:
    """Validate an ID-card number and return it normalised (upper-case X).

    Checks the 18-character layout, the region digit, the birth date (a real date, not in
    the future, not before 1900), the GB 11643-1999 check digit and, when ``birth_date`` is
    given, that the number's birth date matches it.
    """
    v = normalise_id_card(value)
    if len(v) != 18:
        raise ValidationError(_("An ID-card number has 18 characters."), code="id_card_length")
    match = _ID_CARD_RE.match(v)
    if not match:
        raise ValidationError(
            _("An ID-card number is 17 digits followed by a digit or X."),
            code="id_card_format",
        )
    born = id_card_birth_date(v)
    today = today or dt.date.today()
    if born is None or born < _EARLIEST_BIRTH or born > today:
        raise ValidationError(
            _("The ID-card number contains an invalid birth date."), code="id_card_birth"
        )
    if id_card_check_char(v[:17]) != v[17]:
        raise ValidationError(
            _("The check digit of the ID-card number is wrong."), code="id_card_check"
        )
    if birth_date is not None and born != birth_date:
        raise ValidationError(
            _(
                "The birth date in the ID-card number (%(id)s) does not match "
                "the birth date (%(birth)s)."
            )
            % {"id": born.isoformat(), "birth": birth_date.isoformat()},
            code="id_card_birth_mismatch",
        )
    return v


def validate_phone(value: str) -> str:
    """Validate a mainland mobile number (11 digits, 1[3-9]…) and return it stripped."""
    v = (value or "").strip().replace(" ", "").replace("-", "")
    if v.startswith("+86"):
        v = v[3:]
    if not _PHONE_RE.match(v):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits starting with 13–19."),
            code="phone_format",
        )
    return v
