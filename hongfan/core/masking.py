"""Masking of sensitive values for screens and exports (SECURITY.md: 138****1234)."""

from __future__ import annotations


def mask_phone(value: str | None) -> str:
    """Return 138****1234 for a mainland mobile number; keep only the last 4 of others."""
    if not value:
        return ""
    digits = value.strip()
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_id_card(value: str | None) -> str:
    """Return 1101**********1234: region prefix and last four kept, birth date hidden."""
    if not value:
        return ""
    v = value.strip()
    if len(v) < 8:
        return "*" * len(v)
    return f"{v[:4]}{'*' * (len(v) - 8)}{v[-4:]}"


def mask_name(value: str | None) -> str:
    """Return 张* / 欧阳** : the family name (first character) kept."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
