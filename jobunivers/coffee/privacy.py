"""Personal data held by coffee meetings (ADR 0110): the citizen's choice of what employers may see, the cards
they were shown (with the fit and its reasons), their answers and the snapshot each yes shared, the booked
meeting and its outcome. Help only (purpose "help"): none of it is used to check availability. Exported and
erased on request; cards go after the municipality's retention period (retention.py). The funnel events
keep no identity once the card is gone. An employer's invitation is the organisation's; only the link to
the person who published it is personal."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import Answer, Invitation, Offer, Visibility


def _iso(value):
    return value.isoformat() if value else None


def _export_visibility(user):
    return [{"is_open": v.is_open, "job_kinds": v.job_kinds, "fields": v.fields, "updated_at": _iso(v.updated_at)}
            for v in Visibility.all_tenants.filter(citizen__user=user)]


def _erase_visibility(user):
    Visibility.all_tenants.filter(citizen__user=user).delete()


register_personal_data(
    Visibility, category=_("What employers may see about you"), purpose="help", export=_export_visibility,
    erase=_erase_visibility,
    fields={"is_open": shown_as(Visibility, "is_open"), "job_kinds": shown_as(Visibility, "job_kinds"),
            "fields": shown_as(Visibility, "fields"), "updated_at": _("changed")})


def _export_offers(user):
    return [{"employer": o.invitation.employer.name, "role": o.invitation.title, "shown_at": _iso(o.created_at),
             "score": o.score, "reasons": [r[0] for r in o.reasons or []], "accepted_at": _iso(o.accepted_at),
             "meeting_at": _iso(o.meeting_at), "citizen_attendance": o.citizen_attendance,
             "employer_attendance": o.employer_attendance, "outcome": o.outcome}
            for o in Offer.all_tenants.filter(citizen__user=user).select_related("invitation__employer")
            .order_by("created_at", "pk")]


def _erase_offers(user):
    Offer.all_tenants.filter(citizen__user=user).delete()


register_personal_data(
    Offer, category=_("Coffee-meeting invitations you were shown, and your meetings"), purpose="help",
    export=_export_offers, erase=_erase_offers,
    fields={"employer": _("employer"), "role": pgettext_lazy("job offered", "role"), "shown_at": _("shown"), "score": shown_as(Offer, "score"),
            "reasons": shown_as(Offer, "reasons"), "accepted_at": shown_as(Offer, "accepted_at"),
            "meeting_at": shown_as(Offer, "meeting_at"), "citizen_attendance": shown_as(Offer, "citizen_attendance"),
            "employer_attendance": shown_as(Offer, "employer_attendance"), "outcome": shown_as(Offer, "outcome")})


def _export_answers(user):
    return [{"employer": a.offer.invitation.employer.name, "role": a.offer.invitation.title, "choice": a.choice,
             "answered_at": _iso(a.answered_at), "on_behalf": a.on_behalf, "on_behalf_reason": a.on_behalf_reason,
             "shared": a.shared}
            for a in Answer.all_tenants.filter(offer__citizen__user=user).select_related("offer__invitation__employer")
            .order_by("answered_at", "pk")]


def _erase_answers(user):
    Answer.all_tenants.filter(offer__citizen__user=user).delete()
    Answer.all_tenants.filter(answered_by=user).update(answered_by=None)  # staff who answered for a citizen


register_personal_data(
    Answer, category=_("Your answers to coffee meetings, and what each yes shared with the employer"),
    purpose="help", export=_export_answers, erase=_erase_answers,
    fields={"employer": _("employer"), "role": pgettext_lazy("job offered", "role"), "choice": shown_as(Answer, "choice"),
            "answered_at": shown_as(Answer, "answered_at"), "on_behalf": shown_as(Answer, "on_behalf"),
            "on_behalf_reason": shown_as(Answer, "on_behalf_reason"), "shared": shown_as(Answer, "shared")})


def _export_invitations(user):
    return [{"employer": i.employer.name, "role": i.title, "published_at": _iso(i.published_at), "status": i.status}
            for i in Invitation.objects.filter(created_by=user).select_related("employer").order_by("published_at")]


def _erase_invitations(user):
    Invitation.objects.filter(created_by=user).update(created_by=None)


register_personal_data(
    Invitation, category=_("Coffee-meeting invitations you published as an employer"), purpose="help",
    export=_export_invitations, erase=_erase_invitations,
    fields={"employer": _("employer"), "role": pgettext_lazy("job offered", "role"), "published_at": shown_as(Invitation, "published_at"),
            "status": shown_as(Invitation, "status")},
    keep_reason=_("The invitations stay as your organisation's; only the link to you is removed."))

register_access_subject("coffee.candidate", _("what you chose to share when you said yes to a coffee meeting"))
register_access_subject("coffee.posting_candidate", _("what you chose to show employers, as a candidate for a job"))
register_access_subject("coffee.cards", _("your coffee-meeting invitations and answers"))
register_access_subject("coffee.answer", _("your answer to a coffee-meeting invitation (given on your behalf)"))
