"""Attribute the writes of a request to its user and source address."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from hongfan.audit.services import audit_context

# Pages where the visitor's address must never be stored (anonymous integrity reports).
ANONYMOUS_PATH_PREFIXES: tuple[str, ...] = ("/report/anonymous/",)


def client_ip(request: HttpRequest) -> str:
    """Return the client's address, never for anonymous-report pages.

    The header named by ``HONGFAN_CLIENT_IP_HEADER`` (set by the reverse proxy on the same
    host, e.g. ``HTTP_X_REAL_IP``) wins over REMOTE_ADDR; X-Forwarded-For is not trusted.
    The same order is given to django-axes, so lockouts and the audit log agree.
    """
    if request.path.startswith(ANONYMOUS_PATH_PREFIXES):
        return ""
    header = getattr(settings, "HONGFAN_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return str(request.META[header]).strip()[:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


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
