from django.urls import path

from . import views

app_name = "citizens"

urlpatterns = [
    path("min-side/", views.home, name="home"),
]
