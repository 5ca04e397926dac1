"""Who may do what with coffee meetings. The employer side is by organisation (jobs.Employer, through
jobs.permissions.employer_id_of), never by a typed name; the citizen side is the citizen themself, or staff
of the citizen's own municipality answering on their behalf with a reason."""

from __future__ import annotations

from jobunivers.jobs.permissions import employer_id_of
from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import STAFF_ROLES, Role


def can_manage_invitation(membership, invitation) -> bool:
    employer_id = employer_id_of(membership)
    return employer_id is not None and invitation.employer_id == employer_id


def can_publish_invitation(membership) -> bool:
    return employer_id_of(membership) is not None


def is_the_citizen(actor, citizen) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None and citizen.user_id == actor.pk


def can_answer_on_behalf(actor, citizen) -> bool:
    return bool(roles_of(actor, citizen.municipality_id) & STAFF_ROLES)


def can_see_funnel(actor, municipality_id: int) -> bool:
    return bool(roles_of(actor, municipality_id) & (STAFF_ROLES | {Role.MUNICIPALITY_ADMIN}))
