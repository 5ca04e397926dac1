from django.urls import path

from . import views

app_name = "assistant"

urlpatterns = [
    path("assistent/", views.ask, name="ask"),
    path("assistent/svar/", views.feedback, name="feedback"),
    path("assistent/person/", views.handoff, name="handoff"),
    path("medarbejder/assistent/", views.staff_handoffs, name="staff_handoffs"),
    path("medarbejder/assistent/<int:handoff_id>/besvaret/", views.staff_handoff_answered, name="staff_handoff_answered"),
    path("medarbejder/assistent/ubesvarede/", views.unanswered, name="unanswered"),
    path("medarbejder/assistent/ubesvarede/<int:question_id>/kladde/", views.draft_card, name="draft_card"),
    path("medarbejder/assistent/kort/", views.local_cards, name="local_cards"),
    path("medarbejder/assistent/kort/ny/", views.local_card_edit, name="local_card_new"),
    path("medarbejder/assistent/kort/<int:card_id>/", views.local_card_edit, name="local_card_edit"),
    path("medarbejder/assistent/kort/<int:card_id>/til-godkendelse/", views.local_card_submit,
         name="local_card_submit"),
    path("medarbejder/assistent/kort/<int:card_id>/udgiv/", views.local_card_publish, name="local_card_publish"),
]
