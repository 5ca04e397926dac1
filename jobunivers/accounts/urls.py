from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("log-ind/", views.login_page, name="login"),
    path("log-ud/", views.logout_view, name="logout"),
    path("hjem/", views.home, name="home"),
    path("demo/", views.demo_personas_view, name="demo_personas"),
    path("demo/log-ind/", views.demo_login, name="demo_login"),
    path("leverandoer/", views.vendor_home, name="vendor_home"),
]
