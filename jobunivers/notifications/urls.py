from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("beskeder/", views.inbox, name="inbox"),
    path("beskeder/laest/", views.mark_all_read, name="mark_all_read"),
    path("beskeder/<int:notification_id>/", views.open_notification, name="open"),
    path("beskeder/indstillinger/", views.preferences, name="preferences"),
    path("beskeder/push/til/", views.push_subscribe, name="push_subscribe"),
    path("beskeder/push/fra/", views.push_unsubscribe, name="push_unsubscribe"),
    path("beskeder/afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("beskeder/borger/<int:citizen_id>/", views.citizen_deliveries, name="citizen_deliveries"),
]
