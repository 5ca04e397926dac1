from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("mine-data/", views.my_data, name="my_data"),
    path("mine-data/samtykker/", views.my_consents, name="my_consents"),
    path("mine-data/mine-data.json", views.my_data_json, name="my_data_json"),
    path("mine-data/udskrift/", views.my_data_printable, name="my_data_printable"),
    path("mine-data/slet/", views.my_erasure, name="my_erasure"),
]
