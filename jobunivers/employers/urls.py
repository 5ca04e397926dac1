from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("virksomheder/kan-ansaette/", views.likely, name="likely"),
    path("virksomheder/kan-ansaette/<int:organisation_id>/hvorfor/", views.why, name="why"),
    path("virksomheder/jeg-foelger/", views.follows, name="follows"),
    path("virksomheder/jeg-foelger/tilfoej/", views.follow, name="follow"),
    path("virksomheder/jeg-foelger/<int:follow_id>/stop/", views.unfollow, name="unfollow"),
    path("virksomheder/jeg-foelger/<int:follow_id>/besked/", views.follow_notify, name="follow_notify"),
    path("virksomheder/<int:organisation_id>/", views.employer, name="employer"),
    path("virksomheder/<int:organisation_id>/uopfordret/", views.unsolicited, name="unsolicited"),
]
