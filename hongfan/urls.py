"""URL configuration. Each domain app has its own urls module under its own prefix."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from hongfan.api import api
from hongfan.core import views as core_views

urlpatterns = [
    path("", include("hongfan.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("hongfan.accounts.urls")),
    path("org/", include("hongfan.org.urls")),
    path("party/", include("hongfan.party.urls")),
    path("audit/", include("hongfan.audit.urls")),
    path("calendar/", include("hongfan.workdays.urls")),
    path("imports/", include("hongfan.imports.urls")),
    path("inbox/", include("hongfan.notifications.urls")),
    path("matters/", include("hongfan.loops.urls")),
    path("decisions/", include("hongfan.decisions.urls")),
    path("innovation/", include("hongfan.innovation.urls")),
    path("rectification/", include("hongfan.rectification.urls")),
    path("orglife/", include("hongfan.orglife.urls")),
    path("development/", include("hongfan.development.urls")),
    path("dues/", include("hongfan.dues.urls")),
    path("learning/", include("hongfan.learning.urls")),
    path("assessments/", include("hongfan.scoring.urls")),
    path("voice/", include("hongfan.voice.urls")),
    path("integrity/", include("hongfan.integrity.urls")),
    path("clinical/", include("hongfan.clinical.urls")),
    path("outreach/", include("hongfan.outreach.urls")),
    path("budget/", include("hongfan.budget.urls")),
    path("logistics/", include("hongfan.logistics.urls")),
    path("energy/", include("hongfan.energy.urls")),
    path("equipment/", include("hongfan.equipment.urls")),
    path("publicity/", include("hongfan.publicity.urls")),
    path("cockpit/", include("hongfan.cockpit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
