"""Who may learn, and who may see how a citizen is doing (ADR 0064, ADR 0093)."""

from jobunivers.citizens.permissions import is_caseworker_of, is_owner, is_staff_of


def can_learn(actor, citizen) -> bool:
    """Only the citizen enrols, reads, answers quizzes and leaves: staff never answer for them."""
    return is_owner(actor, citizen)


def can_view_learning(actor, citizen) -> bool:
    """Staff of the citizen's municipality open the citizen's learning page (access-logged); what they see
    beyond the plan's status depends on the citizen's choice to share progress (selectors)."""
    return is_staff_of(actor, citizen.municipality_id)


def can_suggest_module(actor, citizen) -> bool:
    """A job adviser or personal job consultant suggests a module: it lands in the plan as "suggested"."""
    return is_caseworker_of(actor, citizen.municipality_id)


def can_practise_interview(actor, citizen) -> bool:
    """Only the citizen practises and sees their answers: the job centre sees the practice in the plan only."""
    return is_owner(actor, citizen)


def can_listen_to_interview_recordings(actor, citizen) -> bool:
    """A job adviser or personal job consultant of the citizen's municipality plays the recordings the citizen
    chose to share with their adviser (ADR 0135); job-journey assistants, who work with groups, do not. Never
    the written answers: those stay the citizen's own."""
    return is_caseworker_of(actor, citizen.municipality_id)
