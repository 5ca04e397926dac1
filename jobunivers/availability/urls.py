from django.urls import path

from . import views

app_name = "availability"

urlpatterns = [
    path("raadighed/", views.mine, name="mine"),
    path("medarbejder/raadighed/", views.worklist, name="worklist"),
]
