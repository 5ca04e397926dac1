from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("min-side/laering/", views.catalogue, name="catalogue"),
    path("min-side/laering/<int:module_id>/", views.module, name="module"),
    path("min-side/laering/<int:module_id>/lektion/<int:lesson_id>/", views.lesson, name="lesson"),
    path("min-side/laering/<int:module_id>/forlad/", views.leave, name="leave"),
    path("min-side/laering/<int:module_id>/deling/", views.sharing, name="sharing"),
    path("min-side/jobsamtale/", views.interviews, name="interviews"),
    path("min-side/jobsamtale/<int:session_id>/", views.interview, name="interview"),
    path("min-side/jobsamtale/<int:session_id>/gennemgang/", views.interview_review, name="interview_review"),
    path("min-side/jobsamtale/<int:session_id>/slet/", views.interview_delete, name="interview_delete"),
    path("min-side/jobsamtale/<int:session_id>/svar/<int:position>/del/", views.interview_share,
         name="interview_share"),
    path("min-side/jobsamtale/<int:session_id>/svar/<int:position>/tilbagekald/", views.interview_withdraw,
         name="interview_withdraw"),
    path("min-side/jobsamtale/optagelse/<int:recording_id>/", views.interview_recording, name="interview_recording"),
    path("medarbejder/laering/borger/<int:citizen_id>/", views.staff_citizen, name="staff_citizen"),
    path("medarbejder/laering/optagelse/<int:recording_id>/", views.staff_recording, name="staff_recording"),
]
