from django.urls import path

from . import views

app_name = "caseworker"

urlpatterns = [
    path("medarbejder/", views.home, name="home"),
    path("medarbejder/mine-borgere/", views.worklist, name="worklist"),
    path("medarbejder/dagens-samtaler/", views.today, name="today"),
    path("medarbejder/overblik/", views.overview, name="overview"),
    path("medarbejder/mine-borgere/handling/", views.worklist_bulk, name="worklist_bulk"),
    path("medarbejder/filtre/", views.saved_filter_save, name="saved_filter_save"),
    path("medarbejder/filtre/<int:filter_id>/slet/", views.saved_filter_delete, name="saved_filter_delete"),
    path("medarbejder/borgere/", views.citizen_search, name="search"),
    path("medarbejder/borgere/<int:citizen_id>/", views.citizen, name="citizen"),
    path("medarbejder/borgere/<int:citizen_id>/overblik/", views.cue_card, name="cue_card"),
    path("medarbejder/borgere/<int:citizen_id>/notat/", views.note_add, name="note_add"),
    path("medarbejder/borgere/<int:citizen_id>/aktivitet/", views.activity_add, name="activity_add"),
    path("medarbejder/borgere/<int:citizen_id>/indkald/", views.summon, name="summon"),
    path("medarbejder/borgere/<int:citizen_id>/send/", views.send, name="send"),
    path("medarbejder/notater/<int:note_id>/udfoert/", views.note_done, name="note_done"),
    path("medarbejder/samtaler/<int:conversation_id>/udfald/", views.outcome, name="outcome"),
    path("medarbejder/population/", views.population, name="population"),
    path("medarbejder/find-borgere/", views.find, name="find"),
    path("medarbejder/udsendelser/ny/", views.push_create, name="push_create"),
    path("medarbejder/udsendelser/", views.push_list, name="push_list"),
    path("medarbejder/udsendelser/<int:push_id>/", views.push_detail, name="push_detail"),
    path("medarbejder/udsendelser/tilbud/<int:curated_id>/", views.offer_push, name="offer_push"),
    path("indkaldelser/<int:conversation_id>/", views.my_summons, name="my_summons"),
]
