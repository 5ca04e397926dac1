"""Who may do what with internships. The employer side is by organisation (jobs.Employer, through
jobs.permissions.employer_id_of), never by a typed name; the citizen side is the citizen themself; the job
centre's decision is a caseworker's (job adviser or personal job consultant) of the citizen's municipality,
because approving puts a binding agreement in the plan (citizens.permissions.can_set_plan_item)."""

from __future__ import annotations

from jobunivers.citizens.permissions import is_caseworker_of
from jobunivers.jobs.permissions import employer_id_of
from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import STAFF_ROLES, Role


def can_publish_place(membership) -> bool:
    return employer_id_of(membership) is not None


def can_manage_place(membership, place) -> bool:
    employer_id = employer_id_of(membership)
    return employer_id is not None and place.employer_id == employer_id


def is_the_citizen(actor, citizen) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None and citizen.user_id == actor.pk


def can_see_applications(actor, municipality_id: int) -> bool:
    return bool(roles_of(actor, municipality_id) & STAFF_ROLES)


def can_decide(actor, municipality_id: int) -> bool:
    return is_caseworker_of(actor, municipality_id)


def can_see_funnel(actor, municipality_id: int) -> bool:
    return bool(roles_of(actor, municipality_id) & (STAFF_ROLES | {Role.MUNICIPALITY_ADMIN}))
