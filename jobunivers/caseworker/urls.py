from django.urls import path

from . import views

app_name = "caseworker"

urlpatterns = [
    path("medarbejder/", views.home, name="home"),
]
