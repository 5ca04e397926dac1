"""Personal data held by the assistant: a signed-in citizen's questions (personal data stripped,
kept ASSISTANT_QUESTION_RETENTION_DAYS) and their hand-offs to a person."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import AnswerCard, Handoff, Question


def _export_questions(user):
    return [{"asked": q.created_at.isoformat(), "text": q.text, "outcome": q.outcome, "card": q.card_key,
             "helpful": q.helpful} for q in Question.all_tenants.filter(user=user).order_by("created_at")]


def _erase_questions(user):
    Question.all_tenants.filter(user=user).delete()


def _export_handoffs(user):
    return [{"sent": h.created_at.isoformat(), "reason": h.reason, "state": h.state,
             "answer_expected_by": h.answer_expected_by.isoformat(), "transcript": [t.get("text", "") for t in
                                                                                     h.transcript]}
            for h in Handoff.all_tenants.filter(citizen_user=user).order_by("created_at")]


def _erase_handoffs(user):
    Handoff.all_tenants.filter(citizen_user=user).delete()


register_personal_data(Question, category=_("Your questions to the assistant"), purpose="help",
                       export=_export_questions, erase=_erase_questions,
                       fields={"asked": shown_as(Question, "created_at", label=_("asked")),
                               "text": shown_as(Question, "text"), "outcome": shown_as(Question, "outcome"),
                               "card": shown_as(Question, "card_key"), "helpful": shown_as(Question, "helpful")})
register_personal_data(Handoff, category=_("Your questions sent from the assistant to a person"), purpose="help",
                       export=_export_handoffs, erase=_erase_handoffs,
                       fields={"sent": shown_as(Handoff, "created_at", label=_("sent")),
                               "reason": shown_as(Handoff, "reason"), "state": shown_as(Handoff, "state"),
                               "answer_expected_by": shown_as(Handoff, "answer_expected_by"),
                               "transcript": shown_as(Handoff, "transcript")})


def _export_cards(user):
    return [{"key": c.key, "title": c.title_da, "status": c.status, "changed": c.updated_at.isoformat()}
            for c in AnswerCard.objects.filter(written_by=user).order_by("updated_at")]


def _erase_card_links(user):
    AnswerCard.objects.filter(written_by=user).update(written_by=None)
    AnswerCard.objects.filter(reviewed_by=user).update(reviewed_by=None)


register_personal_data(AnswerCard, category=_("Answer cards you wrote for the assistant"), purpose="help",
                       export=_export_cards, erase=_erase_card_links,
                       fields={"title": shown_as(AnswerCard, "title_da"), "status": shown_as(AnswerCard, "status"),
                               "changed": shown_as(AnswerCard, "updated_at", label=_("changed"))},
                       keep_reason=_("The cards stay as the municipality's answers; only the link to you is "
                                     "removed."))
register_access_subject("assistant hand-offs", _("questions citizens sent from the assistant to the job centre"))
register_access_subject("assistant hand-off", _("a question a citizen sent from the assistant to the job centre"))
