"""Attribute the writes of a request to its user and source address."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hongfan.audit.services import audit_context

# Pages where the visitor's address must never be stored (anonymous integrity reports).
ANONYMOUS_PATH_PREFIXES: tuple[str, ...] = ("/report/anonymous/",)


def client_ip(request: HttpRequest) -> str:
    """Return REMOTE_ADDR (nginx sets it from the real client; X-Forwarded-For is not trusted)."""
    if request.path.startswith(ANONYMOUS_PATH_PREFIXES):
        return ""
    return request.META.get("REMOTE_ADDR", "")


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and user.is_authenticated)
        with audit_context(
            user=user if authenticated else None,
            username=user.get_username() if authenticated and user is not None else "anonymous",
            source_ip=client_ip(request),
        ):
            return self.get_response(request)
