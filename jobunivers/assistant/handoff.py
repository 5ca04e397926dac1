"""The default hand-off channel: a minimal thread kept in this app until the dialogue app exists.

contracts.HandoffChannel is the seam: the dialogue app provides a class with the same `open` and
settings.ASSISTANT_HANDOFF_CHANNEL points to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .contracts import HandoffReceipt, HandoffRequest
from .models import Handoff, HandoffState


class LocalHandoffChannel:
    @transaction.atomic
    def open(self, request: HandoffRequest) -> HandoffReceipt:
        from .services import working_days_after

        days = int(getattr(settings, "ASSISTANT_HANDOFF_WORKING_DAYS", 2))
        expected = working_days_after(timezone.localdate(), days)
        handoff = Handoff.all_tenants.create(
            municipality_id=request.municipality_id, citizen_user_id=request.citizen_user_id, reason=request.reason,
            transcript=list(request.transcript), cards_tried=list(request.cards_tried),
            state=HandoffState.WAITING, answer_expected_by=expected)
        return HandoffReceipt(reference=f"A-{handoff.pk}", state=handoff.state, answer_expected_by=expected)
