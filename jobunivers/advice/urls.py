from django.urls import path

from . import views

app_name = "advice"

urlpatterns = [
    path("min-side/diagnose/", views.why, name="why"),
    path("min-side/diagnose/trin/", views.answer, name="answer"),
    path("min-side/markedet/", views.market, name="market"),
    path("medarbejder/raadgivning/moduler/", views.module_statistics, name="module_statistics"),
]
