"""Password policy (等保 2.0): 8–64 characters, 3 of 4 classes, not a common password."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from hongfan.accounts.validators import (
    CharacterClassValidator,
    LengthValidator,
    character_classes,
)


def _codes(password: str) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "ok"),
    [("Ab1#xyz", False), ("Ab1#wxyz", True), ("Ab1#" + "x" * 60, True), ("Ab1#" + "x" * 61, False)],
    ids=["7 chars", "8 chars", "64 chars", "65 chars"],
)
def test_length_is_between_8_and_64(password: str, ok: bool) -> None:
    validator = LengthValidator(min_length=8, max_length=64)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError):
            validator.validate(password)


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefgh", 1),
        ("abcdEFGH", 2),
        ("abcd1234", 2),
        ("abcdEF12", 3),
        ("abcd12#$", 3),
        ("ABCD12#$", 3),
        ("aB1#aB1#", 4),
        ("红帆党建平台ab1", 3),  # Chinese characters count as symbols
    ],
)
def test_character_classes_are_counted(password: str, classes: int) -> None:
    assert character_classes(password) == classes


def test_two_classes_are_refused_three_are_accepted() -> None:
    validator = CharacterClassValidator(min_classes=3)
    with pytest.raises(ValidationError) as exc:
        validator.validate("abcd1234")
    assert exc.value.error_list[0].code == "password_too_simple"
    validator.validate("abcd1234#")


def test_the_configured_policy_accepts_a_good_password(db: None) -> None:
    assert _codes("Hongfan#2026pw") == set()


def test_the_configured_policy_accepts_64_characters(db: None) -> None:
    assert _codes("Hf#9" + "qwxz" * 15) == set()


def test_the_configured_policy_refuses_65_characters(db: None) -> None:
    assert "password_too_long" in _codes("Hf#9" + "qwxz" * 15 + "q")


def test_the_configured_policy_refuses_a_short_password(db: None) -> None:
    assert "password_too_short" in _codes("Ab1#xyz")


def test_the_configured_policy_refuses_two_classes(db: None) -> None:
    assert _codes("zhongguohongfan2026") == {"password_too_simple"}


def test_a_common_password_is_refused_even_with_three_classes(db: None) -> None:
    assert character_classes("Password1") == 3
    assert _codes("Password1") == {"password_too_common"}


def test_an_all_digit_password_is_refused(db: None) -> None:
    assert "password_entirely_numeric" in _codes("8472910365")
