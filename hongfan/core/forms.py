"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def apply_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the fields it names when the form has
    them, else on the whole form (codes and messages kept)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)
