"""apply_service_errors puts a service's refusal where the user will see it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from hongfan.core.forms import apply_service_errors


class _Form(forms.Form):
    name = forms.CharField()


def _form() -> _Form:
    form = _Form({"name": "张三"})
    assert form.is_valid()
    return form


def test_an_error_on_a_field_the_form_has_lands_on_that_field() -> None:
    form = _form()
    apply_service_errors(form, ValidationError({"name": ValidationError("重名", code="dup")}))
    assert form.errors["name"] == ["重名"]
    assert form.has_error("name", code="dup")


def test_an_error_on_an_unknown_field_or_without_a_field_lands_on_the_form() -> None:
    form = _form()
    apply_service_errors(form, ValidationError({"deadline": "截止日期不能早于立项日期。"}))
    apply_service_errors(form, ValidationError("没有法定人数。", code="quorum"))
    assert form.non_field_errors() == ["截止日期不能早于立项日期。", "没有法定人数。"]
    assert form.has_error(forms.forms.NON_FIELD_ERRORS, code="quorum")
