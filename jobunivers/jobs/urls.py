from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("job/", views.search, name="search"),
    path("job/kort/", views.job_map, name="map"),
    path("job/kort/markoerer.json", views.markers, name="markers"),
    path("job/<int:posting_id>/", views.detail, name="detail"),
    path("employer/", views.employer_home, name="employer_home"),
    path("employer/job/ny/", views.employer_create, name="employer_create"),
    path("employer/job/<int:posting_id>/ret/", views.employer_edit, name="employer_edit"),
    path("employer/job/<int:posting_id>/tilbagekald/", views.employer_withdraw, name="employer_withdraw"),
]
