from django.urls import path

from . import views

app_name = "dialogue"

urlpatterns = [
    path("dialog/", views.inbox, name="inbox"),
    path("dialog/ny/", views.new, name="new"),
    path("dialog/<int:thread_id>/", views.thread, name="thread"),
    path("dialog/fil/<int:attachment_id>/", views.attachment, name="attachment"),
    path("medarbejder/dialog/", views.team_inbox, name="team_inbox"),
    path("medarbejder/dialog/<int:thread_id>/", views.staff_thread, name="staff_thread"),
    path("medarbejder/dialog/<int:thread_id>/tildel/", views.staff_assign, name="staff_assign"),
    path("medarbejder/dialog/<int:thread_id>/arkiver/", views.staff_archive, name="staff_archive"),
    path("medarbejder/dialog/fil/<int:attachment_id>/", views.staff_attachment, name="staff_attachment"),
    path("medarbejder/dialog/ny/<int:citizen_id>/", views.staff_new, name="staff_new"),
]
