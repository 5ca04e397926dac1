from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("min-side/job-fundet/", views.own_job, name="own_job"),
    path("min-side/job-fundet/fortryd/", views.own_job_withdraw, name="own_job_withdraw"),
    path("min-side/andre-som-dig/samtykke/", views.people_like_you_consent, name="people_like_you_consent"),
    path("medarbejder/borgere/<int:citizen_id>/ledighed/", views.citizen_spells, name="citizen_spells"),
    path("medarbejder/resultater/", views.dashboard, name="dashboard"),
    path("medarbejder/resultater/opdater/", views.dashboard_refresh, name="dashboard_refresh"),
    path("medarbejder/resultater/kommuner/", views.national, name="national"),
    path("aabne-data/resultater.json", views.open_data_json, name="open_data_json"),
    path("aabne-data/resultater.csv", views.open_data_csv, name="open_data_csv"),
    path("medarbejder/effekt/", views.effects, name="effects"),
    path("medarbejder/effekt/<slug:service_key>/", views.effect, name="effect"),
]
