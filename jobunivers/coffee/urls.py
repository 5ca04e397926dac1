from django.urls import path

from . import views

app_name = "coffee"

urlpatterns = [
    path("employer/kaffemoeder/", views.employer_list, name="employer_list"),
    path("employer/kaffemoeder/ny/", views.employer_create, name="employer_create"),
    path("employer/kaffemoeder/<int:invitation_id>/", views.employer_invitation, name="employer_invitation"),
    path("employer/kaffemoeder/<int:invitation_id>/luk/", views.employer_close, name="employer_close"),
    path("employer/kaffemoeder/<int:invitation_id>/kandidat/<int:offer_id>/accepter/", views.employer_accept,
         name="employer_accept"),
    path("employer/kaffemoeder/<int:invitation_id>/kandidat/<int:offer_id>/fremmoede/", views.employer_attendance,
         name="employer_attendance"),
    path("employer/kaffemoeder/<int:invitation_id>/kandidat/<int:offer_id>/resultat/", views.employer_outcome,
         name="employer_outcome"),
    path("employer/job/<int:posting_id>/kandidater/", views.posting_candidates, name="posting_candidates"),
    path("min-side/kaffemoeder/", views.cards, name="cards"),
    path("min-side/kaffemoeder/synlighed/", views.visibility, name="visibility"),
    path("min-side/kaffemoeder/<int:offer_id>/svar/", views.answer, name="answer"),
    path("min-side/kaffemoeder/<int:offer_id>/fremmoede/", views.attendance, name="attendance"),
    path("medarbejder/kaffemoeder/borger/<int:citizen_id>/", views.staff_citizen, name="staff_citizen"),
    path("medarbejder/kaffemoeder/tragt/", views.funnel, name="funnel"),
]
