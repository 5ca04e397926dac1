"""Personal data held by feedback: the questions sent to a citizen after an interaction, and their answers
(a score or yes/no, and a comment with personal data removed). Help only (purpose "help"): answers improve
the services, they are never used to check availability. Exported on "Mine data", erased on request, and
deleted after the municipality's `feedback_retention_days`."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import PulseAnswer, PulseRequest


def _export_requests(user):
    return [{"kind": r.kind, "service_label": r.service_label, "status": r.status,
             "created_at": r.created_at.isoformat(), "expires_at": r.expires_at.isoformat() if r.expires_at else None}
            for r in PulseRequest.all_tenants.filter(citizen__user=user).order_by("created_at", "id")]


def _erase_requests(user):
    PulseRequest.all_tenants.filter(citizen__user=user).delete()


def _export_answers(user):
    return [{"kind": a.kind, "service_label": a.service_label, "score": a.score, "yes": a.yes, "text": a.text,
             "wants_contact": a.wants_contact, "answered_at": a.answered_at.isoformat()}
            for a in PulseAnswer.all_tenants.filter(citizen__user=user).order_by("answered_at", "id")]


def _erase_answers(user):
    PulseAnswer.all_tenants.filter(citizen__user=user).delete()


register_personal_data(
    PulseAnswer, category=_("Your answers to questions about your experience (used to improve the services; "
                            "never to check your availability)"), purpose="help",
    export=_export_answers, erase=_erase_answers,
    fields={"kind": shown_as(PulseAnswer, "kind"), "service_label": shown_as(PulseAnswer, "service_label"),
            "score": shown_as(PulseAnswer, "score"), "yes": shown_as(PulseAnswer, "yes"),
            "text": shown_as(PulseAnswer, "text"), "wants_contact": shown_as(PulseAnswer, "wants_contact"),
            "answered_at": shown_as(PulseAnswer, "answered_at")})
register_personal_data(
    PulseRequest, category=_("Questions about your experience that we sent you, or did not send because you "
                             "had already had one that day"), purpose="help",
    export=_export_requests, erase=_erase_requests,
    fields={"kind": shown_as(PulseRequest, "kind"), "service_label": shown_as(PulseRequest, "service_label"),
            "status": shown_as(PulseRequest, "status"), "created_at": _("created"),
            "expires_at": shown_as(PulseRequest, "expires_at")})
register_access_subject("feedback comments", _("comments written in answers to questions about your "
                                               "experience (a search in the comments, without your name)"))
