"""The permission choke point used by every view and API endpoint.

A view starts with ``require(request, Cap.X)`` (403 when the user lacks the capability),
then fetches scoped records only through a ``*_visible_to(user)`` selector, with
``get_visible_or_404`` for a single record (404 for what the user may not see).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


def require(request: HttpRequest, *capabilities: str) -> None:
    """Raise PermissionDenied unless the user holds at least one of ``capabilities``."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not any(user.has_capability(c) for c in capabilities):  # type: ignore[union-attr]
        raise PermissionDenied


def capability_required(*capabilities: str) -> Callable[[View], View]:
    """Decorator form of :func:`require`; anonymous users go to the login page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request, *capabilities)
            return view(request, *args, **kwargs)

        wrapper.required_capabilities = capabilities  # type: ignore[attr-defined]
        return wrapper

    return decorator


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Return the one record of a *scoped* queryset matching ``lookup``, else 404."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
