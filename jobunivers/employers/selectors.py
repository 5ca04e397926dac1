"""Reads of employers: organisations and their postings (national), the hiring-potential list for a
citizen, and what a citizen follows (tenant-scoped through `Follow.objects`).

A citizen reads only their own follows: `follows_of` and `followed_new_postings` filter on the citizen
under the municipality in context, so another municipality's citizen is simply absent. Staff reads of a
citizen's follows go through "Mine data" and the export (audit.privacy), which log themselves.
"""

from __future__ import annotations

import datetime
import math
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobunivers.citizens import selectors as citizens
from jobunivers.core.errors import NotFound
from jobunivers.core.memo import BoundedMemo
from jobunivers.jobs import selectors as jobs
from jobunivers.taxonomy import selectors as taxonomy
from jobunivers.tenancy import selectors as tenancy
from jobunivers.tenancy.routing import municipal_reverse

from . import hiring
from .contracts import Criterion, FollowedItem, FollowedPosting, LikelyEmployer, Place
from .models import Follow, FollowKind, Organisation, OrganisationPosting
from .naming import organisation_key

FOLLOWED_NEW_DAYS = 14  # a followed posting counts as new in the feed for two weeks
FOLLOWED_IN_FEED = 5  # at most this many followed postings go before the ranked feed


def _citizen_id(citizen) -> int:
    return int(getattr(citizen, "pk", citizen))


def _slug(municipality_id: int) -> str:
    return tenancy.get_municipality(municipality_id=municipality_id).slug


# --- organisations ---------------------------------------------------------------------------------------

def get_organisation(*, organisation_id) -> Organisation:
    try:
        return Organisation.objects.get(pk=int(organisation_id))
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def search_organisations(*, query: str, limit: int = 10) -> list[Organisation]:
    """Organisations whose name contains the query (case-insensitive), most recent posters first."""
    text = (query or "").strip()
    if len(text) < 2:
        return []
    return list(Organisation.objects.filter(Q(name__icontains=text) | Q(cvr=text))
                .order_by("-last_posted_at", "name", "id")[:limit])


def organisations_by_key(keys) -> dict[str, Organisation]:
    return {o.key: o for o in Organisation.objects.filter(key__in=[k for k in keys if k])}


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    total: int
    by_occupation: tuple[tuple[str, int], ...]


def open_postings_of(*, organisation: Organisation, limit: int = 50):
    """The organisation's active postings, newest first (jobs' own queryset: the page links to them)."""
    linked = OrganisationPosting.objects.filter(organisation=organisation).values("posting_id")
    return list(jobs.active_postings().filter(pk__in=linked).order_by("-published_at", "-pk")[:limit])


def posting_history(*, organisation: Organisation, months: int = 24, now=None) -> list[MonthRow]:
    """Postings per month over the last `months` months (newest first), split by occupation."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=months * 31)
    rows = (OrganisationPosting.objects.filter(organisation=organisation, published_at__gte=since,
                                               published_at__lte=now)
            .annotate(month=TruncMonth("published_at")).values("month", "occupation_id")
            .annotate(n=Count("id")).order_by())
    per_month: dict[datetime.date, Counter] = defaultdict(Counter)
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        per_month[month][row["occupation_id"]] += row["n"]
    labels = taxonomy.occupation_labels({o for counts in per_month.values() for o in counts if o})
    result = []
    for month in sorted(per_month, reverse=True):
        counts = per_month[month]
        named = sorted(((str(labels[o]) if o in labels else _("Occupation not stated"), n)
                        for o, n in counts.items()), key=lambda pair: (-pair[1], pair[0]))
        result.append(MonthRow(month=month, total=sum(counts.values()), by_occupation=tuple(named)))
    return result


# --- follows ---------------------------------------------------------------------------------------------

def follow_records(*, citizen_id: int):
    return Follow.objects.filter(citizen_id=citizen_id).select_related("organisation").order_by("-created_at", "-id")


def access_own_follow(*, citizen_id: int, follow_id) -> Follow:
    try:
        return Follow.objects.select_related("organisation").get(pk=int(follow_id), citizen_id=citizen_id)
    except (Follow.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def is_following(*, citizen_id: int, organisation_id: int) -> Follow | None:
    return Follow.objects.filter(citizen_id=citizen_id, kind=FollowKind.EMPLOYER,
                                 organisation_id=organisation_id).first()


def field_label(code: str) -> str:
    label = taxonomy.isco_group_labels([code]).get(code)
    return f"{label} ({code})" if label else code


def follows_of(*, citizen) -> list[FollowedItem]:
    citizen_id = _citizen_id(citizen)
    records = list(follow_records(citizen_id=citizen_id))
    if not records:
        return []
    slug = _slug(records[0].municipality_id)
    fields = taxonomy.isco_group_labels({f.isco_code for f in records if f.isco_code})
    items = []
    for follow in records:
        if follow.kind == FollowKind.EMPLOYER:
            label = follow.organisation.name
            url = municipal_reverse(slug, "employers:employer", kwargs={"organisation_id": follow.organisation_id})
        else:
            group = fields.get(follow.isco_code)
            label = f"{group} ({follow.isco_code})" if group else follow.isco_code
            url = municipal_reverse(slug, "matching:feed")
        items.append(FollowedItem(id=follow.pk, kind=follow.kind, label=label, url=url, notify=follow.notify,
                                  created_at=follow.created_at, organisation_id=follow.organisation_id,
                                  isco_code=follow.isco_code))
    return items


def _field_filter(codes) -> Q:
    condition = Q(pk__in=[])
    for code in codes:
        condition |= Q(isco_code__startswith=code)
    return condition


def followed_new_postings(*, citizen_id: int, exclude: set[int] | frozenset[int] = frozenset(),
                          limit: int = FOLLOWED_IN_FEED, now=None) -> list[FollowedPosting]:
    """Active postings published in the last FOLLOWED_NEW_DAYS days by an employer the citizen follows, or
    in an occupation field they follow; newest first, with the reason in Danish and English."""
    records = list(follow_records(citizen_id=citizen_id))
    if not records:
        return []
    now = now or timezone.now()
    since = now - datetime.timedelta(days=FOLLOWED_NEW_DAYS)
    organisations = {f.organisation_id: f.organisation.name for f in records if f.kind == FollowKind.EMPLOYER}
    fields = sorted({f.isco_code for f in records if f.kind == FollowKind.OCCUPATION_FIELD})
    condition = Q(organisation_id__in=list(organisations))
    if fields:
        condition |= _field_filter(fields)
    rows = list(OrganisationPosting.objects.filter(condition, published_at__gte=since, published_at__lte=now)
                .exclude(posting_id__in=list(exclude)).order_by("-published_at", "-posting_id")
                .values_list("posting_id", "organisation_id", "isco_code")[:limit * 4])
    active = set(jobs.active_postings().filter(pk__in=[r[0] for r in rows]).values_list("pk", flat=True))
    with translation.override("da"):
        labels_da = {code: str(label) for code, label in taxonomy.isco_group_labels(fields).items()}
    with translation.override("en"):
        labels_en = {code: str(label) for code, label in taxonomy.isco_group_labels(fields).items()}
    result = []
    for posting_id, organisation_id, isco_code in rows:
        if posting_id not in active:
            continue
        if organisation_id in organisations:
            name = organisations[organisation_id]
            result.append(FollowedPosting(posting_id=posting_id, reason_da=f"Du følger {name}",
                                          reason_en=f"You follow {name}"))
        else:
            code = next(c for c in fields if isco_code.startswith(c))
            result.append(FollowedPosting(
                posting_id=posting_id, reason_da=f"Du følger faggruppen {labels_da.get(code, code)}",
                reason_en=f"You follow the occupation field {labels_en.get(code, code)}"))
        if len(result) == limit:
            break
    return result


def followers_of_postings(*, posting_ids) -> dict[int, list[tuple[int, str]]]:
    """For fan-out (national, every municipality): posting id -> [(citizen id, reason in Danish)] of the
    citizens who follow its employer or its occupation field and want notices. The employer is found from
    the posting itself (naming.organisation_key), so a posting counts even before employers indexed it."""
    rows = list(jobs.readable_postings().filter(pk__in=list(posting_ids)).values_list(
        "id", "employer_cvr", "employer_name", "isco_code"))
    if not rows:
        return {}
    keys = {pid: organisation_key(cvr=cvr, name=name) for pid, cvr, name, _isco in rows}
    organisations = organisations_by_key(set(keys.values()))
    follows = Follow.all_tenants.filter(notify=True)
    by_organisation: dict[int, list[int]] = defaultdict(list)
    for citizen_id, organisation_id in follows.filter(
            kind=FollowKind.EMPLOYER, organisation__in=list(organisations.values())).values_list(
            "citizen_id", "organisation_id"):
        by_organisation[organisation_id].append(citizen_id)
    prefixes = {isco[:length] for _pid, _cvr, _name, isco in rows for length in range(1, 5) if len(isco) >= length}
    with translation.override("da"):  # notices are written in Danish
        field_names = {code: str(label) for code, label in taxonomy.isco_group_labels(prefixes).items()}
    by_field: dict[str, list[int]] = defaultdict(list)
    if prefixes:
        for citizen_id, code in follows.filter(kind=FollowKind.OCCUPATION_FIELD, isco_code__in=prefixes).values_list(
                "citizen_id", "isco_code"):
            by_field[code].append(citizen_id)
    result: dict[int, list[tuple[int, str]]] = {}
    for pid, _cvr, _name, isco in rows:
        found: dict[int, str] = {}
        organisation = organisations.get(keys[pid])
        if organisation is not None:
            for citizen_id in by_organisation.get(organisation.pk, ()):
                found.setdefault(citizen_id, f"Du følger {organisation.name}")
        for length in range(4, 0, -1):
            for citizen_id in by_field.get(isco[:length], ()) if len(isco) >= length else ():
                found.setdefault(citizen_id, f"Du følger faggruppen {field_names.get(isco[:length], isco[:length])}")
        if found:
            result[pid] = sorted(found.items())
    return result


# --- employers likely to hire --------------------------------------------------------------------------

def default_place(profile) -> Place | None:
    if profile is None or profile.latitude is None or profile.longitude is None:
        return None
    return Place(latitude=profile.latitude, longitude=profile.longitude, radius_km=int(profile.radius_km or 25),
                 label=profile.home_postcode)


# An occupation's posting history as columns in process memory, per version of the index: the start page
# and the list rank from it without fetching (and converting) thousands of rows on every request.
@dataclass(frozen=True, eq=False)
class _OccupationHistory:
    version: tuple
    built_at: float  # time.monotonic()
    since: datetime.datetime  # every posting of the occupation published from here on is in the columns
    organisation: np.ndarray  # int64
    published: np.ndarray  # float64 POSIX seconds
    latitude: np.ndarray  # float64, NaN where unknown
    longitude: np.ndarray


HISTORY_MEMO_SECONDS = 300  # rebuilt at the latest after this (a re-linked posting keeps its id)
HISTORY_MEMO_OCCUPATIONS = 256
_history_memo: BoundedMemo[_OccupationHistory] = BoundedMemo(HISTORY_MEMO_OCCUPATIONS)
_history_lock = threading.Lock()


def clear_history_memo() -> None:
    _history_memo.clear()
    with _history_lock:
        _publications_memo.clear()


def _history_version() -> tuple:
    """Moves when a posting is linked (a new row, a new id: one index look-up). A posting linked anew
    after a change keeps its row, and a removed one leaves no trace here: HISTORY_MEMO_SECONDS covers both."""
    return (OrganisationPosting.objects.aggregate(m=Max("id"))["m"],)


def _occupation_history(occupation_id: int, since: datetime.datetime, version: tuple) -> _OccupationHistory:
    now = time.monotonic()
    found = _history_memo.get(occupation_id)
    if (found is not None and found.version == version and now - found.built_at < HISTORY_MEMO_SECONDS
            and found.since <= since):
        return found
    start = since - datetime.timedelta(days=1)  # a day's margin: the window moves on while the memo lives
    rows = list(OrganisationPosting.objects.filter(occupation_id=occupation_id, published_at__gte=start)
                .values_list("organisation_id", "published_at", "latitude", "longitude"))
    built = _OccupationHistory(
        version=version, built_at=now, since=start,
        organisation=np.array([r[0] for r in rows], dtype=np.int64),
        published=np.array([r[1].timestamp() for r in rows], dtype=np.float64),
        latitude=np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=np.float64),
        longitude=np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64))
    return _history_memo.put(occupation_id, built)


# Every organisation's publication times over 24 months (all occupations), for the "size" criterion: one
# read per version of the index, instead of counting the candidates' postings on every request.
# The times are whole milliseconds after `since`, in one sorted int64 array of keys (the organisation's rank
# in the high bits, the time in the low ones), so the totals of hundreds of organisations are two
# `searchsorted` calls rather than two per organisation.
_TIME_BITS = 37  # 2**37 ms is about 4.3 years: far more than the 24 months (and a day) a memo spans
_TIME_MAX = (1 << _TIME_BITS) - 1


def _milliseconds(moment: datetime.datetime | np.ndarray) -> np.ndarray:
    seconds = moment if isinstance(moment, np.ndarray) else np.array([moment.timestamp()])
    return np.floor(seconds * 1000.0).astype(np.int64)


@dataclass(frozen=True, eq=False)
class _Publications:
    version: tuple
    built_at: float
    since: datetime.datetime
    organisation_of: np.ndarray  # int64, one per publication (the source of the two below)
    published_ms: np.ndarray  # int64, milliseconds since the epoch
    organisations: np.ndarray  # sorted unique organisation ids: an organisation's rank is its position
    keys: np.ndarray  # sorted int64: rank << _TIME_BITS | milliseconds after `since` (clipped)


def _publications_of(*, version: tuple, built_at: float, since: datetime.datetime, organisation_of: np.ndarray,
                     published_ms: np.ndarray) -> _Publications:
    organisations = np.unique(organisation_of)
    if len(organisations) >= 1 << (63 - _TIME_BITS):
        raise OverflowError("too many organisations for the publication keys")
    offsets = np.clip(published_ms - _milliseconds(since)[0], 0, _TIME_MAX)
    keys = np.sort((np.searchsorted(organisations, organisation_of).astype(np.int64) << _TIME_BITS) | offsets)
    return _Publications(version=version, built_at=built_at, since=since, organisation_of=organisation_of,
                         published_ms=published_ms, organisations=organisations, keys=keys)


def _publication_rows(queryset) -> tuple[np.ndarray, np.ndarray]:
    rows = list(queryset.values_list("organisation_id", "published_at").iterator(chunk_size=20_000))
    return (np.array([r[0] for r in rows], dtype=np.int64),
            _milliseconds(np.array([r[1].timestamp() for r in rows], dtype=np.float64)))


_publications_memo: list[_Publications] = []


def _publications(since: datetime.datetime, version: tuple) -> _Publications:
    """Built at most every HISTORY_MEMO_SECONDS; in between, postings linked since (ids above the version's
    MAX(id)) are added to it, so a steady import does not read everything again on every request."""
    now = time.monotonic()
    with _history_lock:
        found = _publications_memo[0] if _publications_memo else None
        if found is not None and now - found.built_at < HISTORY_MEMO_SECONDS and found.since <= since:
            if found.version == version:
                return found
            if found.version[0] is not None:
                organisation_of, published_ms = _publication_rows(OrganisationPosting.objects.filter(
                    id__gt=found.version[0], published_at__gte=found.since))
                _publications_memo[:] = [_publications_of(
                    version=version, built_at=found.built_at, since=found.since,
                    organisation_of=np.concatenate([found.organisation_of, organisation_of]),
                    published_ms=np.concatenate([found.published_ms, published_ms]))]
                return _publications_memo[0]
    start = since - datetime.timedelta(days=1)
    organisation_of, published_ms = _publication_rows(OrganisationPosting.objects.filter(published_at__gte=start))
    built = _publications_of(version=version, built_at=now, since=start, organisation_of=organisation_of,
                             published_ms=published_ms)
    with _history_lock:
        _publications_memo[:] = [built]
    return built


def warm_histories(now=None) -> None:
    """Read every organisation's publications of the last 24 months into this process's memo, as the
    first "employers likely to hire" would (core.warmup, before a new web worker takes requests)."""
    as_of = now or timezone.now()
    _publications(as_of - datetime.timedelta(days=hiring.HISTORY_DAYS), _history_version())


def _totals_array(organisation_ids: np.ndarray, since: datetime.datetime, as_of: datetime.datetime,
                  version: tuple) -> np.ndarray:
    """Each organisation's postings in all occupations published from `since` to `as_of` (to the
    millisecond), or -1 for an organisation with none in the memo's 24 months."""
    memo = _publications(since, version)
    ids = np.asarray(organisation_ids, dtype=np.int64)
    if not len(memo.organisations) or not len(ids):
        return np.full(len(ids), -1, dtype=np.int64)
    rank = np.minimum(np.searchsorted(memo.organisations, ids), len(memo.organisations) - 1)
    known = memo.organisations[rank] == ids
    origin = _milliseconds(memo.since)[0]
    low = int(np.clip(_milliseconds(since)[0] - origin, 0, _TIME_MAX))
    high = int(_milliseconds(as_of)[0] - origin)
    if high < low:
        return np.where(known, 0, -1).astype(np.int64)
    base = rank.astype(np.int64) << _TIME_BITS
    counts = (np.searchsorted(memo.keys, base | min(high, _TIME_MAX), side="right")
              - np.searchsorted(memo.keys, base | low, side="left"))
    return np.where(known, counts, -1).astype(np.int64)


def _totals(organisation_ids, since: datetime.datetime, as_of: datetime.datetime, version: tuple) -> dict[int, int]:
    """Each organisation's postings in all occupations published from `since` to `as_of` (those with none
    are left out)."""
    ids = np.fromiter(organisation_ids, dtype=np.int64)
    totals = _totals_array(ids, since, as_of, version)
    return {int(o): int(t) for o, t in zip(ids.tolist(), totals.tolist(), strict=True) if t >= 0}


def _distances_km(latitudes: np.ndarray, longitudes: np.ndarray, latitude: float, longitude: float) -> np.ndarray:
    p1, p2 = math.radians(latitude), np.radians(latitudes)
    dp, dl = p2 - p1, np.radians(longitudes - longitude)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _inside(occupation_id: int, place: Place | None, as_of) -> tuple[np.ndarray, np.ndarray, tuple]:
    """The organisations and ages in days of the occupation's postings of the last 24 months (within the
    place's radius), as arrays, and the index version they were read at."""
    since = as_of - datetime.timedelta(days=hiring.HISTORY_DAYS)
    version = _history_version()
    memo = _occupation_history(occupation_id, since, version)
    at = as_of.timestamp()
    inside = (memo.published >= since.timestamp()) & (memo.published <= at)
    if place is not None:
        with np.errstate(invalid="ignore"):
            inside &= _distances_km(memo.latitude, memo.longitude, place.latitude, place.longitude) <= place.radius_km
    return memo.organisation[inside], (at - memo.published[inside]) / 86400, version


def _histories_of(organisations: np.ndarray, ages: np.ndarray, as_of, version: tuple) -> list[hiring.History]:
    grouped: dict[int, list[float]] = defaultdict(list)
    for organisation_id, age in zip(organisations.tolist(), ages.tolist(), strict=True):
        grouped[organisation_id].append(age)
    since = as_of - datetime.timedelta(days=hiring.HISTORY_DAYS)
    totals = _totals(grouped, since, as_of, version)
    return [hiring.History(organisation_id=o, ages_days=tuple(sorted(a)), total_24_months=totals.get(o, len(a)))
            for o, a in grouped.items()]


def histories(*, occupation_id: int, place: Place | None, as_of) -> list[hiring.History]:
    """Each organisation's postings in the occupation (and within the place's radius) over 24 months."""
    organisations, ages, version = _inside(occupation_id, place, as_of)
    return _histories_of(organisations, ages, as_of, version)


def ranked_histories(*, occupation_id: int, place: Place | None, as_of,
                     limit: int) -> list[tuple[hiring.History, hiring.Points]]:
    """`hiring.rank(histories(...), limit=limit)`, without building every employer's history: the totals
    of all employers are computed as arrays, and only those that can reach the best `limit` (within the
    rounding band) are scored by `hiring.rank` itself, so the order and points are exactly the same."""
    organisations, ages, version = _inside(occupation_id, place, as_of)
    if not len(organisations):
        return []
    ids, group = np.unique(organisations, return_inverse=True)
    counted = (ages >= 0) & (ages < hiring.HISTORY_DAYS)
    weights = counted.astype(np.float64)
    postings = np.bincount(group, weights=weights, minlength=len(ids))
    volume = np.bincount(group, weights=np.where(counted, 0.5 ** (ages / hiring.HALF_LIFE_DAYS), 0.0),
                         minlength=len(ids))
    last_12 = np.bincount(group, weights=(counted & (ages < hiring.YEAR_DAYS)).astype(np.float64), minlength=len(ids))
    latest = np.full(len(ids), np.inf)
    np.minimum.at(latest, group[counted], ages[counted])
    since = as_of - datetime.timedelta(days=hiring.HISTORY_DAYS)
    total_24 = _totals_array(ids, since, as_of, version).astype(np.float64)
    total_24 = np.where(total_24 < 0, np.bincount(group, minlength=len(ids)), total_24)
    totals = hiring.approximate_totals(weighted_volume=volume, latest_age=latest, last_12=last_12,
                                       previous_12=postings - last_12, postings=postings, total_24_months=total_24)
    keep = np.isin(group, hiring.preselect(totals, postings=postings, limit=limit))
    return hiring.rank(_histories_of(organisations[keep], ages[keep], as_of, version), limit=limit)


def _month_name(moment) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "F Y")


def reason_text(history: hiring.History, *, occupation: str, latest) -> str:
    recent = history.last_12_months
    if recent:
        return ngettext("has posted %(count)d job as %(occupation)s in the last year",
                        "has posted %(count)d jobs as %(occupation)s in the last year", recent) % {
            "count": recent, "occupation": occupation}
    count = history.postings
    return ngettext("has posted %(count)d job as %(occupation)s in the last two years, the latest in %(month)s",
                    "has posted %(count)d jobs as %(occupation)s in the last two years, the latest in %(month)s",
                    count) % {"count": count, "occupation": occupation, "month": _month_name(latest)}


def criteria_of(history: hiring.History, points: hiring.Points, *, occupation: str,
                place: Place | None) -> tuple[Criterion, ...]:
    where = (_("within %(km)d km of %(place)s") % {"km": place.radius_km, "place": place.label or _("your home")}
             if place else _("in the whole country"))
    latest_days = int(min(history.ages_days)) if history.ages_days else 0
    return (
        Criterion("volume", _("Jobs in your occupation"), points.volume, hiring.MAX_POINTS["volume"], ngettext(
            "%(count)d job as %(occupation)s %(where)s in the last 24 months. Newer jobs count more: a job counts "
            "half after six months.",
            "%(count)d jobs as %(occupation)s %(where)s in the last 24 months. Newer jobs count more: a job counts "
            "half after six months.", history.postings) % {
            "count": history.postings, "occupation": occupation, "where": where}),
        Criterion("recency", _("How recently"), points.recency, hiring.MAX_POINTS["recency"], ngettext(
            "The latest was posted %(days)d day ago. Full points for today, none after a year.",
            "The latest was posted %(days)d days ago. Full points for today, none after a year.", latest_days) % {
            "days": latest_days}),
        Criterion("trend", _("Trend"), points.trend, hiring.MAX_POINTS["trend"], _(
            "%(recent)d in the last 12 months against %(before)d in the 12 months before. More lately gives more "
            "points; as many gives half.") % {"recent": history.last_12_months, "before": history.previous_12_months}),
        Criterion("size", _("Size"), points.size, hiring.MAX_POINTS["size"], ngettext(
            "%(count)d job in all occupations in the whole country in the last 24 months: a big employer has more "
            "people coming and going.",
            "%(count)d jobs in all occupations in the whole country in the last 24 months: a big employer has more "
            "people coming and going.", history.total_24_months) % {"count": history.total_24_months}),
    )


def likely_employers(*, citizen, occupation_id: int | None = None, place: Place | None = None, limit: int = 10,
                     now=None, profile=None, municipality_slug: str | None = None) -> list[LikelyEmployer]:
    """Employers ranked by hiring potential for an occupation and place (the citizen's own by default).
    Only the platform's posting history is used, never anything about the citizen but their choice.
    `profile`: the citizen's CitizenProfile when the caller has read it already (the start page), and
    `municipality_slug` the slug of the citizen's municipality when the caller has it (for the links)."""
    citizen_id = _citizen_id(citizen)
    if profile is None or profile.citizen_id != citizen_id:
        profile = citizens.profile_for(citizen_id=citizen_id)
    if profile is None:
        return []
    if occupation_id is None:
        if not profile.occupations:
            return []
        occupation_id = profile.occupations[0].occupation_id
    if place is None:
        place = default_place(profile)
    now = now or timezone.now()
    label = taxonomy.occupation_labels([occupation_id]).get(occupation_id)
    occupation = str(label) if label else _("your occupation")
    ranked = ranked_histories(occupation_id=occupation_id, place=place, as_of=now, limit=max(1, min(limit, 50)))
    if not ranked:
        return []
    ids = [history.organisation_id for history, _points in ranked]
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("id", "name"))
    # EXISTS per linked row (a primary-key look-up) rather than IN over every active posting, which SQLite
    # materialises whole (5 ms with 20,000 open jobs) for the three employers shown.
    open_now = dict(OrganisationPosting.objects.filter(organisation_id__in=ids)
                    .filter(Exists(jobs.active_postings().filter(pk=OuterRef("posting_id"))))
                    .values("organisation_id").annotate(n=Count("id")).values_list("organisation_id", "n").order_by())
    slug = municipality_slug or _slug(profile.municipality_id)
    result = []
    for history, points in ranked:
        latest = now - datetime.timedelta(days=min(history.ages_days))
        result.append(LikelyEmployer(
            organisation_id=history.organisation_id, name=names.get(history.organisation_id, ""),
            score=points.score, reason=reason_text(history, occupation=occupation, latest=latest),
            url=municipal_reverse(slug, "employers:employer", kwargs={"organisation_id": history.organisation_id}),
            postings_24_months=history.postings, postings_12_months=history.last_12_months,
            open_now=open_now.get(history.organisation_id, 0), few_postings=history.postings < hiring.FEW_POSTINGS,
            criteria=criteria_of(history, points, occupation=occupation, place=place), occupation_id=occupation_id))
    return result


@dataclass(frozen=True)
class FieldChoice:
    code: str
    label: str


def search_fields(*, query: str, limit: int = 6) -> list[FieldChoice]:
    """Occupation fields (ISCO-08 unit groups) of the occupations that match the query by name."""
    codes: list[str] = []
    for match in taxonomy.search_occupations(query, limit=20, semantic=False):
        if match.isco_code and match.isco_code not in codes:
            codes.append(match.isco_code)
    labels = taxonomy.isco_group_labels(codes)
    return [FieldChoice(code=code, label=str(labels[code])) for code in codes if code in labels][:limit]


def fields_of_profile(*, citizen_id: int) -> list[FieldChoice]:
    """The occupation fields of the citizen's own occupations sought (to follow in one click)."""
    profile = citizens.profile_for(citizen_id=citizen_id)
    codes = sorted({code for code in (profile.isco_codes if profile else ()) if code})
    labels = taxonomy.isco_group_labels(codes)
    return [FieldChoice(code=code, label=str(labels[code])) for code in codes if code in labels]


def backtest_rows(*, cutoff, horizon_days: int):
    """Every indexed posting from 24 months before the cutoff to the end of the horizon, as backtest rows."""
    from .backtest import Row

    since = cutoff - datetime.timedelta(days=hiring.HISTORY_DAYS)
    until = cutoff + datetime.timedelta(days=horizon_days)
    rows = OrganisationPosting.objects.filter(published_at__gte=since, published_at__lt=until).values_list(
        "organisation_id", "occupation_id", "published_at")
    return [Row(organisation_id=o, occupation_id=occ, published_at=at) for o, occ, at in rows.iterator(chunk_size=5000)]
