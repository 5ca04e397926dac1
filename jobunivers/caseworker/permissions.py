"""Who may do what in the staff workspace: `can_<verb>_<entity>(actor, obj) -> bool`.

Services check these before they write, `access_<entity>` selectors before they read; views
never check a role themselves. Rules about the citizen's plan (who may set what binds the
citizen) live in `citizens.permissions` and are reused here, so the staff workspace, the
citizen's own pages and the API agree.

Each staff profile also has its own room: the personal job consultant a caseload ("My citizens"),
the job adviser the day's conversations and the citizens' requests, the job-journey assistant
an overview of the population and of what was pushed to whom. Those room checks (at the end)
take the membership in the municipality whose workspace is opened.
"""

from __future__ import annotations

from jobunivers.citizens import permissions as citizen_permissions
from jobunivers.tenancy.permissions import has_role, is_staff_member, roles_of
from jobunivers.tenancy.roles import STAFF_ROLES, Role

# Back office and caseload holders send jobs and services to groups of citizens.
GROUP_SENDER_ROLES = frozenset({Role.JOB_JOURNEY_ASSISTANT, Role.PERSONAL_CONSULTANT})


def _is_staff(actor, municipality_id: int) -> bool:
    return bool(roles_of(actor, municipality_id) & STAFF_ROLES)


def can_open_case(actor, citizen) -> bool:
    """Staff of the citizen's municipality open the citizen's page and cue card (access-logged)."""
    return citizen_permissions.can_view_citizen(actor, citizen)


def can_add_note(actor, citizen) -> bool:
    return _is_staff(actor, citizen.municipality_id)


def can_mark_done_note(actor, note) -> bool:
    return _is_staff(actor, note.municipality_id)


def can_summon_citizen(actor, citizen) -> bool:
    """A summons binds the citizen: the caseworkers who hold conversations make it."""
    return citizen_permissions.can_set_plan_item(actor, citizen)


def can_add_agreed_activity(actor, citizen) -> bool:
    return citizen_permissions.can_set_plan_item(actor, citizen)


def can_view_conversation(actor, conversation) -> bool:
    return _is_staff(actor, conversation.municipality_id)


def can_record_outcome_conversation(actor, conversation) -> bool:
    return citizen_permissions.is_caseworker_of(actor, conversation.municipality_id)


def can_respond_conversation(actor, conversation) -> bool:
    """Only the summoned citizen answers a summons (confirm, or ask for another time)."""
    return citizen_permissions.is_owner(actor, conversation.citizen)


def can_send_to_citizen(actor, citizen) -> bool:
    return _is_staff(actor, citizen.municipality_id)


def can_send_to_group(actor, municipality_id: int) -> bool:
    return bool(roles_of(actor, municipality_id) & GROUP_SENDER_ROLES)


def can_act_on_caseload(actor, municipality_id: int) -> bool:
    """Bulk notes and assignments from "Mine borgere": personal job consultants."""
    return Role.PERSONAL_CONSULTANT in roles_of(actor, municipality_id)


def can_search_citizens(actor, municipality_id: int) -> bool:
    """Staff of the municipality look citizens up by name (the search is access-logged)."""
    return _is_staff(actor, municipality_id)


def can_view_push(actor, push) -> bool:
    return _is_staff(actor, push.municipality_id)


def can_delete_saved_filter(actor, saved_filter) -> bool:
    return actor is not None and saved_filter.owner_id == getattr(actor, "pk", None)


# --- Rooms of the workspace (actor: the membership here) ------------------------------------------


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
