from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("tilbagemelding/<str:token>/", views.answer, name="answer"),
    path("medarbejder/tilbagemeldinger/", views.ratings, name="ratings"),
    path("medarbejder/tilbagemeldinger/kommentarer/", views.comments, name="comments"),
]
