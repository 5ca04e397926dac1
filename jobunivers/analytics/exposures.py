"""What counts as "using a service": a registry of exposure sources (docs/adr/0098).

Each source (`ExposureSource`) answers `uses(municipality_id) -> list[ServiceUses]` (for each of its
services, the day each citizen first used it) and `counts(municipality_id) -> list[ServiceCount]`
(citizens per service, for the dashboard). Sources read their app's records through that app's selectors only
(analytics sits above them). Built in: held booked conversations (booking) and enrolments in each
marketplace offer (marketplace), and each arm of a journey experiment (journeys, randomised). Feedback and
learning plug in the same way, here, once their
selectors exist: `EXPOSURES.register("learning")(ExposureSource(uses=..., counts=...))` with functions that call
`jobunivers.learning.selectors` and return `ServiceUses` / `ServiceCount`; a journey's experiment returns
`randomised=True` with `assigned` (every citizen assigned, users and holdout alike) so the comparison
is between the arms and is labelled a randomised experiment.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from jobunivers.core.registry import Registry


@dataclass(frozen=True)
class ServiceUses:
    key: str                           # stable and URL-safe, e.g. "booking" or "marketplace-12"
    label: str                         # in the reader's language
    first_use: dict[int, datetime.date]  # citizen id -> first day of use
    randomised: bool = False
    assigned: dict[int, datetime.date] = field(default_factory=dict)  # randomised only: everyone assigned


@dataclass(frozen=True)
class ServiceCount:
    key: str
    label: str
    citizens: int                    # citizens of the municipality who ever used it
    rating: float | None = None      # average rating 1-5, where the source has ratings
    ratings: int = 0                 # how many ratings the average rests on
    rating_source: str = ""          # RATING_PULSE or RATING_REVIEWS: what the average is of


RATING_PULSE = "pulse"       # the feedback app's question after each use (1-5)
RATING_REVIEWS = "reviews"   # the marketplace's approved reviews of an offer


@dataclass(frozen=True)
class ExposureSource:
    """uses: first day of use per citizen, per service (the effect estimate); counts: citizens per service,
    aggregated in the database (the dashboard). The feedback app's pulse ratings are filled in afterwards
    for every source by `with_pulse_ratings` (a new source adds its key to `_pulse_key`)."""

    uses: Callable[[int], list[ServiceUses]]
    counts: Callable[[int], list[ServiceCount]]


EXPOSURES: Registry[ExposureSource] = Registry("exposure source")

# Services whose label is a fixed, translated text (not an offer's title or an experiment's name): the
# dashboard's stored snapshot keeps the Danish label, and the page shows it in the reader's language.
FIXED_LABELS = {"booking": gettext_lazy("Booked conversation (held)")}


def service_label(key: str, label: str) -> str:
    """The label in the reader's language: the fixed text where the service has one, else as stored."""
    fixed = FIXED_LABELS.get(key)
    return str(fixed) if fixed is not None else label


def _booking_uses(municipality_id: int) -> list[ServiceUses]:
    from jobunivers.booking.selectors import first_held_conversations

    return [ServiceUses(key="booking", label=str(FIXED_LABELS["booking"]),
                        first_use=first_held_conversations(municipality_id=municipality_id))]


def _booking_counts(municipality_id: int) -> list[ServiceCount]:
    from jobunivers.booking.selectors import held_conversation_citizens

    return [ServiceCount(key="booking", label=str(FIXED_LABELS["booking"]),
                         citizens=held_conversation_citizens(municipality_id=municipality_id))]


def _marketplace_uses(municipality_id: int) -> list[ServiceUses]:
    from jobunivers.marketplace.selectors import first_enrolments, offer_titles_by_id

    by_offer: dict[int, dict[int, datetime.date]] = {}
    for offer_id, citizen_id, day in first_enrolments(municipality_id=municipality_id):
        by_offer.setdefault(offer_id, {})[citizen_id] = day
    titles = offer_titles_by_id(offer_ids=by_offer)
    return [ServiceUses(key=f"marketplace-{offer_id}", label=titles.get(offer_id, f"#{offer_id}"), first_use=uses)
            for offer_id, uses in sorted(by_offer.items())]


def _marketplace_counts(municipality_id: int) -> list[ServiceCount]:
    from jobunivers.marketplace.selectors import enrolled_citizen_counts, offer_titles_by_id, rating_summaries

    counts = enrolled_citizen_counts(municipality_id=municipality_id)
    titles = offer_titles_by_id(offer_ids=counts)
    ratings = rating_summaries(municipality_id=municipality_id, offer_ids=list(counts))
    found = []
    for offer_id, citizens in sorted(counts.items()):
        summary = ratings.get(offer_id)
        found.append(ServiceCount(key=f"marketplace-{offer_id}", label=titles.get(offer_id, f"#{offer_id}"),
                                  citizens=citizens, rating=getattr(summary, "average", None),
                                  ratings=getattr(summary, "count", 0) or 0,
                                  rating_source=RATING_REVIEWS if summary is not None else ""))
    return found


def _journey_uses(municipality_id: int) -> list[ServiceUses]:
    """Each arm of each journey experiment: randomised, so the comparison is between the arms."""
    from jobunivers.journeys.selectors import experiment_exposures

    return [ServiceUses(key=key, label=label, first_use=first, randomised=True, assigned=assigned)
            for key, label, first, assigned in experiment_exposures(municipality_id=municipality_id)]


def _journey_counts(municipality_id: int) -> list[ServiceCount]:
    from jobunivers.journeys.selectors import experiment_exposures

    return [ServiceCount(key=key, label=label, citizens=len(first))
            for key, label, first, _assigned in experiment_exposures(municipality_id=municipality_id)]


EXPOSURES.register("booking")(ExposureSource(uses=_booking_uses, counts=_booking_counts))
EXPOSURES.register("journeys")(ExposureSource(uses=_journey_uses, counts=_journey_counts))
EXPOSURES.register("marketplace")(ExposureSource(uses=_marketplace_uses, counts=_marketplace_counts))


def services_for(municipality_id: int) -> list[ServiceUses]:
    """Every registered source's services for the municipality, by label."""
    found = [service for _name, source in EXPOSURES for service in source.uses(municipality_id)]
    return sorted(found, key=lambda s: s.label.lower())


def _pulse_key(service_key: str) -> tuple[str, str] | None:
    """Where the feedback app keeps the answers about an exposure's service: ("kind", kind) for every
    answer of an interaction kind, ("service", service_key) for one service."""
    if service_key == "booking":
        return ("kind", "booking")      # every booked conversation, whatever its channel
    if service_key.startswith("marketplace-"):
        return ("service", f"offer:{service_key.removeprefix('marketplace-')}")
    return None


def with_pulse_ratings(municipality_id: int, counts: list[ServiceCount]) -> list[ServiceCount]:
    """The pulse's average score (feedback app, 5 scored answers or more) replaces a source's own rating:
    it is asked after every use, not only of those who chose to write a review. Where the pulse has too
    few answers, a source's own rating (the marketplace's reviews) stays, labelled as such."""
    from dataclasses import replace

    from jobunivers.feedback.selectors import score_summaries

    pulse = score_summaries(municipality_id=municipality_id)
    found = []
    for count in counts:
        where = _pulse_key(count.key)
        table = pulse.by_kind if where and where[0] == "kind" else pulse.by_service
        summary = table.get(where[1]) if where else None
        found.append(replace(count, rating=summary.average, ratings=summary.answers, rating_source=RATING_PULSE)
                     if summary is not None else count)
    return found


def service_counts(municipality_id: int) -> list[ServiceCount]:
    """Citizens per service and its rating where known (ADR 0099), by label."""
    found = [count for _name, source in EXPOSURES for count in source.counts(municipality_id)]
    return sorted(with_pulse_ratings(municipality_id, found), key=lambda s: s.label.lower())
