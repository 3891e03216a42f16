"""Attribute the writes of a request to its user and source address."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from hongfan.audit.services import audit_context

# Pages where the visitor's address must never be stored (anonymous integrity reports).
ANONYMOUS_PATH_PREFIXES: tuple[str, ...] = ("/report/anonymous/",)


def untraced(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose visitors' address must never be recorded (anonymous reports)."""
    view.hongfan_untraced = True  # type: ignore[attr-defined]
    return view


def is_untraced(request: HttpRequest) -> bool:
    """Return whether ``request`` goes to an anonymous-report page (prefix or marked view)."""
    if request.path.startswith(ANONYMOUS_PATH_PREFIXES):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return bool(getattr(match.func, "hongfan_untraced", False))


def meta_key(header: str) -> str:
    """Return the ``request.META`` key of ``header`` ("X-Forwarded-For" → HTTP_X_FORWARDED_FOR)."""
    header = header.strip()
    if not header or (header.isupper() and "-" not in header):
        return header
    return "HTTP_" + header.upper().replace("-", "_")


def client_ip(request: HttpRequest) -> str:
    """Return the client's address, never for anonymous-report pages.

    When ``HONGFAN_CLIENT_IP_HEADER`` names a header (a ``request.META`` key such as
    ``HTTP_X_REAL_IP`` or ``HTTP_X_FORWARDED_FOR``, set by the reverse proxy), its first
    address wins over REMOTE_ADDR; a list such as X-Forwarded-For's ``client, proxy1`` gives
    the client. Without the setting the header is ignored, so a client cannot forge it.
    The same order is given to django-axes, so lockouts and the audit log agree.
    """
    if is_untraced(request):
        return ""
    header = meta_key(getattr(settings, "HONGFAN_CLIENT_IP_HEADER", ""))
    if header:
        first = str(request.META.get(header, "")).split(",")[0].strip()
        if first:
            return first[:45]
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
