from django.urls import path

from . import views

app_name = "internships"

urlpatterns = [
    path("employer/praktik/", views.employer_list, name="employer_list"),
    path("employer/praktik/ny/", views.employer_create, name="employer_create"),
    path("employer/praktik/<int:place_id>/", views.employer_place, name="employer_place"),
    path("employer/praktik/<int:place_id>/ret/", views.employer_edit, name="employer_edit"),
    path("employer/praktik/<int:place_id>/tilbagekald/", views.employer_withdraw, name="employer_withdraw"),
    path("employer/praktik/<int:place_id>/ansoeger/<int:application_id>/resultat/", views.employer_outcome,
         name="employer_outcome"),
    path("min-side/praktik/", views.cards, name="list"),
    path("min-side/praktik/<int:suggestion_id>/ansoeg/", views.apply, name="apply"),
    path("min-side/praktik/ansoegning/<int:application_id>/tilbagetraek/", views.withdraw, name="withdraw"),
    path("medarbejder/praktik/", views.staff_worklist, name="staff_worklist"),
    path("medarbejder/praktik/<int:application_id>/", views.staff_application, name="staff_application"),
]
