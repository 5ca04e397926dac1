"""Reads of coffee meetings (ADR 0110). The employer's reads of citizens (the candidates of an invitation, the
candidates for a posting) show only what each citizen chose, and write one access-log entry per citizen
shown, in the citizen's municipality and in the same transaction as the read: the citizen sees it in
"Mine data". Staff reads of a citizen's cards are logged the same way."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens import selectors as citizens
from jobunivers.core.errors import NotFound
from jobunivers.jobs import selectors as jobs
from jobunivers.jobs.permissions import employer_id_of
from jobunivers.matching import selectors as matching
from jobunivers.taxonomy import selectors as taxonomy

from . import permissions
from .contracts import STEPS, FunnelCounts
from .models import (
    Answer,
    AnswerChoice,
    FunnelEvent,
    Invitation,
    InvitationStatus,
    Offer,
    SharedField,
    Visibility,
)
from .services import FIT_THRESHOLD, log_employer_read
from .slots import free_slots

CANDIDATES_SHOWN = 50  # a posting's candidate list: the best fits only


# --- the citizen's side ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    offer: Offer
    answer: Answer | None
    reasons: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        invitation = self.offer.invitation
        return invitation.status == InvitationStatus.OPEN and invitation.last_day >= timezone.localdate()

    @property
    def shared_labels(self) -> str:
        labels = dict(SharedField.choices)
        shared = self.answer.shared if self.answer is not None else {}
        return ", ".join(str(labels[name]) for name in SharedField.values if name in (shared or {}))

    @property
    def can_record_attendance(self) -> bool:
        meeting_at = self.offer.meeting_at
        return meeting_at is not None and meeting_at <= timezone.now() and not self.offer.citizen_attendance


def shares_text(visibility: Visibility | None) -> str:
    """What a yes would share now, as the card says it ("Mit navn, Mine kompetencer")."""
    labels = dict(SharedField.choices)
    fields = visibility.fields if visibility is not None else []
    return ", ".join(str(labels[name]) for name in SharedField.values if name in (fields or []))


def _reason_texts(offer: Offer, language: str) -> tuple[str, ...]:
    english = language.startswith("en")
    return tuple(str(r[1] if english else r[0]) for r in (offer.reasons or []) if len(r) >= 2)


def cards_for(*, citizen, language: str = "da") -> list[Card]:
    """The citizen's own cards, newest first (reads only, in the citizen's municipality)."""
    offers = list(Offer.objects.filter(citizen=citizen).select_related("invitation__employer", "invitation__occupation")
                  .order_by("-created_at", "-pk")[:100])
    answers = {a.offer_id: a for a in Answer.objects.filter(offer__in=offers)}
    return [Card(offer=o, answer=answers.get(o.pk), reasons=_reason_texts(o, language)) for o in offers]


def has_waiting_cards(*, citizen) -> bool:
    """Whether an open invitation waits for the citizen's answer: one index look-up, for the start page,
    where most citizens have none (cards_for reads and builds every card)."""
    return (Offer.objects.filter(citizen=citizen, answer__isnull=True, invitation__status=InvitationStatus.OPEN,
                                 invitation__last_day__gte=timezone.localdate()).exists())


def waiting_cards(cards: list[Card]) -> list[Card]:
    return [c for c in cards if c.answer is None and c.is_open]


def visibility_of(*, citizen) -> Visibility | None:
    return Visibility.objects.filter(citizen=citizen).first()


def access_cards(*, actor, citizen_id: int, language: str = "da"):
    """A citizen's cards for staff of the citizen's municipality (answering on their behalf); logged."""
    citizen = citizens.citizen_of(municipality_id=_context_municipality(), citizen_id=citizen_id)
    if citizen is None or not permissions.can_answer_on_behalf(actor, citizen):
        raise NotFound
    with transaction.atomic():
        cards = cards_for(citizen=citizen, language=language)
        citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                              what="coffee.cards", purpose="help")
    return citizen, cards


def _context_municipality() -> int:
    from jobunivers.core.context import require_municipality_id

    return require_municipality_id()


# --- the employer's side ---------------------------------------------------------------------------------

def own_invitations(*, membership) -> QuerySet[Invitation]:
    employer_id = employer_id_of(membership)
    if employer_id is None:
        return Invitation.objects.none()
    return (Invitation.objects.filter(employer_id=employer_id).select_related("occupation")
            .annotate(candidates=Count("offers", filter=Q(offers__answer__choice=AnswerChoice.YES)),
                      booked=Count("offers", filter=Q(offers__accepted_at__isnull=False))))


def own_open_postings(*, membership, limit: int = 50):
    """The employer's own active postings, for links to their candidates."""
    return jobs.own_postings(membership=membership).filter(status="active")[:limit]


def access_own_invitation(*, membership, invitation_id) -> Invitation:
    invitation = (Invitation.objects.select_related("occupation", "employer")
                  .filter(pk=int(invitation_id) if str(invitation_id).isdigit() else 0).first())
    if invitation is None or not permissions.can_manage_invitation(membership, invitation):
        raise NotFound
    return invitation


@dataclass(frozen=True)
class Candidate:
    """One consenting citizen as the employer sees them: only what they shared, the fit and its reasons."""

    offer_id: int
    number: int
    score: float
    reasons: tuple[str, ...]
    shared: dict
    fields: tuple[tuple[str, str, str], ...]  # (field, label, text) in the order of SharedField
    accepted_at: datetime.datetime | None = None
    meeting_at: datetime.datetime | None = None
    employer_attendance: str = ""
    citizen_attendance: str = ""
    outcome: str = ""
    on_behalf: bool = False

    @property
    def display_name(self) -> str:
        return str(self.shared.get("name") or "")


def _fields(shared: dict) -> tuple[tuple[str, str, str], ...]:
    labels = dict(SharedField.choices)
    return tuple((name, str(labels[name]), "; ".join(map(str, shared[name])) if isinstance(shared[name], list)
                  else str(shared[name])) for name in SharedField.values
                 if name in shared and shared[name] not in ("", [], None))


def invitation_candidates(*, actor, invitation: Invitation, language: str = "da") -> list[Candidate]:
    """The citizens who said yes, best fit first, each with exactly the snapshot their yes shared. One
    access-log entry per candidate shown, in the citizen's municipality."""
    with transaction.atomic():
        offers = list(Offer.all_tenants.filter(invitation=invitation, answer__choice=AnswerChoice.YES)
                      .select_related("answer").order_by("-score", "pk"))
        result = []
        for number, offer in enumerate(offers, start=1):
            log_employer_read(actor=actor, municipality_id=offer.municipality_id, citizen_id=offer.citizen_id,
                              what=f"coffee.candidate ({invitation.employer.name})")
            shared = dict(offer.answer.shared or {})
            result.append(Candidate(
                offer_id=offer.pk, number=number, score=offer.score, reasons=_reason_texts(offer, language),
                shared=shared, fields=_fields(shared), accepted_at=offer.accepted_at, meeting_at=offer.meeting_at,
                employer_attendance=offer.employer_attendance, citizen_attendance=offer.citizen_attendance,
                outcome=offer.outcome, on_behalf=offer.answer.on_behalf))
    return result


def free_times(*, invitation: Invitation) -> list[datetime.datetime]:
    taken: set[Any] = set(Offer.all_tenants.filter(invitation=invitation, meeting_at__isnull=False)
                          .values_list("meeting_at", flat=True))
    return free_slots(invitation, taken=taken)


def booked_count(*, invitation: Invitation) -> int:
    return Offer.all_tenants.filter(invitation=invitation, accepted_at__isnull=False).count()


def posting_candidates(*, actor, membership, posting_id, language: str = "da") -> tuple[object, list[Candidate]]:
    """The employer's own posting and the citizens who chose to be seen for its kind of job and fit it, best
    first, each showing only the fields they chose (as they are now). One access-log entry per citizen."""
    posting = jobs.access_own_posting(membership=membership, posting_id=posting_id)
    occupation = posting.occupation
    isco = (occupation.isco_code if occupation is not None else "") or posting.isco_code or ""
    kind = isco[:1]
    if not kind:
        return posting, []
    visible = {v.citizen_id: v for v in Visibility.all_tenants.filter(is_open=True)
               if kind in (v.job_kinds or [])}
    profiles = citizens.profiles_of(citizen_ids=visible)
    fits = matching.opening_fits(profiles=list(profiles.values()), occupation_id=posting.occupation_id,
                                 isco_code=isco, latitude=posting.latitude, longitude=posting.longitude)
    best = sorted((f for f in fits.values() if f.score >= FIT_THRESHOLD),
                  key=lambda f: (-f.score, f.citizen_id))[:CANDIDATES_SHOWN]
    facts = citizens.employer_facts(citizen_ids=[f.citizen_id for f in best])
    english = language.startswith("en")
    result = []
    with transaction.atomic():
        for number, found in enumerate(best, start=1):
            fact = facts.get(found.citizen_id)
            if fact is None:
                continue
            chosen = visible[found.citizen_id].fields or []
            shared = {name: (list(getattr(fact, name)) if isinstance(getattr(fact, name), tuple)
                             else getattr(fact, name)) for name in SharedField.values if name in chosen}
            log_employer_read(actor=actor, municipality_id=fact.municipality_id, citizen_id=found.citizen_id,
                              what=f"coffee.posting_candidate ({posting.employer_name})")
            result.append(Candidate(
                offer_id=0, number=number, score=found.score,
                reasons=tuple(r.text_en if english else r.text_da for r in found.reasons), shared=shared,
                fields=_fields(shared)))
    return posting, result


# --- the funnel ------------------------------------------------------------------------------------------

def _counts(queryset) -> FunnelCounts:
    counted = Counter(dict(queryset.order_by().values("step").annotate(n=Count("pk")).values_list("step", "n")))
    return FunnelCounts(**{step: int(counted.get(step, 0)) for step in STEPS})


def invitation_funnel(*, invitation: Invitation) -> FunnelCounts:
    """Counts only, across municipalities: no citizen's identity."""
    return _counts(FunnelEvent.all_tenants.filter(invitation=invitation))


@dataclass(frozen=True)
class MunicipalFunnel:
    total: FunnelCounts
    invitations: list[tuple[Invitation, FunnelCounts]] = field(default_factory=list)


def municipality_funnel(*, actor, municipality_id: int) -> MunicipalFunnel:
    """The municipality's citizens' funnel, in total and per invitation (counts only)."""
    if not permissions.can_see_funnel(actor, municipality_id):
        raise NotFound
    events = FunnelEvent.all_tenants.filter(municipality_id=municipality_id)
    per: dict[int, Counter] = {}
    for invitation_id, step, n in events.order_by().values("invitation_id", "step").annotate(
            n=Count("pk")).values_list("invitation_id", "step", "n"):
        per.setdefault(invitation_id, Counter())[step] = n
    invitations = {i.pk: i for i in Invitation.objects.filter(pk__in=list(per)).select_related("employer")}
    rows = [(invitations[i], FunnelCounts(**{s: int(per[i].get(s, 0)) for s in STEPS}))
            for i in sorted(per, reverse=True) if i in invitations]
    return MunicipalFunnel(total=_counts(events), invitations=rows)


def occupation_label(occupation) -> str:
    return taxonomy.label_of(occupation).text if occupation is not None else ""
