"""The validators shared with org speak Chinese through the imports catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hongfan.core.testing import make_id_card
from hongfan.org.validators import validate_id_card, validate_phone


@pytest.mark.parametrize(
    ("value", "birth", "expected"),
    [
        ("1234", None, "身份证号应为 18 位"),
        ("13042519800304001A", None, "17 位数字"),
        ("130425198013040011", None, "出生日期无效"),
        (make_id_card(dt.date(1980, 3, 4), 11)[:-1] + "0", None, "身份证号校验"),
        (
            make_id_card(dt.date(1980, 3, 4), 12),
            dt.date(1980, 3, 5),
            "身份证号中的出生日期（1980-03-04）与填写的出生日期（1980-03-05）",
        ),
    ],
)
def test_id_card_reasons_are_chinese(value: str, birth: dt.date | None, expected: str) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_id_card(value, birth)
    [message] = exc.value.messages
    assert expected in message


def test_a_bad_mobile_number_reason_is_chinese() -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_phone("12345")
    assert "11 位" in exc.value.messages[0]
