"""Who may read and record outcomes, and who sees the monitoring (ADR 0064)."""

from jobunivers.citizens.permissions import is_admin_of, is_owner, is_staff_of


def can_report_own_job(actor, citizen) -> bool:
    """Only the citizen says "Jeg har fået job" for themselves."""
    return is_owner(actor, citizen)


def can_record_spell(actor, citizen) -> bool:
    """Staff of the citizen's municipality see the citizen's spells (access-logged by the selector) and
    record an outcome they learnt of (labelled as theirs); the citizen uses their own page."""
    return is_staff_of(actor, citizen.municipality_id)


def can_import_register(actor, municipality_id: int) -> bool:
    """The register file is loaded by the operator's command (actor None) or the municipality's administrator."""
    return actor is None or is_admin_of(actor, municipality_id)


def can_view_monitoring(actor, municipality_id: int) -> bool:
    """Aggregates of the municipality (no citizen can be seen): its staff and administrators."""
    return is_staff_of(actor, municipality_id) or is_admin_of(actor, municipality_id)


def can_refresh_dashboard(actor, municipality_id: int) -> bool:
    """Whoever sees the dashboard may ask for its figures to be computed again now (ADR 0155): it only
    schedules a computation that runs every 15 minutes anyway, and one at a time per municipality."""
    return can_view_monitoring(actor, municipality_id)
