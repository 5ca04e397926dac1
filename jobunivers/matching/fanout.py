"""Fan-out: when postings arrive or change, find the citizens they match above their municipality's
threshold and queue "job for you" notices through notifications' outbox.

Built for 1,000 postings against 117,000 citizens in well under a minute: citizens are held as a
precomputed index of numpy arrays (coordinates, radius, wishes, occupation and skill memberships,
text vectors), so each posting is a handful of vector operations over its candidate citizens —
never a Python loop over citizen x posting pairs. The index is rebuilt when profiles change
(its key is the profile count and the latest change) and kept in process memory.

Only the profile is used (never behaviour), so fan-out needs no consent to personalisation;
postings the citizen marked "not relevant" or applied for are never notified. Idempotency comes
from the outbox: one notice per (citizen, "job_match", "posting:<id>", channel), so a changed
posting does not notify anyone twice.

The per-citizen cap holds across batches and runs: a citizen gets at most their municipality's
`job_notices_per_day` (a bounded municipal setting, default 3) job notices per NOTICE_CAP_WINDOW,
counted from the notices already queued. The write of a batch (cap check, notices, outbox rows and `PostingFanout` marks)
is one transaction, serialised between workers (an advisory lock on PostgreSQL, SQLite's write
lock), so two workers cannot both use a citizen's last place, and a batch whose worker died
before the commit left nothing behind: its redelivered message or the sweep does it again, and
postings already marked are skipped (exactly once). See docs/notifications.md and ADR 0045.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone

from jobunivers.citizens import selectors as citizens
from jobunivers.citizens.models import Profile
from jobunivers.employers import selectors as employers
from jobunivers.jobs import selectors as jobs
from jobunivers.jobs.models import PostingSkill
from jobunivers.notifications import selectors as notifications
from jobunivers.notifications.contracts import Kind, Notice
from jobunivers.notifications.services import notify_many
from jobunivers.taxonomy import selectors as taxonomy
from jobunivers.taxonomy.models import Skill
from jobunivers.tenancy import selectors as tenancy
from jobunivers.tenancy.models import Municipality
from jobunivers.tenancy.routing import municipal_reverse

from . import scoring
from .feed import active_weights
from .models import Interaction, InteractionKind, PostingFanout
from .vectors import posting_text, posting_vectors, profile_text, refresh_posting_vectors

logger = logging.getLogger(__name__)

NOTICE_CAP_WINDOW = datetime.timedelta(hours=24)
FANOUT_LOCK_KEY = 0x6A6F62756E6976  # PostgreSQL advisory lock that serialises fan-out writes
WISH_BITS = {"permanent": 1, "temporary": 2, "student": 4}
POSTING_TYPE_BITS = {"permanent": 1, "temporary": 2, "seasonal": 2, "substitute": 2, "internship": 4,
                     "apprenticeship": 4, "hourly": 4}


@dataclass
class CitizenIndex:
    key: tuple
    citizen_ids: np.ndarray
    user_ids: np.ndarray
    municipality_ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    radius: np.ndarray
    hours: np.ndarray  # wanted hours per week, NaN = no wish
    wishes: np.ndarray  # bit mask of WISH_BITS, 0 = no wish
    vectors: np.ndarray  # (n, 384) float32, zero row = no text
    by_occupation: dict[int, np.ndarray] = field(default_factory=dict)
    by_isco4: dict[str, np.ndarray] = field(default_factory=dict)
    by_isco3: dict[str, np.ndarray] = field(default_factory=dict)
    skills: dict[int, np.ndarray] = field(default_factory=dict)  # skill id -> citizen positions holding it
    build_seconds: float = 0.0

    @property
    def size(self) -> int:
        return len(self.citizen_ids)


_index: CitizenIndex | None = None
_lock = threading.Lock()
_scratch_arrays = threading.local()


def _scratch(size: int) -> np.ndarray:
    """A zeroed int8 array per thread, reused across postings (callers zero what they set)."""
    array = getattr(_scratch_arrays, "array", None)
    if array is None or len(array) != size:
        array = np.zeros(size, dtype=np.int8)
        _scratch_arrays.array = array
    return array


def _index_key() -> tuple:
    stats = Profile.all_tenants.aggregate(n=Count("id"), changed=Max("updated_at"))
    return (stats["n"], stats["changed"], taxonomy.model_version())


def build_index() -> CitizenIndex:
    started = time.perf_counter()
    key = _index_key()
    profiles = citizens.profiles_for_matching()
    n = len(profiles)
    user_ids = dict(Profile.all_tenants.values_list("citizen_id", "citizen__user_id"))
    by_occupation: dict[int, list[int]] = defaultdict(list)
    by_isco4: dict[str, list[int]] = defaultdict(list)
    by_isco3: dict[str, list[int]] = defaultdict(list)
    by_skill_uri: dict[str, list[int]] = defaultdict(list)
    texts: list[str] = []
    labels: list[list[str]] = []
    for position, profile in enumerate(profiles):
        for occupation in profile.occupations:
            by_occupation[occupation.occupation_id].append(position)
        for code in set(profile.isco_codes):
            by_isco4[code].append(position)
        for prefix in {code[:3] for code in profile.isco_codes if len(code) >= 3}:
            by_isco3[prefix].append(position)
        for uri in profile.skill_uris:
            by_skill_uri[uri].append(position)
        written = any(x.strip() for x in (profile.occupation_text, profile.skills_text, *profile.keywords,
                                          *profile.experience_titles, *profile.education_titles))
        # Own words are embedded as written; otherwise the meaning is that of the occupations sought
        # (a handful of distinct labels across all citizens, each embedded once and cached).
        texts.append(profile_text(profile) if written else "")
        labels.append([o.label for o in profile.occupations])
    unique = sorted({t for t in texts if t} | {label for ls in labels for label in ls if label})
    vectors = np.zeros((n, taxonomy.DIMENSIONS), dtype=np.float32)
    if unique:
        embedded = taxonomy.embed_texts(unique, kind="query")
        row = {text: i for i, text in enumerate(unique)}
        for position, text in enumerate(texts):
            if text:
                vectors[position] = embedded[row[text]]
            elif labels[position]:
                mean = embedded[[row[label] for label in labels[position] if label]].mean(axis=0)
                vectors[position] = mean / max(float(np.linalg.norm(mean)), 1e-6)
    skill_ids = dict(Skill.objects.filter(uri__in=list(by_skill_uri)).values_list("uri", "id"))
    as_array = lambda positions: np.array(positions, dtype=np.int64)  # noqa: E731
    index = CitizenIndex(
        key=key,
        citizen_ids=np.array([p.citizen_id for p in profiles], dtype=np.int64),
        user_ids=np.array([user_ids.get(p.citizen_id, 0) for p in profiles], dtype=np.int64),
        municipality_ids=np.array([p.municipality_id for p in profiles], dtype=np.int64),
        lat=np.array([np.nan if p.latitude is None else p.latitude for p in profiles], dtype=np.float64),
        lon=np.array([np.nan if p.longitude is None else p.longitude for p in profiles], dtype=np.float64),
        radius=np.array([p.radius_km for p in profiles], dtype=np.float32),
        hours=np.array([np.nan if p.hours_per_week is None else p.hours_per_week for p in profiles], dtype=np.float32),
        wishes=np.array([sum(WISH_BITS.get(w, 0) for w in set(p.employment_types)) for p in profiles], dtype=np.int64),
        vectors=vectors,
        by_occupation={k: as_array(v) for k, v in by_occupation.items()},
        by_isco4={k: as_array(v) for k, v in by_isco4.items()},
        by_isco3={k: as_array(v) for k, v in by_isco3.items()},
        skills={skill_ids[uri]: as_array(v) for uri, v in by_skill_uri.items() if uri in skill_ids},
    )
    index.build_seconds = time.perf_counter() - started
    return index


def citizen_index(*, force: bool = False) -> CitizenIndex:
    global _index
    with _lock:
        key = _index_key()
        if force or _index is None or _index.key != key:
            _index = build_index()
        return _index


@dataclass
class FanoutReport:
    postings: int = 0
    candidates: int = 0
    above_threshold: int = 0
    notices_created: int = 0
    deliveries_queued: int = 0
    already_fanned_out: int = 0  # postings skipped: another run (or an earlier delivery) did them
    capped: int = 0  # matches left out because the citizen had reached the cap
    # posting id -> citizens above the threshold that were offered a notice (new or already notified)
    matched_per_posting: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


def _posting_rows(posting_ids: list[int]):
    return list(jobs.active_postings().filter(pk__in=posting_ids).values_list(
        "id", "occupation_id", "isco_code", "latitude", "longitude", "hours", "employment_type", "published_at",
        "application_deadline", "title", "employer_name", "city", "occupation__preferred_label"))


FOLLOWED_SCORE = 2.0  # above any score (0..1): a posting the citizen follows is their first notice within the cap
MAX_NOTICES_PER_POSTING_PER_RUN = 1000  # one broad posting must not reach thousands of citizens at once
SCORING_COLUMNS = 64  # postings scored together (memory: candidates x 64 x 7 float32)


def _candidates(index: CitizenIndex, occupation_id, isco) -> tuple[np.ndarray, np.ndarray]:
    """Citizens with at least a related occupation, and their relation (SAME_OCCUPATION .. NEIGHBOURING)."""
    groups = [(index.by_isco3.get(isco[:3]) if isco and len(isco) >= 3 else None, scoring.NEIGHBOURING),
              (index.by_isco4.get(isco) if isco else None, scoring.SAME_ISCO_GROUP),
              (index.by_occupation.get(occupation_id) if occupation_id else None, scoring.SAME_OCCUPATION)]
    groups = [(positions, value) for positions, value in groups if positions is not None]
    if not groups:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    scratch = _scratch(index.size)
    for positions, value in groups:  # closer relations last, so they win
        scratch[positions] = value
    candidates = np.unique(np.concatenate([positions for positions, _ in groups]))
    relations = scratch[candidates].astype(np.int64)
    scratch[candidates] = 0
    return candidates, relations


def score_postings(index: CitizenIndex, rows, *, skills: dict[int, list[tuple[int, str]]],
                   vectors: dict[int, np.ndarray], weights: scoring.Weights, now) -> tuple[np.ndarray, np.ndarray]:
    """(candidate positions, scores of shape (candidates, postings)) for a batch of postings: every part
    is one numpy operation over the whole candidates x postings matrix. Candidates are the citizens
    with at least a related occupation for one of the postings; a pair whose citizen is unrelated to
    that posting scores -inf (never notified). Postings of one ISCO minor group share nearly all
    their candidates, so fan-out scores them together."""
    k = len(rows)
    each = [_candidates(index, row[1], row[2]) for row in rows]
    if not any(len(positions) for positions, _ in each):
        return np.zeros(0, dtype=np.int64), np.zeros((0, k), dtype=np.float32)
    candidates = np.unique(np.concatenate([positions for positions, _ in each]))
    c = len(candidates)
    relations = np.zeros((c, k), dtype=np.int64)
    for j, (positions, relation) in enumerate(each):
        if len(positions):
            relations[np.searchsorted(candidates, positions), j] = relation
    parts = np.empty((c, k, len(scoring.PARTS)), dtype=np.float32)
    parts[:, :, 0] = scoring.occupation_part(relations)
    member = np.zeros(index.size, dtype=np.float32)
    must_total = np.zeros(k, dtype=np.float32)
    nice_total = np.zeros(k, dtype=np.float32)
    must_held = np.zeros((c, k), dtype=np.float32)
    nice_held = np.zeros((c, k), dtype=np.float32)
    for j, row in enumerate(rows):
        for skill_id, importance in skills.get(row[0], []):
            total, held = (must_total, must_held) if importance == "must" else (nice_total, nice_held)
            total[j] += 1
            skill_positions = index.skills.get(skill_id)
            if skill_positions is not None:
                member[skill_positions] = 1.0
                held[:, j] += member[candidates]
                member[skill_positions] = 0.0
    parts[:, :, 1] = scoring.skills_part(must_total[None, :], must_held, nice_total[None, :], nice_held)
    with_vector = [j for j, row in enumerate(rows) if vectors.get(row[0]) is not None]
    parts[:, :, 2] = scoring.NEUTRAL
    if with_vector:
        matrix = np.stack([np.asarray(vectors[rows[j][0]], dtype=np.float32) for j in with_vector], axis=1)
        parts[:, with_vector, 2] = scoring.semantic_part(index.vectors[candidates] @ matrix)
    lat = np.array([np.nan if row[3] is None or row[4] is None else row[3] for row in rows], dtype=np.float64)
    lon = np.array([np.nan if row[3] is None or row[4] is None else row[4] for row in rows], dtype=np.float64)
    radius = index.radius[candidates][:, None]
    distance = scoring.haversine_km(index.lat[candidates][:, None], index.lon[candidates][:, None], lat[None, :],
                                    lon[None, :])
    parts[:, :, 3] = scoring.distance_part(distance, radius)
    today = timezone.localdate()
    age = np.array([max(0.0, (now - row[7]).total_seconds() / 86400) for row in rows], dtype=np.float32)
    to_deadline = np.array([np.nan if row[8] is None else (row[8] - today).days for row in rows], dtype=np.float32)
    parts[:, :, 4] = scoring.recency_part(age, to_deadline)[None, :]
    wanted = index.hours[candidates][:, None]
    has_hours = np.array([bool(row[5]) for row in rows])[None, :]
    full_time = np.array([row[5] == "full_time" for row in rows])[None, :]
    hours_match = np.where(~has_hours | np.isnan(wanted), 0.5, ((wanted >= 30) == full_time).astype(np.float32))
    wishes = index.wishes[candidates][:, None]
    bit = np.array([POSTING_TYPE_BITS.get(row[6] or "", 0) for row in rows], dtype=np.int64)[None, :]
    type_match = np.where((wishes == 0) | (bit == 0), 0.5, ((wishes & bit) > 0).astype(np.float32))
    parts[:, :, 5] = scoring.conditions_part(hours_match, type_match)
    parts[:, :, 6] = scoring.NEUTRAL  # behaviour is never used for notices
    scores = scoring.combine(parts, weights)
    # The radius is the citizen's own wish: a notice never goes beyond it (unknown places may).
    scores = np.where(distance > radius, 0.0, scores).astype(np.float32)
    return candidates, np.where(relations == scoring.UNRELATED, -np.inf, scores).astype(np.float32)


def score_posting(index: CitizenIndex, row, *, skills: list[tuple[int, str]], vector: np.ndarray | None,
                  weights: scoring.Weights, now) -> tuple[np.ndarray, np.ndarray]:
    """(candidate positions, scores) for one posting against every citizen with at least a related occupation."""
    candidates, scores = score_postings(index, [row], skills={row[0]: skills},
                                        vectors={} if vector is None else {row[0]: vector}, weights=weights, now=now)
    return candidates, scores[:, 0]


def _link_template(slug: str) -> tuple[str, str]:
    sentinel = 987654321987
    link = municipal_reverse(slug, "matching:job", kwargs={"posting_id": sentinel})
    before, after = link.split(str(sentinel))
    return before, after


def _serialise_fanout() -> None:
    """Inside the write transaction: one fan-out write at a time. SQLite's transactions already take
    the write lock when they begin (transaction_mode IMMEDIATE); PostgreSQL needs an advisory lock,
    held until the commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FANOUT_LOCK_KEY])


def fanned_out(posting_ids) -> set[int]:
    return set(PostingFanout.objects.filter(posting_id__in=list(posting_ids)).values_list("posting_id", flat=True))


def never_fanned_out(*, older_than: datetime.timedelta, within: datetime.timedelta, limit: int) -> list[int]:
    """Active postings created between `within` and `older_than` ago that have no fan-out mark: their
    message was lost (a worker died and the broker did not redeliver, or the enqueue failed)."""
    now = timezone.now()
    return list(jobs.active_postings()
                .filter(created_at__lte=now - older_than, created_at__gte=now - within)
                .exclude(Exists(PostingFanout.objects.filter(posting_id=OuterRef("pk"))))
                .order_by("created_at", "pk").values_list("pk", flat=True)[:limit])


def _followed_pairs(index: CitizenIndex, rows, number_of: dict[int, int], blocked: np.ndarray,
                    found_positions: list, found_numbers: list, found_scores: list) -> dict[tuple[int, int], str]:
    """Append (citizen position, posting number, FOLLOWED_SCORE) for every follower of a posting of the batch
    and return their reasons ("Du følger Netto") by (position, number). Postings the citizen marked not
    relevant or applied for stay blocked; citizens without a profile are not in the index (no notice)."""
    followers = employers.followers_of_postings(posting_ids=[row[0] for row in rows])
    if not followers:
        return {}
    position_of = {int(cid): p for p, cid in enumerate(index.citizen_ids.tolist())}
    blocked_keys = set(blocked.tolist())
    reasons: dict[tuple[int, int], str] = {}
    for pid, found in followers.items():
        number = number_of[pid]
        for citizen_id, reason in found:
            position = position_of.get(citizen_id)
            if position is not None and position * len(rows) + number not in blocked_keys:
                reasons[(position, number)] = reason
    found_positions.append(np.array([p for p, _n in reasons], dtype=np.int64))
    found_numbers.append(np.array([n for _p, n in reasons], dtype=np.int64))
    found_scores.append(np.full(len(reasons), FOLLOWED_SCORE, dtype=np.float32))
    return reasons


def fanout_postings(*, posting_ids: list[int], index: CitizenIndex | None = None,
                    only_new: bool = False) -> FanoutReport:
    """One batch: score the postings together and queue the notices in one transaction.

    Caps: a posting notifies at most MAX_NOTICES_PER_POSTING_PER_RUN citizens (its best scores); a
    citizen gets at most their municipality's `job_notices_per_day` job notices per NOTICE_CAP_WINDOW,
    counting those already queued (their best first). `only_new`: skip postings already fanned out
    (new postings from an import, the sweep, a redelivered message); without it a changed posting is
    matched again, and only citizens it did not notify before can get a notice."""
    started = time.perf_counter()
    report = FanoutReport()
    requested = sorted(set(posting_ids))
    if only_new:
        done = fanned_out(requested)
        report.already_fanned_out = len(done)
        requested = [pid for pid in requested if pid not in done]
    rows = _posting_rows(requested)
    report.postings = len(rows)
    if not rows:
        return report
    index = index or citizen_index()
    weights = active_weights()
    now = timezone.now()
    vectors = posting_vectors([r[0] for r in rows])
    missing_rows = [r for r in rows if r[0] not in vectors]
    missing = [r[0] for r in missing_rows]
    if missing:
        # Not embedded yet (fan-out runs as soon as the import commits, beside the jobs app's own
        # embedding task): matching's own vector of the posting, its title and occupation (what the
        # feed uses where the jobs app has none; short texts, and the same title embedded once), so
        # the notices do not wait for the jobs app's embedding of the whole description.
        refresh_posting_vectors([(r[0], posting_text(title=r[9], occupation_label=r[12])) for r in missing_rows])
        vectors.update(posting_vectors(missing))
    skills: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pid, sid, importance in PostingSkill.objects.filter(posting_id__in=[r[0] for r in rows]).values_list(
            "posting_id", "skill_id", "importance"):
        skills[pid].append((sid, importance))
    notice_settings = tenancy.notice_settings()
    threshold_of = {m: notice_settings.threshold_of(m) for m in set(index.municipality_ids.tolist())}
    cap_of = {m: notice_settings.cap_of(m) for m in threshold_of}
    threshold_by_position = np.array([threshold_of[m] for m in index.municipality_ids.tolist()], dtype=np.float32)
    cap_by_position = np.array([cap_of[m] for m in index.municipality_ids.tolist()], dtype=np.int64)
    number_of = {row[0]: number for number, row in enumerate(rows)}
    blocked_pairs = set(Interaction.all_tenants.filter(
        posting_id__in=list(number_of), kind__in=[InteractionKind.DISMISS, InteractionKind.APPLY]).values_list(
        "citizen_id", "posting_id"))
    blocked = np.zeros(0, dtype=np.int64)
    if blocked_pairs:
        position_of = {int(cid): p for p, cid in enumerate(index.citizen_ids.tolist())}
        blocked = np.array([position_of[c] * len(rows) + number_of[pid] for c, pid in blocked_pairs
                            if c in position_of], dtype=np.int64)
    # Postings of one ISCO minor group share (nearly) all their candidates: score them together.
    together: dict[tuple, list[int]] = defaultdict(list)
    for number, row in enumerate(rows):
        isco = row[2] or ""
        together[("isco3", isco[:3]) if len(isco) >= 3 else ("occupation", row[1], isco)].append(number)
    found_positions: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    found_numbers: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    found_scores: list[np.ndarray] = [np.zeros(0, dtype=np.float32)]
    for group_numbers in together.values():
        for first in range(0, len(group_numbers), SCORING_COLUMNS):
            group = group_numbers[first:first + SCORING_COLUMNS]
            candidates, scores = score_postings(index, [rows[n] for n in group], skills=skills, vectors=vectors,
                                                weights=weights, now=now)
            if not len(candidates):
                continue
            report.candidates += int(np.isfinite(scores).sum())
            above = scores >= threshold_by_position[candidates][:, None]
            report.above_threshold += int(above.sum())
            for column, number in enumerate(group):
                hit = np.flatnonzero(above[:, column])
                positions, values = candidates[hit], scores[hit, column]
                if len(blocked):
                    keep = ~np.isin(positions * len(rows) + number, blocked)
                    positions, values = positions[keep], values[keep]
                if len(positions) > MAX_NOTICES_PER_POSTING_PER_RUN:
                    best = np.lexsort((positions, -values))[:MAX_NOTICES_PER_POSTING_PER_RUN]
                    positions, values = positions[best], values[best]
                found_positions.append(positions)
                found_numbers.append(np.full(len(positions), number, dtype=np.int64))
                found_scores.append(values)
    # Postings from an employer or occupation field a citizen follows (with notices on): offered to them
    # whatever the score, first within their cap (employers, issue 20).
    follow_reasons = _followed_pairs(index, rows, number_of, blocked, found_positions, found_numbers, found_scores)
    positions = np.concatenate(found_positions)
    numbers = np.concatenate(found_numbers)
    values = np.concatenate(found_scores)
    if follow_reasons:  # one offer per citizen and posting: the followed one wins
        keys = positions * len(rows) + numbers
        order = np.lexsort((-values, keys))
        keys, positions, numbers, values = keys[order], positions[order], numbers[order], values[order]
        unique_pair = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, bool)
        positions, numbers, values = positions[unique_pair], numbers[unique_pair], values[unique_pair]
    # Per citizen: best score first (ties: the later posting of the batch).
    order = np.lexsort((-numbers, -values, positions))
    positions, numbers = positions[order], numbers[order]
    slugs = dict(Municipality.objects.values_list("id", "slug"))
    texts = [(f"{row[9]}"[:200], ", ".join(p for p in (row[10], row[11]) if p)) for row in rows]
    with transaction.atomic():  # one commit per batch: its notices, outbox rows and marks, or none of them
        _serialise_fanout()
        if only_new:  # another worker may have committed these postings while this one scored
            done = fanned_out([row[0] for row in rows])
            if done:
                report.already_fanned_out += len(done)
                keep = ~np.isin(numbers, [number_of[pid] for pid in done])
                positions, numbers = positions[keep], numbers[keep]
        # The cap counts what is already queued within the window (earlier batches and runs).
        already = notifications.notice_counts_since(kind=Kind.JOB_MATCH, since=now - NOTICE_CAP_WINDOW)
        allowance = cap_by_position.copy()
        if already and index.size:
            position_of_user = {int(u): p for p, u in enumerate(index.user_ids.tolist())}
            for user_id, count in already.items():
                position = position_of_user.get(user_id)
                if position is not None:
                    allowance[position] = max(0, int(cap_by_position[position]) - count)
        starts = np.flatnonzero(np.r_[True, positions[1:] != positions[:-1]]) if len(positions) else np.zeros(0, int)
        rank = np.arange(len(positions)) - np.repeat(starts, np.diff(np.r_[starts, len(positions)]))
        chosen = rank < allowance[positions]
        report.capped = int((~chosen).sum())
        positions, numbers = positions[chosen], numbers[chosen]
        templates: dict[int, tuple[str, str]] = {}
        by_municipality: dict[int, list[Notice]] = defaultdict(list)
        for position, municipality_id, user_id, number in zip(
                positions.tolist(), index.municipality_ids[positions].tolist(), index.user_ids[positions].tolist(),
                numbers.tolist(), strict=True):
            template = templates.get(municipality_id)
            if template is None:
                template = templates[municipality_id] = _link_template(slugs[municipality_id])
            pid = rows[number][0]
            title, body = texts[number]
            reason = follow_reasons.get((position, number))
            if reason:
                body = f"{reason} · {body}"[:500]
            by_municipality[municipality_id].append(Notice(
                citizen_user_id=user_id, kind=Kind.JOB_MATCH, subject_key=f"posting:{pid}", title=title, body=body,
                link=f"{template[0]}{pid}{template[1]}"))
        for municipality_id, notices in by_municipality.items():
            result = notify_many(municipality_id=municipality_id, notices=notices)
            report.notices_created += result.notifications_created
            report.deliveries_queued += result.deliveries_queued
        per_posting = dict(zip(*(a.tolist() for a in np.unique(numbers, return_counts=True)), strict=True))
        PostingFanout.objects.bulk_create(
            [PostingFanout(posting_id=row[0], fanned_out_at=now, notices=per_posting.get(number, 0))
             for number, row in enumerate(rows)], ignore_conflicts=True, batch_size=1000)
    for number, count in per_posting.items():
        report.matched_per_posting[rows[int(number)][0]] = int(count)
    report.seconds = time.perf_counter() - started
    return report


def fanout_run(*, posting_ids: list[int], only_new: bool = True, batch_size: int | None = None,
               index: CitizenIndex | None = None) -> list[FanoutReport]:
    """A whole run (one import's postings) in batches of `batch_size`, in order; what each task does
    for its share, and what the benchmark measures."""
    from django.conf import settings

    size = batch_size or settings.MATCHING_FANOUT_BATCH_SIZE
    ids = sorted(set(posting_ids))
    return [fanout_postings(posting_ids=ids[start:start + size], index=index, only_new=only_new)
            for start in range(0, len(ids), size)]
