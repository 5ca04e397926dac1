"""Who may read a diagnosis and answer its steps (ADR 0064)."""

from jobunivers.citizens.permissions import is_admin_of, is_owner, is_staff_of


def can_view_diagnosis(actor, citizen) -> bool:
    """The citizen, and staff of the citizen's municipality (access-logged by the selector)."""
    return is_owner(actor, citizen) or is_staff_of(actor, citizen.municipality_id)


def can_answer_step(actor, citizen) -> bool:
    """Only the citizen marks their own steps: staff never answer for them."""
    return is_owner(actor, citizen)


def can_view_module_statistics(actor, municipality_id: int) -> bool:
    """Counts per module (no citizen's data): the municipality's staff and administrators."""
    return is_staff_of(actor, municipality_id) or is_admin_of(actor, municipality_id)
