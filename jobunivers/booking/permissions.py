"""Who may do what with bookings and minutes. Built on tenancy.permissions.roles_of and the
citizens app's predicates, so the API, views and admin share one set of rules."""

from __future__ import annotations

from jobunivers.citizens.permissions import is_caseworker_of, is_owner, is_staff_of
from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import Role


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def can_self_book(actor, citizen, *, exempt: bool) -> bool:
    """The citizen books their own conversations, unless staff exempted them from self-booking."""
    return _authenticated(actor) and is_owner(actor, citizen) and not exempt


def can_book_for(actor, citizen) -> bool:
    """Staff booking binds the citizen like a summons: the caseworkers who hold conversations book."""
    return _authenticated(actor) and is_caseworker_of(actor, citizen.municipality_id)


def can_view_booking(actor, booking) -> bool:
    return _authenticated(actor) and (is_owner(actor, booking.citizen)
                                      or is_staff_of(actor, booking.municipality_id))


def can_change_booking(actor, booking) -> bool:
    return _authenticated(actor) and (is_owner(actor, booking.citizen)
                                      or is_caseworker_of(actor, booking.municipality_id))


def can_record_attendance(actor, booking) -> bool:
    return _authenticated(actor) and is_caseworker_of(actor, booking.municipality_id)


def can_view_day_list(actor, municipality_id: int) -> bool:
    return _authenticated(actor) and is_staff_of(actor, municipality_id)


def can_manage_availability(actor, municipality_id: int, adviser_id: int) -> bool:
    """An adviser publishes their own hours; an administrator may set anyone's."""
    if not _authenticated(actor):
        return False
    roles = set(roles_of(actor, municipality_id))
    return (actor.pk == adviser_id and is_caseworker_of(actor, municipality_id)) or Role.MUNICIPALITY_ADMIN in roles


def can_set_deadline(actor, citizen) -> bool:
    return can_book_for(actor, citizen)


def can_write_minutes(actor, citizen) -> bool:
    return _authenticated(actor) and is_caseworker_of(actor, citizen.municipality_id)


def can_view_minutes(actor, minutes) -> bool:
    """Drafts are the job centre's; the citizen sees minutes once shared."""
    if not _authenticated(actor):
        return False
    if is_owner(actor, minutes.citizen):
        return minutes.status == "shared"
    return is_staff_of(actor, minutes.municipality_id)


def can_comment_minutes(actor, minutes) -> bool:
    return _authenticated(actor) and is_owner(actor, minutes.citizen) and minutes.status == "shared"


def can_manage_booking_settings(actor, municipality_id: int) -> bool:
    """The municipality's booking policy and meeting places are its administrators'."""
    return _authenticated(actor) and Role.MUNICIPALITY_ADMIN in set(roles_of(actor, municipality_id))
