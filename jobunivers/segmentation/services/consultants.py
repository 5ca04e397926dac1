"""Personal job consultants: assignment by staff and round-robin among the municipality's consultants."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens.models import Citizen
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.roles import STAFF_ROLES, Role
from jobunivers.tenancy.selectors import consultants_of, settings_for

from ..contracts import ConsultantAssigned
from ..models import ConsultantAssignment
from ..selectors import caseload_sizes
from .decisions import _membership
from .notices import _notice

# --- Personal consultants ---------------------------------------------------------------------


def consultant_assign(*, actor, citizen_id: int, consultant_user_id: int, reason: str,
                      automatic: bool = False, now: datetime.datetime | None = None) -> ConsultantAssignment:
    """Make a personal job consultant the citizen's fixed contact (ends the current assignment).

    `actor` None means the platform (automatic assignment by re-segmentation). A staff member's
    assignment is access-logged in the same transaction."""
    citizen = Citizen.objects.filter(pk=citizen_id).first()
    if citizen is None:
        raise NotFound
    if actor is not None and _membership(actor, citizen.municipality_id, STAFF_ROLES | {Role.MUNICIPALITY_ADMIN}) \
            is None:
        raise NotFound
    if _membership(type("U", (), {"pk": consultant_user_id})(), citizen.municipality_id,
                   {Role.PERSONAL_CONSULTANT}) is None:
        raise ValidationFailed({"consultant": [_("Choose a personal job consultant of this municipality.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Give a reason for the assignment.")]})
    now = now or timezone.now()
    with transaction.atomic():
        current = ConsultantAssignment.objects.select_for_update().filter(
            citizen_id=citizen_id, ended_at__isnull=True).first()
        if current is not None and current.consultant_id == consultant_user_id:
            raise ValidationFailed({"consultant": [_("This consultant already follows the citizen.")]})
        if current is not None:
            ConsultantAssignment.objects.filter(pk=current.pk).update(ended_at=now)
        assignment = ConsultantAssignment.objects.create(
            municipality_id=citizen.municipality_id, citizen=citizen, consultant_id=consultant_user_id,
            started_at=now, reason=reason, automatic=automatic, assigned_by=actor)
        if actor is not None:
            citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                  action="change", purpose="help",
                                  what="segmentation: assigned a personal job consultant",
                                  criterion=f"assignment {assignment.pk}")
        _announce_assignment(citizen, assignment)
    return assignment


def _announce_assignment(citizen: Citizen, assignment: ConsultantAssignment) -> None:
    publish_on_commit(ConsultantAssigned(
        municipality_id=citizen.municipality_id, citizen_id=citizen.pk, consultant_user_id=assignment.consultant_id,
        assignment_id=assignment.pk, automatic=assignment.automatic, reason=assignment.reason))
    _notice(citizen, f"segmentation-consultant:{assignment.pk}",
            lambda: (_("You now have a personal job consultant"),
                     _("A personal job consultant will contact you. See who on your page.")),
            "segmentation:my_track")


def next_consultant(*, municipality_id: int, sizes: dict[int, int] | None = None,
                    after_user_id: int | None = None, consultant_ids: list[int] | None = None,
                    capacity: int | None = None) -> int | None:
    """Round-robin among the municipality's personal consultants, skipping those at capacity."""
    capacity = settings_for(municipality_id).consultant_capacity if capacity is None else capacity
    if consultant_ids is None:
        consultant_ids = sorted(set(consultants_of(municipality_id=municipality_id)
                                    .values_list("user_id", flat=True)))
    if not consultant_ids:
        return None
    sizes = caseload_sizes(municipality_id=municipality_id) if sizes is None else sizes
    if after_user_id is None:
        after_user_id = (ConsultantAssignment.all_tenants.filter(municipality_id=municipality_id, automatic=True)
                         .order_by("-started_at", "-id").values_list("consultant_id", flat=True).first())
    start = 0
    if after_user_id is not None:
        start = next((i for i, uid in enumerate(consultant_ids) if uid > after_user_id), 0)
    for offset in range(len(consultant_ids)):
        candidate = consultant_ids[(start + offset) % len(consultant_ids)]
        if sizes.get(candidate, 0) < capacity:
            return candidate
    return None
