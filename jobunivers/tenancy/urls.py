from django.urls import path

from . import views

app_name = "tenancy"

urlpatterns = [
    path("administration/", views.admin_home, name="admin_home"),
    path("platform/", views.platform_home, name="platform_home"),
]
