"""Password rules for 等保 2.0 (SECURITY.md): length 8–64 and 3 of 4 character classes."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class LengthValidator:
    def __init__(self, min_length: int = 8, max_length: int = 64) -> None:
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "The password must contain at least %(min)d character.",
                    "The password must contain at least %(min)d characters.",
                    self.min_length,
                )
                % {"min": self.min_length},
                code="password_too_short",
            )
        if len(password) > self.max_length:
            raise ValidationError(
                _("The password may contain at most %(max)d characters.")
                % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Between %(min)d and %(max)d characters.") % {
            "min": self.min_length,
            "max": self.max_length,
        }


_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)


def character_classes(password: str) -> int:
    """Return how many of lower case, upper case, digits and symbols ``password`` mixes."""
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        # Everything else is a "symbol", Chinese characters and full-width forms included
        # (str.isalnum() would call them letters and let "红帆党建ab1" fail).
        any(c not in _ASCII_ALNUM for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of: lower-case letters, upper-case "
                    "letters, digits and symbols."
                )
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("At least %(n)d of lower case, upper case, digits and symbols.") % {
            "n": self.min_classes
        }
