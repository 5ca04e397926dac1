"""What other apps may rely on: the answer shape, and the hand-off seam.

The hand-off seam: when the assistant hands a question to a person it calls the configured
`HandoffChannel` (settings.ASSISTANT_HANDOFF_CHANNEL, a dotted path). The default is the dialogue
app's `jobunivers.dialogue.handoff.DialogueHandoffChannel`: the hand-off becomes a message thread
waiting for the job centre (team inbox, worklist alert); the assistant stores nothing itself.
`jobunivers.assistant.handoff.LocalHandoffChannel` is the fallback that keeps a minimal thread in
this app (`assistant.Handoff`, shown to staff on a simple list).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol

WAITING_FOR_JOB_CENTRE = "waiting"


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class CardAnswer:
    key: str
    title: str
    short: str
    long: str
    sources: tuple[Source, ...]
    legal_refs: tuple[str, ...]
    valid_from: datetime.date
    valid_to: datetime.date | None
    last_reviewed: datetime.date
    needs_assessment: bool
    local: bool


@dataclass(frozen=True)
class Answer:
    """kind: answered | clarify | handoff | own_case | crisis | invalid."""

    kind: str
    card: CardAnswer | None = None
    clarify: tuple[CardAnswer, ...] = ()
    confidence: float = 0.0
    message: str = ""
    ranked: tuple[str, ...] = ()   # card keys, best first (for evaluation and the hand-off's "cards tried")

    @property
    def handoff(self) -> bool:
        return self.kind in {"handoff", "own_case", "crisis"}


@dataclass(frozen=True)
class HandoffRequest:
    municipality_id: int
    citizen_user_id: int
    reason: str                      # handoff | own_case | crisis
    transcript: tuple[dict, ...]     # [{"who": "citizen"|"assistant", "text": "..."}], personal data stripped
    cards_tried: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class HandoffReceipt:
    reference: str                   # shown to the citizen
    state: str                       # "waiting": waiting for the job centre
    answer_expected_by: datetime.date


class HandoffChannel(Protocol):
    def open(self, request: HandoffRequest) -> HandoffReceipt: ...


@dataclass(frozen=True)
class AnswerGiven:
    """The assistant answered a signed-in person's question with a card (published on commit). Anonymous
    questions publish nothing: there is nobody to ask about the answer."""

    municipality_id: int
    citizen_user_id: int  # the signed-in user; may be staff trying the assistant
    question_id: int
    card_key: str
    card_title: str
    answered_at: datetime.datetime
