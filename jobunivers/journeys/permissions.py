"""Who may do what with journeys (ADR 0064)."""

from jobunivers.citizens.permissions import is_admin_of, is_owner, is_staff_of


def can_manage_journeys(actor, municipality_id: int) -> bool:
    """Build journeys, steps and experiments, and publish versions: the municipality's administrators."""
    return is_admin_of(actor, municipality_id)


def can_view_experiment_results(actor, municipality_id: int) -> bool:
    """Aggregates per arm (no citizen): administrators and the job centre's staff."""
    return is_admin_of(actor, municipality_id) or is_staff_of(actor, municipality_id)


def can_view_citizen_journeys(actor, citizen) -> bool:
    """The citizen's own journeys, or staff of the citizen's municipality (access-logged)."""
    return is_owner(actor, citizen) or is_staff_of(actor, citizen.municipality_id)


def can_opt_out(actor, citizen) -> bool:
    return is_owner(actor, citizen)
