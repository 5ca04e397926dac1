from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
    path("privatliv/", views.privacy, name="privacy"),
    path("health/", views.health, name="health"),
    path("bare/", views.bare, name="bare"),
    path("ikon.svg", views.favicon, name="favicon"),
]
