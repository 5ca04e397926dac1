"""Explanation tags and transition reasons in plain language (Danish by default, English second).

Suggestions and transitions store the codes; the texts are looked up when shown, so they read in
the viewer's language and can be improved without rewriting history.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TAGS = {
    "needs_digital_help": _("You told us that you need help to use digital tools"),
    "wants_personal_contact": _("You want personal contact yourself"),
    "long_previous_unemployment": _("Long earlier unemployment"),
    "social_assistance": _("You receive social assistance (kontanthjælp)"),
    "health_barrier": _("You named health as a barrier"),
    "several_barriers": _("You named several barriers"),
    "low_self_assessment": _("You consider your chances of a job to be low"),
    "high_self_assessment": _("You consider your chances of a job to be good"),
    "never_worked": _("No earlier job"),
    "recent_job": _("You had a job recently"),
    "education_completed": _("You have a vocational or higher education"),
    "high_risk_score": _("The model estimates a high risk of long unemployment"),
    "medium_risk_score": _("The model estimates a medium risk of long unemployment"),
    "low_risk_score": _("The model estimates good chances of a job soon"),
    "profiling_objected": _("You object to profiling, so no risk score was calculated"),
    "no_answers": _("We do not have your answers to the questionnaire yet"),
    "no_register_data": _("We do not have register data about you yet"),
    "no_model": _("No risk model is in use, so no risk score was calculated"),
}

TRANSITION_REASONS = {
    "inactive": _("No login and no job log entry for %(days)s days"),
    "repeated_inactivity": _("Still no activity after %(days)s days"),
    "unanswered_pushes": _("%(count)s messages without a reaction"),
    "overdue_plan_items": _("%(count)s overdue items in your plan"),
    "stated_wish": _("You asked for more contact"),
    "active_again": _("You are active again"),
    "consultant_assigned": _("A personal job consultant has been assigned to you"),
    "no_consultant_capacity": _("No personal job consultant has room right now; staff will assign one"),
    "first_period_ended": _("Your first period in Jobunivers has ended"),
}


def tag_text(code: str) -> str:
    return str(TAGS.get(code, code))


def reason_text(reason: dict | str) -> str:
    if isinstance(reason, str):
        reason = {"code": reason}
    template = TRANSITION_REASONS.get(reason.get("code", ""))
    if template is None:
        return str(reason.get("code", ""))
    try:
        return str(template) % {k: v for k, v in reason.items() if k != "code"}
    except (KeyError, TypeError, ValueError):
        return str(template)
