"""Test helpers for feedback: an interaction, a sent question, and an answer link."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from jobunivers.core.testing import murl
from jobunivers.feedback import services
from jobunivers.feedback.contracts import Interaction
from jobunivers.feedback.models import PulseAnswer, PulseRequest
from jobunivers.feedback.tokens import make_token

_keys = itertools.count(1)


def interaction(citizen, *, kind="booking", key=None, service_key="booking:video", service_label="Videosamtale",
                occurred_at=None) -> Interaction:
    return Interaction(municipality_id=citizen.municipality_id, citizen_id=citizen.pk, kind=kind,
                       interaction_key=key or f"{kind}:{next(_keys)}", service_key=service_key,
                       service_label=service_label, occurred_at=occurred_at or timezone.now())


def sent(citizen, *, now=None, **kwargs) -> PulseRequest:
    request = services.pulse_request(interaction=interaction(citizen, **kwargs), now=now)
    assert request is not None and request.status == "sent"
    return request


def token_of(request: PulseRequest) -> str:
    return make_token(request_id=request.pk, nonce=request.nonce)


def answer_url(request: PulseRequest) -> str:
    return murl(request.municipality, "feedback:answer", token=token_of(request))


def answered(citizen, *, score=4, yes=None, text="", day_offset=0, **kwargs) -> PulseAnswer:
    """A sent and answered question (each on its own day, so the daily limit does not skip it)."""
    now = timezone.now() - datetime.timedelta(days=day_offset)
    request = sent(citizen, now=now, **kwargs)
    return services.pulse_answer(request=request, score=score if yes is None else None, yes=yes, text=text,
                                 now=now)
