"""Writes of matching: record a shown feed (with its model version) and the citizen's actions on
recommended jobs (save, not relevant, applied, opened), which feed back into ranking.

Explicit actions (save, not relevant, applied) are always recorded: they are the citizen's own
choices and "not relevant" must be honoured. Impressions and clicks are behaviour and are recorded
only with consent to personalisation (audit consent "personalisation"); see docs/adr/0041.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jobunivers.citizens import services as citizens
from jobunivers.citizens.models import Citizen
from jobunivers.core.errors import ValidationFailed
from jobunivers.jobs import selectors as jobs

from .contracts import FeedResult
from .models import DismissReason, Feed, Interaction, InteractionKind
from .selectors import personalisation_allowed


def _active_posting(posting_id: int):
    posting = jobs.active_postings().filter(pk=posting_id).only("id", "isco_code").first()
    if posting is None:
        raise ValidationFailed(_("The job ad is no longer active."))
    return posting


def feed_record(*, citizen: Citizen, feed: FeedResult) -> FeedResult:
    """Store what was shown and by which model version; impressions only with consent."""
    with transaction.atomic():
        row = Feed.all_tenants.create(
            municipality_id=citizen.municipality_id, citizen=citizen, model_version=feed.model_version,
            posting_ids=[item.posting_id for item in feed.items], scores=[item.score for item in feed.items])
        if feed.personalised:
            Interaction.all_tenants.bulk_create([
                Interaction(municipality_id=citizen.municipality_id, citizen=citizen, posting_id=item.posting_id,
                            kind=InteractionKind.IMPRESSION, feed=row, position=position, parts=item.parts)
                for position, item in enumerate(feed.items)])
    return replace(feed, feed_id=row.pk)


def _log(*, citizen: Citizen, posting_id: int, kind: str, reason: str = "", feed_id: int | None = None,
         position: int | None = None) -> Interaction:
    feed = Feed.all_tenants.filter(pk=feed_id, citizen=citizen).first() if feed_id else None
    parts: dict[str, Any] = {}
    if feed is not None and position is None and posting_id in feed.posting_ids:
        position = feed.posting_ids.index(posting_id)
    return Interaction.all_tenants.create(municipality_id=citizen.municipality_id, citizen=citizen,
                                          posting_id=posting_id, kind=kind, reason=reason, feed=feed,
                                          position=position, parts=parts)


def recommendation_save(*, actor, citizen: Citizen, posting_id: int, feed_id: int | None = None) -> None:
    _active_posting(posting_id)
    with transaction.atomic():
        citizens.job_save(actor=actor, citizen=citizen, posting_id=posting_id)
        _log(citizen=citizen, posting_id=posting_id, kind=InteractionKind.SAVE, feed_id=feed_id)


def recommendation_dismiss(*, actor, citizen: Citizen, posting_id: int, reason: str = "",
                           feed_id: int | None = None) -> None:
    if citizen.user_id != actor.pk:
        raise ValidationFailed(_("Only the citizen can mark a job as not relevant."))
    if reason not in DismissReason.values:
        raise ValidationFailed({"reason": [_("Choose one of the reasons, or none.")]})
    if not jobs.active_postings().filter(pk=posting_id).exists() and not Interaction.all_tenants.filter(
            citizen=citizen, posting_id=posting_id).exists():
        raise ValidationFailed(_("The job ad is no longer active."))
    _log(citizen=citizen, posting_id=posting_id, kind=InteractionKind.DISMISS, reason=reason, feed_id=feed_id)


def recommendation_applied(*, actor, citizen: Citizen, posting_id: int, feed_id: int | None = None) -> None:
    _active_posting(posting_id)
    with transaction.atomic():
        citizens.job_applied(actor=actor, citizen=citizen, posting_id=posting_id)
        _log(citizen=citizen, posting_id=posting_id, kind=InteractionKind.APPLY, feed_id=feed_id)


def recommendation_opened(*, citizen: Citizen, posting_id: int, feed_id: int | None = None) -> None:
    if personalisation_allowed(user_id=citizen.user_id):
        _log(citizen=citizen, posting_id=posting_id, kind=InteractionKind.CLICK, feed_id=feed_id)


# --- retention ---------------------------------------------------------------------------------------------


def feeds_purge(*, municipality_id: int, retention_days: int, now=None) -> int:
    """Delete the feeds shown more than `retention_days` ago in this municipality (interactions keep
    their own retention; their link to the feed is cleared)."""
    from jobunivers.core.services import cutoff, delete_in_chunks

    return delete_in_chunks(Feed.all_tenants.filter(municipality_id=municipality_id,
                                                    created_at__lt=cutoff(retention_days, now)))


def interactions_purge(*, municipality_id: int, retention_days: int, now=None) -> int:
    """Delete interactions (impressions, clicks, saves, dismissals, applications) older than the period."""
    from jobunivers.core.services import cutoff, delete_in_chunks

    return delete_in_chunks(Interaction.all_tenants.filter(municipality_id=municipality_id,
                                                           created_at__lt=cutoff(retention_days, now)))


FANOUT_MARK_RETENTION_DAYS = 30


def fanout_marks_purge(*, retention_days: int = FANOUT_MARK_RETENTION_DAYS, now=None) -> int:
    """Delete fan-out marks (no personal data) of postings that are no longer active and were fanned
    out more than `retention_days` ago: the sweep looks only at active postings, so nothing is fanned
    out again; a posting that comes back is matched as changed (only citizens not yet told get a notice)."""
    from jobunivers.core.services import cutoff, delete_in_chunks

    from .models import PostingFanout

    active = jobs.active_postings().values("pk")
    return delete_in_chunks(PostingFanout.objects.filter(fanned_out_at__lt=cutoff(retention_days, now))
                            .exclude(posting_id__in=active))
