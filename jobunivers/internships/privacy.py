"""Personal data held by internships (ADR 0125): the places the citizen was shown (with the fit and its reasons),
their applications with the motivation and the snapshot each shared, the job centre's decision and the outcome.
Help only (purpose "help"): none of it is used to check availability. Exported and erased on request; cards go
after the municipality's retention period (retention.py). The funnel events keep no identity once the card is
gone. A place is the employer's; only the link to the person who published it is personal, and the link to the
caseworker who decided an application is theirs."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import Application, Place, Suggestion


def _iso(value):
    return value.isoformat() if value else None


def _export_suggestions(user):
    return [{"employer": s.place.employer.name, "role": s.place.title, "shown_at": _iso(s.created_at),
             "score": s.score, "reasons": [r[0] for r in s.reasons or []]}
            for s in Suggestion.all_tenants.filter(citizen__user=user).select_related("place__employer")
            .order_by("created_at", "pk")]


def _erase_suggestions(user):
    Suggestion.all_tenants.filter(citizen__user=user).delete()


register_personal_data(
    Suggestion, category=_("Internship places you were shown"), purpose="help", export=_export_suggestions,
    erase=_erase_suggestions,
    fields={"employer": _("employer"), "role": _("role"), "shown_at": _("shown"),
            "score": shown_as(Suggestion, "score"), "reasons": shown_as(Suggestion, "reasons")})


def _export_applications(user):
    return [{"employer": a.place.employer.name, "role": a.place.title, "motivation": a.motivation,
             "shared": a.shared, "status": a.status, "applied_at": _iso(a.applied_at), "decided_at": _iso(a.decided_at),
             "decision_reason": a.decision_reason, "outcome": a.outcome}
            for a in Application.all_tenants.filter(citizen__user=user).select_related("place__employer")
            .order_by("applied_at", "pk")]


def _erase_applications(user):
    Application.all_tenants.filter(citizen__user=user).delete()
    Application.all_tenants.filter(decided_by=user).update(decided_by=None)  # the caseworker who decided


register_personal_data(
    Application, category=_("Your internship applications, what each shared with the employer, and the decision"),
    purpose="help", export=_export_applications, erase=_erase_applications,
    fields={"employer": _("employer"), "role": _("role"), "motivation": shown_as(Application, "motivation"),
            "shared": shown_as(Application, "shared"), "status": shown_as(Application, "status"),
            "applied_at": shown_as(Application, "applied_at"), "decided_at": shown_as(Application, "decided_at"),
            "decision_reason": shown_as(Application, "decision_reason"), "outcome": shown_as(Application, "outcome")})


def _export_places(user):
    return [{"employer": p.employer.name, "role": p.title, "published_at": _iso(p.published_at), "status": p.status}
            for p in Place.objects.filter(created_by=user).select_related("employer").order_by("published_at")]


def _erase_places(user):
    Place.objects.filter(created_by=user).update(created_by=None)


register_personal_data(
    Place, category=_("Internship places you published as an employer"), purpose="help",
    export=_export_places, erase=_erase_places,
    fields={"employer": _("employer"), "role": _("role"), "published_at": shown_as(Place, "published_at"),
            "status": shown_as(Place, "status")},
    keep_reason=_("The internship places stay as your organisation's; only the link to you is removed."))

register_access_subject("internships.applicant", _("your internship application and what you chose to share"))
register_access_subject("internships.applications", _("your internship applications (the job centre's worklist)"))
register_access_subject("internships.application", _("your internship application"))
