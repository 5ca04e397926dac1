"""Personal data held by segmentation: register data, suggestions with their inputs, decisions,
the citizen's disagreements, re-segmentation, and personal consultant assignments."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import (
    Shown,
    exempt_from_personal_data,
    items_of,
    register_access_subject,
    register_personal_data,
    shown_as,
)

from .explanations import reason_text, tag_text
from .models import (
    CitizenInteraction,
    ConsultantAssignment,
    Decision,
    Disagreement,
    FairnessGroup,
    RegisterData,
    SecondReview,
    Suggestion,
    Transition,
)


def _of(model, user):
    return model.all_tenants.filter(citizen__user=user).order_by("pk")


def _export_register(user):
    return [{"age_band": r.age_band, "education_level": r.education_level,
             "unemployment_weeks_last_3_years": r.unemployment_weeks_last_3_years,
             "unemployment_spells_last_3_years": r.unemployment_spells_last_3_years,
             "benefit_type": r.benefit_type, "weeks_since_last_job": r.weeks_since_last_job,
             "previous_isco": r.previous_isco, "origin": r.origin, "registered_on": r.registered_on.isoformat(),
             "outcome": r.outcome, "outcome_on": r.outcome_on.isoformat() if r.outcome_on else None,
             "source": r.source, "groups": r.groups} for r in _of(RegisterData, user)]


def _export_suggestions(user):
    return [{"created": s.created_at.isoformat(), "track": s.track.name_da, "status": s.status, "reason": s.reason,
             "explanation": s.tags, "inputs": s.inputs, "risk_score": s.risk_score,
             "risk_not_calculated_because": s.risk_omitted,
             "model_version": s.model_version.version if s.model_version_id else None}
            for s in _of(Suggestion, user).select_related("track", "model_version")]


def _export_decisions(user):
    return [{"created": d.created_at.isoformat(), "track": d.track.name_da, "changed": d.changed,
             "reason": d.reason} for d in _of(Decision, user).select_related("track")]


def _export_disagreements(user):
    return [{"created": d.created_at.isoformat(), "kind": d.kind, "comment": d.comment, "status": d.status}
            for d in _of(Disagreement, user)]


def _export_interaction(user):
    return [{"state": i.state, "since": i.since.isoformat()} for i in _of(CitizenInteraction, user)]


def _export_transitions(user):
    return [{"created": t.created_at.isoformat(), "from": t.from_state, "to": t.to_state, "reasons": t.reasons,
             "signals": t.signals} for t in _of(Transition, user)]


def _export_assignments(user):
    return [{"from": a.started_at.isoformat(), "until": a.ended_at.isoformat() if a.ended_at else None,
             "consultant": a.consultant.get_full_name() or a.consultant.username, "reason": a.reason,
             "automatic": a.automatic} for a in _of(ConsultantAssignment, user).select_related("consultant")]


def _export_second_reviews(user):
    return [{"month": r.month.isoformat(), "reviewed_at": r.reviewed_at.isoformat() if r.reviewed_at else None,
             "agrees": r.agrees, "comment": r.comment} for r in _of(SecondReview, user)]


CREATED = Shown(_("Created"))


def _inputs_text():
    answers = apps.get_model("citizens", "OnboardingAnswers")
    return items_of(labels={"first_period_weeks": _("Weeks in the first period")}, nested={
        "register": items_of(RegisterData), "answers": items_of(answers),
    })


def _signals_text(value):
    return items_of(labels={"inactive_days": _("Days without activity"),
                            "unanswered_pushes": _("Messages without a reaction"),
                            "overdue_plan_items": _("Overdue items in the plan"),
                            "stated_wish": _("You asked for more contact"),
                            "last_activity": _("Last activity")})(value)


def _erase(model):
    def erase(user):
        model.all_tenants.filter(citizen__user=user).delete()
    return erase


register_personal_data(RegisterData, category=_("Register data used to suggest your track"), purpose="help",
                       export=_export_register, erase=_erase(RegisterData))
# Second reviews go first: they refer to the decisions, which refer to the suggestions.
register_personal_data(SecondReview, category=_("Second reviews of decisions on your track"), purpose="help",
                       export=_export_second_reviews, erase=_erase(SecondReview))
register_personal_data(Decision, category=_("Decisions on your track"), purpose="help",
                       export=_export_decisions, erase=_erase(Decision), fields={"created": CREATED})
register_personal_data(Disagreement, category=_("Your disagreements and wishes for contact"), purpose="help",
                       export=_export_disagreements, erase=_erase(Disagreement), fields={"created": CREATED})
register_personal_data(Suggestion, category=_("Suggested tracks and why"), purpose="help",
                       export=_export_suggestions, erase=_erase(Suggestion),
                       fields={"created": CREATED,
                               "explanation": Shown(_("Why"), text=lambda tags: [tag_text(t) for t in tags or []]),
                               "inputs": Shown(_("What the suggestion was based on"), text=_inputs_text()),
                               "risk_not_calculated_because": shown_as(Suggestion, "risk_omitted")})
register_personal_data(CitizenInteraction, category=_("How we follow up with you"), purpose="help",
                       export=_export_interaction, erase=_erase(CitizenInteraction))
register_personal_data(Transition, category=_("Changes in how we follow up with you"), purpose="help",
                       export=_export_transitions, erase=_erase(Transition),
                       fields={"created": CREATED, "from": shown_as(Transition, "from_state"),
                               "to": shown_as(Transition, "to_state"),
                               "reasons": Shown(_("Reasons"), text=lambda reasons: [reason_text(r) for r in reasons or []]),
                               "signals": Shown(_("Signals"), text=_signals_text)})
register_personal_data(ConsultantAssignment, category=_("Your personal job consultants"), purpose="help",
                       export=_export_assignments, erase=_erase(ConsultantAssignment),
                       fields={"from": shown_as(ConsultantAssignment, "started_at"),
                               "until": shown_as(ConsultantAssignment, "ended_at")})

register_access_subject("segmentation: worklist", _("the list of suggested tracks"))
register_access_subject("segmentation: decided the track", _("your track"))
register_access_subject("segmentation: suggestion, inputs and decisions", _("the suggestion of your track and why"))
register_access_subject("segmentation: assigned a personal job consultant", _("who your personal job consultant is"))
register_access_subject("segmentation: caseload", _("the caseloads of the personal job consultants"))
register_access_subject("segmentation: second review", _("a second staff member's review of the decision on your track"))
register_access_subject("segmentation: second reviews", _("the decisions drawn for a second review"))
exempt_from_personal_data(FairnessGroup, reason="municipal configuration of the fairness figures; the link is to the "
                                                "administrator who registered the group")
