from django.urls import path

from . import health, views

app_name = "core"

urlpatterns = [
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
    path("privatliv/", views.privacy, name="privacy"),
    path("health/", health.liveness, name="health"),  # kept for existing probes: the same as live/
    path("health/live/", health.liveness, name="liveness"),
    path("health/ready/", health.readiness, name="readiness"),
    path("bare/", views.bare, name="bare"),
    path("ikon.svg", views.favicon, name="favicon"),
]
