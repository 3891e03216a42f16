"""The REST API (OpenAPI at /api/docs). Each app contributes ``hongfan.<app>.api.router``."""

from __future__ import annotations

import importlib

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Hongfan API",
    version="1",
    description="Integrations for the Hongfan Party building platform.",
    auth=django_auth,
    urls_namespace="api",
)

for app in settings.INSTALLED_APPS:
    if not app.startswith("hongfan."):
        continue
    try:
        module = importlib.import_module(f"{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.api":
            raise
        continue
    api.add_router(f"/{app.split('.', 1)[1]}/", module.router)
