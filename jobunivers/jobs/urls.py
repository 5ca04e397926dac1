from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("employer/", views.employer_home, name="employer_home"),
]
