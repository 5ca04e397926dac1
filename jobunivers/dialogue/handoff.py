"""The assistant's hand-off, delivered as a dialogue thread (settings.ASSISTANT_HANDOFF_CHANNEL).

The assistant is a higher layer: this module does not import it. `DialogueHandoffChannel.open`
takes the assistant's `HandoffRequest` (read by attribute: municipality_id, citizen_user_id,
reason, transcript, cards_tried) and returns a receipt with the attributes of the assistant's
`HandoffReceipt` (reference, state, answer_expected_by). The thread waits for the job centre, so it
shows in the team inbox and raises "waiting for an answer from us" on the worklist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ValidationFailed

from . import services

# The assistant's wording for "waiting for the job centre" in its receipt.
RECEIPT_WAITING = "waiting"


@dataclass(frozen=True)
class DialogueHandoffReceipt:
    reference: str
    state: str
    answer_expected_by: datetime.date
    thread_id: int


def _working_days_after(day: datetime.date, days: int) -> datetime.date:
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _text(request) -> str:
    lines = []
    for line in request.transcript:
        who = pgettext("who wrote a line of the transcript", "You") if line.get("who") == "citizen" else _("The assistant")
        text = str(line.get("text", "")).strip()
        if text:
            lines.append(f"{who}: {text}")
    return "\n".join(lines) or _("I would like to talk to a person at the job centre.")


class DialogueHandoffChannel:
    @transaction.atomic
    def open(self, request) -> DialogueHandoffReceipt:
        from jobunivers.citizens.selectors import citizen_for_user

        with tenant_context(request.municipality_id):
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(pk=request.citizen_user_id).first()
            citizen = citizen_for_user(user=user) if user is not None else None
        if citizen is None:
            raise ValidationFailed(_("Only a citizen of the municipality can send a question to the job centre."))
        subjects = {"crisis": _("Needs help now (from the assistant)"),
                    "own_case": _("A question about my own case (from the assistant)")}
        thread = services.thread_open(
            actor=user, citizen=citizen, subject=str(subjects.get(request.reason, _("A question from the assistant"))),
            text=_text(request)[:services.MAX_TEXT], important=request.reason == "crisis")
        days = int(getattr(settings, "ASSISTANT_HANDOFF_WORKING_DAYS", 2))
        return DialogueHandoffReceipt(reference=thread.reference, state=RECEIPT_WAITING,
                                      answer_expected_by=_working_days_after(timezone.localdate(), days),
                                      thread_id=thread.pk)
