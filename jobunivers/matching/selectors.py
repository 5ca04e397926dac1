"""Reads of matching: a citizen's feed (for the citizen and, as decision support, for staff).

Scoped to the municipality in context: the citizen must belong to it, or NotFound.
"""

from __future__ import annotations

from dataclasses import replace

from jobunivers.audit.selectors import consent_given
from jobunivers.citizens import selectors as citizens
from jobunivers.citizens.models import Citizen, SavedJob
from jobunivers.core.context import require_municipality_id
from jobunivers.core.errors import NotFound
from jobunivers.employers import selectors as employers
from jobunivers.jobs import selectors as jobs

from .contracts import FanoutLag, FeedItem, FeedResult, OpeningFit, Reason
from .feed import active_weights, build_feed
from .models import Interaction, InteractionKind


def _citizen(citizen_id: int) -> Citizen:
    citizen = Citizen.objects.filter(pk=citizen_id).only("id", "user_id", "municipality_id").first()
    if citizen is None:
        raise NotFound
    return citizen


def personalisation_allowed(*, user_id: int) -> bool:
    """Behaviour (clicks, saves, "not relevant") shapes ranking only with the citizen's consent."""
    return consent_given(user_id=user_id, purpose="personalisation")


def hidden_posting_ids(*, citizen_id: int) -> set[int]:
    """Postings never recommended again: marked not relevant, or already applied for."""
    return set(Interaction.objects.filter(
        citizen_id=citizen_id, kind__in=[InteractionKind.DISMISS, InteractionKind.APPLY]).values_list(
        "posting_id", flat=True))


def saved_posting_ids(*, citizen_id: int) -> set[int]:
    return set(SavedJob.objects.filter(citizen_id=citizen_id).values_list("posting_id", flat=True))


def feed_for(*, citizen_id: int, limit: int = 20, citizen: Citizen | None = None) -> FeedResult:
    """The citizen's feed with reasons, as they would see it now (nothing is recorded).
    The staff workspace uses this and logs the look-up itself. `citizen`: the record when the caller has
    read it already through the tenant-scoped manager (the start page), so it is not read again."""
    if citizen is None or citizen.pk != citizen_id or citizen.municipality_id != require_municipality_id():
        citizen = _citizen(citizen_id)
    profile = citizens.profile_for(citizen_id=citizen.pk)
    weights = active_weights()
    if profile is None:
        return FeedResult(citizen_id=citizen.pk, model_version=weights.version, has_profile=False)
    hidden = hidden_posting_ids(citizen_id=citizen.pk)
    saved = saved_posting_ids(citizen_id=citizen.pk)
    result = build_feed(profile=profile, citizen_id=citizen.pk,
                        personalised=personalisation_allowed(user_id=citizen.user_id),
                        exclude=hidden, saved=saved, limit=limit, weights=weights)
    return followed_first(result, citizen_id=citizen.pk, hidden=hidden, saved=saved, limit=limit)


def followed_first(result: FeedResult, *, citizen_id: int, hidden: set[int], saved: set[int],
                   limit: int) -> FeedResult:
    """New postings from employers and occupation fields the citizen follows go first, newest first, each
    with "Du følger …" as its first reason; the ranked feed follows without them (employers, issue 20)."""
    followed = employers.followed_new_postings(citizen_id=citizen_id, exclude=hidden)
    if not followed:
        return result
    ranked = {item.posting_id: item for item in result.items}
    missing = [f.posting_id for f in followed if f.posting_id not in ranked]
    summaries = {s.id: s for s in jobs.posting_summaries(posting_ids=missing, with_skills=False)}
    first = []
    for found in followed:
        reason = Reason(part="follow", text_da=found.reason_da, text_en=found.reason_en)
        item = ranked.get(found.posting_id)
        if item is not None:
            first.append(replace(item, reasons=(reason, *item.reasons), followed=True))
            continue
        summary = summaries.get(found.posting_id)
        if summary is None or summary.status != "active":
            continue
        first.append(FeedItem(
            posting_id=summary.id, title=summary.title, employer_name=summary.employer_name, city=summary.city,
            score=1.0, parts={}, reasons=(reason,), saved=summary.id in saved,
            application_deadline=summary.application_deadline, published_at=summary.published_at, followed=True))
    shown = {item.posting_id for item in first}
    rest = [item for item in result.items if item.posting_id not in shown]
    return replace(result, items=tuple([*first, *rest][:max(limit, len(first))]))


# --- operations -------------------------------------------------------------------------------------------

def fanout_lag(*, now=None) -> FanoutLag:
    """Postings created within the sweep's horizon (tasks.SWEEP_HORIZON) that have no fan-out mark yet:
    the regular path is behind, or its message was lost and the sweep has not caught up."""
    from django.db.models import Count, Exists, Min, OuterRef
    from django.utils import timezone

    from jobunivers.jobs import selectors as jobs

    from .models import PostingFanout
    from .tasks import SWEEP_HORIZON  # older postings are never fanned out

    now = now or timezone.now()
    figures = (jobs.active_postings().filter(created_at__gte=now - SWEEP_HORIZON)
               .exclude(Exists(PostingFanout.objects.filter(posting_id=OuterRef("pk"))))
               .aggregate(pending=Count("pk"), oldest=Min("created_at")))
    oldest = figures["oldest"]
    return FanoutLag(pending_postings=figures["pending"],
                     oldest_pending_seconds=(now - oldest).total_seconds() if oldest else None)


# --- openings that are not postings (coffee meetings) ----------------------------------------------------

def opening_fits(*, profiles, occupation_id: int | None, isco_code: str, latitude: float | None = None,
                 longitude: float | None = None) -> dict[int, OpeningFit]:
    """Per citizen id: how well each profile (citizens' CitizenProfile contracts) fits an opening for this
    occupation at this place (None: a video meeting, no distance). Pure: reads nothing, writes nothing."""
    from .openings import fit

    return {profile.citizen_id: fit(profile, occupation_id=occupation_id, isco_code=isco_code, latitude=latitude,
                                    longitude=longitude) for profile in profiles}
