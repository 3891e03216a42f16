"""The Django admin, protected by the second factor and the ADMIN_SITE capability.

Plain ``admin.site`` is not protected by django-otp (SECURITY.md). The default site's class
is swapped for ``HongfanAdminSite`` here, before the URLconf is first used, so every
``admin.site.register`` call in any app keeps working and lands on the protected site.
Nobody needs ``is_staff`` or ``is_superuser`` (no superuser in production): the site asks for
``Cap.ADMIN_SITE`` (held by the system administrator only) and a verified TOTP device.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from hongfan.accounts.roles import Cap


class HongfanAdminSite(OTPAdminSite):
    site_header = _("Hongfan administration")
    site_title = _("Hongfan administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and user.has_capability(Cap.ADMIN_SITE)  # type: ignore[union-attr]
            and user.is_verified()  # type: ignore[union-attr]
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Sign in through the platform's own page (lockout, second factor, audit)."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url)


admin.site.__class__ = HongfanAdminSite
admin.site.site_header = HongfanAdminSite.site_header
admin.site.site_title = HongfanAdminSite.site_title
