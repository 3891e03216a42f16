"""Every named URL is covered by the permission matrix of some app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from hongfan.core.matrix import all_cases

# URLs outside the matrix, with the reason.
EXEMPT = {
    "accounts:login",  # public by definition
    "accounts:logout",  # POST-only sign-out, tested in accounts
    "set_language",  # Django's language switcher
    "healthz",  # load-balancer probe, no data
}
EXEMPT_NAMESPACES = {"admin", "api"}  # admin: OTP tests in accounts; API: per-router tests


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in EXEMPT_NAMESPACES:
                continue
            names |= _names(entry, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_named_url_is_in_a_permission_matrix() -> None:
    covered = {case.url_name for case in all_cases()}
    missing = sorted(_names(get_resolver()) - covered - EXEMPT)
    assert missing == [], f"URLs without permission-matrix cases: {missing}"
