"""Who may see feedback (ADR 0064; docs/adr/0090-feedback-pulse-after-each-interaction.md)."""

from jobunivers.citizens.permissions import is_admin_of, is_staff_of


def can_view_ratings(actor, municipality_id: int) -> bool:
    """Ratings per service and month, small cells suppressed (no citizen): staff and administrators."""
    return is_staff_of(actor, municipality_id) or is_admin_of(actor, municipality_id)


def can_search_texts(actor, municipality_id: int) -> bool:
    """Citizens' comments (personal data removed, yet written by citizens): the job centre's staff only,
    each search access-logged; administrators manage content, not citizens' words."""
    return is_staff_of(actor, municipality_id)

