"""Who may do what with a citizen's journey: `can_<verb>_<entity>(actor, obj) -> bool`.

Services check these before they write and `access_<entity>` selectors before they read, so
views, the API, tasks and the admin inherit the same rules; no views module checks a role.

Who sets what (docs/citizen-journey.md, ADR 0064):
- The citizen owns their own activities and job applications and may change them freely.
- What the job centre set — a summons (a meeting created by staff), a search agreement or any
  other item agreed with the job centre, or any item staff created — binds the citizen: they may
  read it and answer or comment on it, but not edit, rename, cancel or mark it done.
- Caseworkers (job adviser, personal job consultant) of the citizen's municipality set and
  change those items; they may also correct the citizen's own items when helping.
- The job-journey assistant works in the back office (population, group pushes): may read the
  plan and comment, but does not set or change agreements.
- The municipality administrator manages content, not citizens' cases: no access to a plan.
- Nobody from another municipality sees anything (the selectors answer NotFound).
"""

from __future__ import annotations

from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from .models import CreatedByKind

# The staff who hold conversations with the citizen and make agreements with them.
CASEWORKER_ROLES = frozenset({Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT})


def is_owner(actor, citizen) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None and citizen.user_id == actor.pk


def is_staff_of(actor, municipality_id: int) -> bool:
    """Job centre staff (assistant, adviser, consultant) of this municipality."""
    return bool(roles_of(actor, municipality_id) & STAFF_ROLES)


def is_caseworker_of(actor, municipality_id: int) -> bool:
    """A job adviser or personal job consultant of this municipality."""
    return bool(roles_of(actor, municipality_id) & CASEWORKER_ROLES)


def is_admin_of(actor, municipality_id: int) -> bool:
    return Role.MUNICIPALITY_ADMIN in roles_of(actor, municipality_id)


# --- The citizen ----------------------------------------------------------------------------------


def can_view_citizen(actor, citizen) -> bool:
    """Staff of the citizen's municipality may open the citizen's case (access-logged)."""
    return is_staff_of(actor, citizen.municipality_id)


def can_view_citizen_space(actor, citizen) -> bool:
    """The citizen, and staff of the citizen's municipality, may read plan, job log, profile and CV."""
    return is_owner(actor, citizen) or is_staff_of(actor, citizen.municipality_id)


def can_view_cv(actor, citizen) -> bool:
    """The staff download of a citizen's CV (the citizen reads their own on their profile page)."""
    return can_view_citizen(actor, citizen)


def can_edit_citizen_space(actor, citizen) -> bool:
    """Profile, CV, job log and goals: the citizen's own, which staff may help keep up to date."""
    return can_view_citizen_space(actor, citizen)


# --- Plan items -------------------------------------------------------------------------------------


def is_set_by_job_centre(plan_item) -> bool:
    """Summonses, agreements and whatever staff put in the plan bind the citizen."""
    return plan_item.agreed_with_job_centre or plan_item.created_by_kind == CreatedByKind.STAFF


def can_set_plan_item(actor, citizen) -> bool:
    """Put a binding item in the plan (summons, search agreement, agreed activity)."""
    return is_caseworker_of(actor, citizen.municipality_id)


def can_view_plan_item(actor, plan_item) -> bool:
    return can_view_citizen_space(actor, plan_item.citizen)


def can_comment_plan_item(actor, plan_item) -> bool:
    """The citizen answers or comments on anything in their plan; staff of the municipality too."""
    return can_view_citizen_space(actor, plan_item.citizen)


def can_edit_plan_item(actor, plan_item) -> bool:
    """Change what the item says (description, dates, place, target)."""
    if is_caseworker_of(actor, plan_item.municipality_id):
        return True
    return is_owner(actor, plan_item.citizen) and not is_set_by_job_centre(plan_item)


def can_rename_plan_item(actor, plan_item) -> bool:
    return can_edit_plan_item(actor, plan_item)


def can_cancel_plan_item(actor, plan_item) -> bool:
    return can_edit_plan_item(actor, plan_item)


def can_mark_done_plan_item(actor, plan_item) -> bool:
    """Whether an agreement was kept is the job centre's to record, not the citizen's."""
    return can_edit_plan_item(actor, plan_item)


def can_update_progress_plan_item(actor, plan_item) -> bool:
    """Planned ↔ in progress: how it is going, on the citizen's own items."""
    return can_edit_plan_item(actor, plan_item)


# --- The municipality's content ----------------------------------------------------------------------


def can_manage_municipal_content(actor, municipality_id: int) -> bool:
    return is_admin_of(actor, municipality_id)
