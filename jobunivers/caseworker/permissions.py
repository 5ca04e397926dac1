"""Who may open which part of the staff workspace. Used by views (and later the API) alike.

Each staff profile has its own room: the personal job consultant a caseload ("My citizens"),
the job adviser the day's conversations and the citizens' requests, the job-journey assistant
an overview of the population and of what was pushed to whom. The actor is the membership
in the municipality whose workspace is opened.
"""

from __future__ import annotations

from jobunivers.tenancy.permissions import has_role, is_staff_member
from jobunivers.tenancy.roles import Role


def _member_here(actor, municipality) -> bool:
    return is_staff_member(actor) and municipality is not None and actor.municipality_id == municipality.pk


def can_view_caseload(actor, municipality) -> bool:
    """The consultant's own citizens (a team lead: the team's)."""
    return _member_here(actor, municipality) and has_role(actor, Role.PERSONAL_CONSULTANT)


def can_view_conversation_day(actor, municipality) -> bool:
    """Today's conversations and the citizens' requests: the adviser's room, open to all staff here."""
    return _member_here(actor, municipality)


def can_view_population_overview(actor, municipality) -> bool:
    """Numbers about the population and the record of pushes: no single citizen's data."""
    return _member_here(actor, municipality)


def worklist_url_name(actor) -> str:
    """Each staff profile's worklist (where "My worklist" leads)."""
    if has_role(actor, Role.PERSONAL_CONSULTANT):
        return "caseworker:worklist"
    if has_role(actor, Role.JOB_ADVISER):
        return "caseworker:today"
    return "caseworker:overview"
