from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("samtaler/", views.my_bookings, name="my_bookings"),
    path("samtaler/book/", views.book, name="book"),
    path("samtaler/<int:booking_id>/", views.mine, name="mine"),
    path("samtaler/<int:booking_id>/samtale.ics", views.invitation, name="invitation"),
    path("samtaler/referater/<int:minutes_id>/", views.my_minutes, name="my_minutes"),
    path("medarbejder/samtaler/", views.day_list, name="day_list"),
    path("medarbejder/samtaler/tider/", views.availability, name="availability"),
    path("medarbejder/samtaler/tider/<int:rule_id>/fjern/", views.availability_remove, name="availability_remove"),
    path("medarbejder/samtaler/fravaer/<int:absence_id>/fjern/", views.absence_remove, name="absence_remove"),
    path("medarbejder/samtaler/indstillinger/", views.settings, name="settings"),
    path("medarbejder/samtaler/<int:booking_id>/fremmoede/", views.attendance, name="attendance"),
    path("medarbejder/samtaler/borger/<int:citizen_id>/", views.staff_citizen, name="staff_citizen"),
    path("medarbejder/samtaler/borger/<int:citizen_id>/referat/", views.minutes_edit, name="minutes_new"),
    path("medarbejder/samtaler/borger/<int:citizen_id>/referat/<int:minutes_id>/", views.minutes_edit,
         name="minutes_edit"),
    path("medarbejder/samtaler/borger/<int:citizen_id>/referat/<int:corrects_id>/ret/", views.minutes_edit,
         name="minutes_correct"),
]
