"""Event handlers of the staff workspace (wired in config/events.py only)."""

from __future__ import annotations

from jobunivers.core.context import tenant_context

from .models import AvailabilityMirror


def on_availability_state_changed(event) -> None:
    """Keep the worklist's copy of a citizen's availability state (availability.contracts.AvailabilityStateChanged).

    Typed by duck: the availability app is on the same layer and is not imported here (ADR 0061).
    """
    with tenant_context(event.municipality_id):
        AvailabilityMirror.objects.update_or_create(
            citizen_id=event.citizen_id,
            defaults={"municipality_id": event.municipality_id, "state": event.state,
                      "deadline_on": event.deadline_on, "changed_at": event.changed_at},
        )
