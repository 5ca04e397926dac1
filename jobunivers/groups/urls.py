from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("min-side/hold/", views.citizen_list, name="list"),
    path("min-side/hold/<int:group_id>/", views.citizen_detail, name="detail"),
    path("min-side/hold/<int:group_id>/tilmeld/", views.citizen_join, name="join"),
    path("min-side/hold/<int:group_id>/forlad/", views.citizen_leave, name="leave"),
    path("min-side/hold/<int:group_id>/deling/", views.citizen_sharing, name="sharing"),
    path("medarbejder/hold/", views.staff_list, name="staff_list"),
    path("medarbejder/hold/ny/", views.staff_create, name="staff_create"),
    path("medarbejder/hold/<int:group_id>/", views.staff_group, name="staff_group"),
    path("medarbejder/hold/<int:group_id>/ret/", views.staff_edit, name="staff_edit"),
    path("medarbejder/hold/<int:group_id>/moede/", views.staff_session_add, name="staff_session_add"),
    path("medarbejder/hold/<int:group_id>/opgave/", views.staff_task_add, name="staff_task_add"),
    path("medarbejder/hold/<int:group_id>/moede/<int:session_id>/fremmoede/", views.staff_attendance,
         name="staff_attendance"),
    path("medarbejder/hold/<int:group_id>/deltager/<int:enrolment_id>/gennemfoert/", views.staff_complete,
         name="staff_complete"),
    path("medarbejder/hold/borger/<int:citizen_id>/", views.staff_citizen, name="staff_citizen"),
    path("leverandoer/hold/", views.vendor_list, name="vendor_list"),
    path("leverandoer/hold/<int:group_id>/", views.vendor_group, name="vendor_group"),
    path("leverandoer/hold/<int:group_id>/moede/<int:session_id>/fremmoede/", views.vendor_attendance,
         name="vendor_attendance"),
]
