from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("job-til-dig/", views.feed, name="feed"),
    path("job-til-dig/job/<int:posting_id>/", views.job, name="job"),
    path("job-til-dig/job/<int:posting_id>/gem/", views.save, name="save"),
    path("job-til-dig/job/<int:posting_id>/ikke-relevant/", views.dismiss, name="dismiss"),
    path("job-til-dig/job/<int:posting_id>/soegt/", views.applied, name="applied"),
    path("job-til-dig/borger/<int:citizen_id>/", views.citizen_feed, name="citizen_feed"),
]
