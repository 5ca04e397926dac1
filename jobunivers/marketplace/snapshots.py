"""A municipality's shown offers as plain values in process memory, for "Til dig" and the catalogue's
front page (issue 17).

"Til dig" scores the offers that may give the citizen a reason. Reading them from the database on every
visit (a query with a LIKE per track, occupation group, situation and plan word over JSON lists as text,
then a few hundred rows parsed into Python) was the largest part of the page. The offers a municipality
shows change a few times a day, so each process keeps one `Snapshot` per municipality: every shown
offer's audience, promotion, titles, words and target lists, and indexes from a track, an ISCO code, a
situation and a word to the offers that name it. A visit looks up its candidates in the indexes. The
catalogue's first page without a search (and its later pages) is cut from the same snapshot: the audience
is checked in Python as `selectors._audience_q` does in SQL, and the order is the database's order by
title (read once per snapshot and language, `Snapshot.title_rank`) after the promotions running today, so
the page is the one `selectors.catalogue_page` gives. Searches are answered by the database as before.

Freshness: every visit asks the database for the municipality's token (one query): the number, the sum of
`version`, the latest `updated_at` and the highest id of the municipality's curated offers and of all
offers. Every service that changes what a citizen is shown (enabling, aiming, promoting, withdrawing,
publishing a new version, withdrawing an offer everywhere) adds one to a `version` in its transaction, so
the token moves whatever order transactions commit in, and the next visit after the commit reads the
municipality again; model saves move `updated_at` too. A published version is never changed (a change is a new version, published by the
offer's save). A snapshot is also read again when older than `MARKETPLACE_CATALOGUE_MAX_AGE` seconds
(default 300), which bounds what a change made outside the services (a bulk update) could hide. Promotion
periods are compared with today at every visit, never when the snapshot is made. Agreements do not decide
what is shown (only whether an administrator may enable a vendor's offer), so they are not in the token.

At most `MARKETPLACE_CATALOGUE_CACHE` municipalities (default 100: every Danish municipality) are kept,
the least recently used dropped first; a snapshot of 1,350 offers takes about 2 MB.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import F, TextField, Value
from django.db.models.functions import Cast, Coalesce, Lower, NullIf

from jobunivers.core.memo import BoundedMemo

from .models import Audience, MunicipalOffer, Offer, OfferStatus

_EMPTY: tuple[str, ...] = ()


def words(text: str) -> set[str]:
    """The words of five letters or more, in lower case: what a plan activity and an offer share."""
    return set(re.findall(r"\w{5,}", text.lower()))


def promoted(priority: int, start: datetime.date | None, end: datetime.date | None, today: datetime.date) -> bool:
    return priority > 0 and (start is None or start <= today) and (end is None or today <= end)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An offer a municipality shows, as plain values: what audience, ranking and reasons need."""

    id: int
    offer_id: int
    audience: str
    local_title: str
    title_da: str
    title_en: str
    words_da: frozenset[str]  # `words` of the Danish title and summary, for matching plan activities
    promotion_priority: int
    promoted_from: datetime.date | None
    promoted_until: datetime.date | None
    audience_tracks: tuple[str, ...]  # only when the audience is chosen tracks
    audience_isco: tuple[str, ...]
    target_tracks: tuple[str, ...]
    target_isco: tuple[str, ...]
    target_situations: tuple[str, ...]

    def title(self, english: bool) -> str:
        return self.local_title or (self.title_en if english and self.title_en else self.title_da)

    def priority(self, today: datetime.date) -> int:
        """The promotion priority while the promotion runs, else 0."""
        return self.promotion_priority if promoted(self.promotion_priority, self.promoted_from,
                                                   self.promoted_until, today) else 0


@dataclass(frozen=True, eq=False)
class Snapshot:
    municipality_id: int
    token: tuple
    built_at: float  # time.monotonic()
    offers: tuple[Candidate, ...]  # in id order
    by_track: dict[str, tuple[int, ...]] = field(repr=False)  # positions of offers aimed at or shown to a track
    by_isco: dict[str, tuple[int, ...]] = field(repr=False)  # a listed ISCO code (target or audience)
    by_situation: dict[str, tuple[int, ...]] = field(repr=False)
    by_word: dict[str, tuple[int, ...]] = field(repr=False)  # a word of the Danish title or summary
    with_promotion: tuple[int, ...] = field(repr=False)  # a promotion priority, running or not
    # Offer id -> its place when ordered by `shown_title` (then id) in the database, per language: read once
    # per snapshot and language, so the catalogue's order is the database's (its collation) without a sort
    # of every shown offer in SQL on every visit.
    title_ranks: dict[bool, dict[int, int]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.offers)

    def title_rank(self, english: bool) -> dict[int, int]:
        ranks = self.title_ranks.get(english)
        if ranks is None:
            ordered = (shown_rows(self.municipality_id).annotate(shown_title=shown_title(english))
                       .order_by("shown_title", "id").values_list("id", flat=True))
            ranks = self.title_ranks[english] = {pk: n for n, pk in enumerate(ordered)}
        return ranks

    def candidates(self, *, track_key: str, isco_prefixes: set[str], situations: set[str],
                   plan_words: set[str]) -> list[Candidate]:
        """The offers that may give a citizen with these facts a reason (a superset: `_matches` in the
        selectors decides), in id order. The audience is not checked here."""
        found = set(self.with_promotion)
        if track_key:
            found.update(self.by_track.get(track_key, ()))
        for index, keys in ((self.by_isco, isco_prefixes), (self.by_situation, situations),
                            (self.by_word, plan_words)):
            for key in keys:
                found.update(index.get(key, ()))
        return [self.offers[position] for position in sorted(found)]


def _json_list(text: str | None) -> tuple[str, ...]:
    if not text or text == "[]":
        return _EMPTY
    value = json.loads(text)
    return tuple(str(v) for v in value) if isinstance(value, list) else _EMPTY


_JSON_TEXT = {"audience_tracks_text": "audience_tracks", "audience_isco_text": "audience_isco",
              "target_tracks_text": "offer__published_version__target_tracks",
              "target_isco_text": "offer__published_version__target_isco",
              "target_situations_text": "offer__published_version__target_situations"}
_VALUES = ("id", "offer_id", "audience", "local_title", "offer__published_version__title_da",
           "offer__published_version__title_en", "offer__published_version__summary_da", "promotion_priority",
           "promoted_from", "promoted_until", "audience_tracks_text", "audience_isco_text", "target_tracks_text",
           "target_isco_text", "target_situations_text")


def shown_rows(municipality_id: int):
    """The municipality's curated offers a citizen may be shown (audience aside): not withdrawn locally,
    the offer published with a published version."""
    return MunicipalOffer.all_tenants.filter(municipality_id=municipality_id, withdrawn_at__isnull=True,
                                             offer__status=OfferStatus.PUBLISHED,
                                             offer__published_version__isnull=False)


def shown_title(english: bool):
    """The title a citizen sees, in lower case, as the database orders it: the municipality's own, else the
    published version's in the page's language (Danish when there is no English)."""
    version_title = (Coalesce(NullIf("offer__published_version__title_en", Value("")),
                              "offer__published_version__title_da") if english
                     else F("offer__published_version__title_da"))
    return Lower(Coalesce(NullIf("local_title", Value("")), version_title))


def version_token(municipality_id: int) -> tuple:
    """What moves whenever what the municipality shows changes (see the module's docstring): one query,
    two aggregates (the municipality's curated offers, and every offer, so a provider's withdrawal or new
    version is seen by every municipality). Not a join: on SQLite that took three times as long."""
    curated, offers = (connection.ops.quote_name(model._meta.db_table) for model in (MunicipalOffer, Offer))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 0, COUNT(*), SUM(version), MAX(updated_at), MAX(id) FROM {curated} WHERE municipality_id = %s "  # noqa: S608 - models' table names
            f"UNION ALL SELECT 1, COUNT(*), SUM(version), MAX(updated_at), MAX(id) FROM {offers}", [municipality_id])
        return tuple(sorted(cursor.fetchall()))


def _index(pairs) -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for key, position in pairs:
        positions = index.setdefault(key, [])
        if not positions or positions[-1] != position:
            positions.append(position)
    return {key: tuple(positions) for key, positions in index.items()}


def build(municipality_id: int, token: tuple | None = None) -> Snapshot:
    token = version_token(municipality_id) if token is None else token
    rows = (shown_rows(municipality_id).annotate(**{name: Cast(path, TextField()) for name, path in _JSON_TEXT.items()})
            .order_by("id").values_list(*_VALUES))
    interned: dict[str, str] = {}  # the same words and codes in many offers: one string each
    offers = []
    for (pk, offer_id, audience, local_title, title_da, title_en, summary_da, priority, start, end, audience_tracks,
         audience_isco, target_tracks, target_isco, target_situations) in rows:
        offers.append(Candidate(
            id=pk, offer_id=offer_id, audience=audience, local_title=local_title, title_da=title_da,
            title_en=title_en, words_da=frozenset(interned.setdefault(w, w) for w in words(f"{title_da} {summary_da}")),
            promotion_priority=priority, promoted_from=start, promoted_until=end,
            audience_tracks=_json_list(audience_tracks) if audience == Audience.TRACKS else _EMPTY,
            audience_isco=_json_list(audience_isco), target_tracks=_json_list(target_tracks),
            target_isco=_json_list(target_isco), target_situations=_json_list(target_situations)))
    return Snapshot(
        municipality_id=municipality_id, token=token, built_at=time.monotonic(), offers=tuple(offers),
        by_track=_index((t, n) for n, o in enumerate(offers) for t in (*o.target_tracks, *o.audience_tracks)),
        by_isco=_index((c, n) for n, o in enumerate(offers) for c in (*o.target_isco, *o.audience_isco)),
        by_situation=_index((s, n) for n, o in enumerate(offers) for s in o.target_situations),
        by_word=_index((w, n) for n, o in enumerate(offers) for w in sorted(o.words_da)),
        with_promotion=tuple(n for n, o in enumerate(offers) if o.promotion_priority > 0))


_snapshots: BoundedMemo[Snapshot] = BoundedMemo(lambda: getattr(settings, "MARKETPLACE_CATALOGUE_CACHE", 100))


def current(municipality_id: int) -> Snapshot:
    """This process's snapshot of the municipality's shown offers, read again first if they changed."""
    token = version_token(municipality_id)
    max_age = float(getattr(settings, "MARKETPLACE_CATALOGUE_MAX_AGE", 300))
    snapshot = _snapshots.get(municipality_id)
    if snapshot is not None and snapshot.token == token and time.monotonic() - snapshot.built_at <= max_age:
        return snapshot
    return _snapshots.put(municipality_id, build(municipality_id, token))


def clear() -> None:
    """Forget every snapshot (tests roll back transactions the token cannot always see)."""
    _snapshots.clear()
