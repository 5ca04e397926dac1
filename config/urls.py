"""One URL configuration for national pages and, under /<municipality>/, for each municipality.

The municipality prefix is stripped by tenancy.middleware and becomes the
script prefix, so the same patterns serve both (see docs/adr/0002).
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api

handler400 = "jobunivers.core.views.bad_request"
handler403 = "jobunivers.core.views.permission_denied"
handler404 = "jobunivers.core.views.page_not_found"
handler500 = "jobunivers.core.views.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("jobunivers.core.urls")),
    path("", include("jobunivers.accounts.urls")),
    path("", include("jobunivers.tenancy.urls")),
    path("", include("jobunivers.audit.urls")),
    path("", include("jobunivers.taxonomy.urls")),
    path("", include("jobunivers.jobs.urls")),
    path("", include("jobunivers.citizens.urls")),
    path("", include("jobunivers.employers.urls")),
    path("", include("jobunivers.matching.urls")),
    path("", include("jobunivers.segmentation.urls")),
    path("", include("jobunivers.notifications.urls")),
    path("", include("jobunivers.dialogue.urls")),
    path("", include("jobunivers.caseworker.urls")),
    path("", include("jobunivers.availability.urls")),
    path("", include("jobunivers.assistant.urls")),
    path("", include("jobunivers.booking.urls")),
    path("", include("jobunivers.marketplace.urls")),
    path("", include("jobunivers.agreements.urls")),
    path("", include("jobunivers.advice.urls")),
    path("", include("jobunivers.learning.urls")),
    path("", include("jobunivers.coffee.urls")),
    path("", include("jobunivers.groups.urls")),
    path("", include("jobunivers.internships.urls")),
    path("", include("jobunivers.feedback.urls")),
    path("", include("jobunivers.journeys.urls")),
    path("", include("jobunivers.analytics.urls")),
    path("", include("jobunivers.observability.urls")),
]

if settings.DEBUG:  # pragma: no cover
    pass
