"""Build one citizen's feed: candidates, scored parts, reasons, deliberate widening.

Two stages keep a request cheap with 50,000 active postings: cheap parts (occupation, distance,
recency, conditions, signals) for every candidate, as vector operations over the jobs catalogue
(the active postings' facts in process memory, ADR 23), then skills and text meaning for the best
300 only, and reasons for the shown few.
"""

from __future__ import annotations

import datetime
import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils import timezone, translation

from jobunivers.core.memo import BoundedMemo
from jobunivers.jobs import selectors as jobs
from jobunivers.jobs.models import PostingSkill
from jobunivers.taxonomy.models import Skill
from jobunivers.taxonomy.selectors import label_of as taxonomy_label

from . import scoring
from .contracts import FeedItem, FeedResult, Reason
from .models import Interaction, InteractionKind, RankingModel
from .vectors import posting_vectors, profile_text, text_vector

CANDIDATE_LIMIT = 4000
SECOND_STAGE = 300
WIDENING_SLOTS = 3  # of a feed of 20, at most this many come from neighbouring occupations on purpose


def active_weights() -> scoring.Weights:
    """The learned model when one is active (it beat hand-set on held-out data), else hand-set."""
    model = RankingModel.objects.filter(is_active=True).order_by("-trained_at").first()
    if model is None:
        return scoring.HAND_SET
    return scoring.Weights(**{part: float(model.weights.get(part, 0.0)) for part in scoring.PARTS},
                           version=model.version)


@dataclass
class Candidates:
    ids: np.ndarray
    relation: np.ndarray
    distance: np.ndarray
    age_days: np.ndarray
    days_to_deadline: np.ndarray
    hours_match: np.ndarray  # scoring.hours_match per candidate
    type_match: np.ndarray  # scoring.type_match per candidate
    isco: np.ndarray  # int ISCO-08 unit group, -1 where none
    snapshot: tuple = ()  # the catalogue's (version, build time) the candidates come from


def _table(values: tuple[str, ...], rule) -> np.ndarray:
    """rule(value) for every value a text facet has, indexable by the catalogue's codes."""
    return np.array([rule(value) for value in values] or [0.5], dtype=np.float32)


def _candidates(profile, *, exclude: set[int], today: datetime.date, catalogue=None) -> Candidates:
    """Postings in the citizen's trades (same occupation, unit group or minor group) or near home,
    newest first, up to CANDIDATE_LIMIT: vector operations over the jobs catalogue."""
    catalogue = catalogue if catalogue is not None else jobs.posting_catalogue()
    occupation_ids = sorted(profile.occupation_ids)
    codes = [code for code in profile.isco_codes if code]
    isco4 = sorted({int(code) for code in codes if len(code) == 4 and code.isdigit()})
    isco3 = sorted({int(code[:3]) for code in codes if len(code) >= 3 and code[:3].isdigit()})
    same_occupation = catalogue.mask_with("occupation", occupation_ids)
    same_group = catalogue.mask_with("isco", isco4)
    neighbouring = catalogue.mask_with("isco3", isco3)
    wanted = same_occupation | same_group | neighbouring
    if profile.latitude is not None and profile.longitude is not None:
        # A bounding box around the home within the radius (refined by the exact distance below).
        dlat = profile.radius_km / 111.0
        dlon = profile.radius_km / (111.0 * max(0.2, math.cos(math.radians(profile.latitude))))
        wanted |= ((catalogue.latitude >= profile.latitude - dlat) & (catalogue.latitude <= profile.latitude + dlat)
                   & (catalogue.longitude >= profile.longitude - dlon) & (catalogue.longitude <= profile.longitude + dlon))
    positions = np.nonzero(wanted)[0]
    if exclude:
        positions = positions[~np.isin(catalogue.ids[positions], np.fromiter(exclude, dtype=np.int64))]
    if len(positions) > CANDIDATE_LIMIT:
        newest = catalogue.newest_rank[positions]
        positions = positions[np.argpartition(newest, CANDIDATE_LIMIT - 1)[:CANDIDATE_LIMIT]]
    positions = positions[np.argsort(catalogue.newest_rank[positions], kind="stable")]
    relation = np.full(len(positions), scoring.UNRELATED, dtype=np.int64)
    relation[neighbouring[positions]] = scoring.NEIGHBOURING
    relation[same_group[positions]] = scoring.SAME_ISCO_GROUP
    relation[same_occupation[positions]] = scoring.SAME_OCCUPATION
    lat, lon = catalogue.latitude[positions], catalogue.longitude[positions]
    if profile.latitude is None or profile.longitude is None:
        distance = np.full(len(positions), np.nan, dtype=np.float32)
    else:
        distance = scoring.haversine_km(profile.latitude, profile.longitude, lat, lon)
    days_to_deadline = catalogue.days_to_deadline(positions, today)
    hours = _table(catalogue.hours_values, lambda h: scoring.hours_match(
        wanted_hours_per_week=profile.hours_per_week, posting_hours=h))[catalogue.hours[positions]]
    types = _table(catalogue.employment_type_values, lambda t: scoring.type_match(
        wanted=profile.employment_types, posting_type=t))[catalogue.employment_type[positions]]
    return Candidates(
        ids=catalogue.ids[positions], relation=relation, distance=distance,
        age_days=((timezone.now().timestamp() - catalogue.published[positions]) / 86400).astype(np.float32),
        days_to_deadline=days_to_deadline.astype(np.float32), hours_match=hours, type_match=types,
        isco=catalogue.isco[positions], snapshot=(catalogue.version, catalogue.built_at),
    )


Signals = tuple[tuple[bool, int, int], ...]  # (dismissed, ISCO-08 unit group, count), sorted


def signal_counts(citizen_id: int) -> Signals:
    """The citizen's behaviour as (dismissed, ISCO-08 unit group, count), sorted: saves and applications
    (dismissed False) and "not relevant" marks (True) per unit group of the posting."""
    counts: Counter[tuple[bool, int]] = Counter()
    rows = Interaction.objects.filter(citizen_id=citizen_id, kind__in=[
        InteractionKind.SAVE, InteractionKind.APPLY, InteractionKind.DISMISS]).values_list("kind", "posting__isco_code")
    for kind, code in rows:
        if code and len(code) == 4 and code.isdigit():
            counts[(kind == InteractionKind.DISMISS, int(code))] += 1
    return tuple(sorted((dismissed, code, count) for (dismissed, code), count in counts.items()))


def _signals(counts: Signals, isco: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate: the citizen's saves and applications (positive) and "not relevant" marks
    (negative) on postings of the same ISCO-08 unit group."""
    positive = np.zeros(len(isco), dtype=np.float32)
    negative = np.zeros(len(isco), dtype=np.float32)
    for dismissed, code, count in counts:
        (negative if dismissed else positive)[isco == code] += count
    return positive, negative


_skills_lock = threading.Lock()
_skills_memo: dict = {"snapshot": None, "rows": OrderedDict()}
SKILLS_MEMO_POSTINGS = 20_000  # postings whose skill rows are kept (a few rows each)


def _posting_skill_rows(posting_ids: list[int], snapshot: tuple) -> dict[int, tuple]:
    """Per posting its (skill id, importance, label, Danish label) rows. Kept in process memory per
    catalogue snapshot, as the vectors are (vectors.posting_vectors): a posting's skills change only with
    the posting, which changes the catalogue, and every feed reads the same few hundred best postings."""
    with _skills_lock:
        if _skills_memo["snapshot"] != snapshot:
            _skills_memo["snapshot"], _skills_memo["rows"] = snapshot, OrderedDict()
        memo: OrderedDict = _skills_memo["rows"]
        result = {pid: memo[pid] for pid in posting_ids if pid in memo}
        for pid in result:
            memo.move_to_end(pid)
        missing = [pid for pid in posting_ids if pid not in memo]
    if missing:
        loaded: dict[int, list] = {pid: [] for pid in missing}
        for start in range(0, len(missing), 900):
            for pid, *row in PostingSkill.objects.filter(posting_id__in=missing[start:start + 900]).values_list(
                    "posting_id", "skill_id", "importance", "skill__preferred_label", "skill__preferred_label_da"):
                loaded[pid].append(tuple(row))
        fresh = {pid: tuple(rows) for pid, rows in loaded.items()}
        result.update(fresh)
        if snapshot:
            with _skills_lock:
                if _skills_memo["snapshot"] == snapshot:
                    memo = _skills_memo["rows"]
                    memo.update(fresh)
                    while len(memo) > SKILLS_MEMO_POSTINGS:
                        memo.popitem(last=False)
    return result


def _skills(profile, posting_ids: list[int], *, snapshot: tuple = ()) -> dict[int, dict]:
    """Per posting: must/nice totals, matched counts and the labels of missing must-haves."""
    have = set(Skill.objects.filter(uri__in=list(profile.skill_uris)).values_list("id", flat=True)) if profile.skill_uris else set()
    result: dict[int, dict] = {pid: {"must": 0, "must_hit": 0, "nice": 0, "nice_hit": 0, "missing": [], "hit": []}
                               for pid in posting_ids}
    rows = _posting_skill_rows(posting_ids, snapshot)
    for pid, skill_id, importance, label, label_da in ((p, *row) for p in posting_ids for row in rows[p]):
        label = taxonomy_label({"preferred_label": label, "preferred_label_da": label_da}).text  # reasons quote it
        entry = result[pid]
        matched = skill_id in have
        if importance == "must":
            entry["must"] += 1
            entry["must_hit"] += int(matched)
            if not matched:
                entry["missing"].append(label)
        else:
            entry["nice"] += 1
            entry["nice_hit"] += int(matched)
        if matched:
            entry["hit"].append(label)
    return result


def score_profile(profile, *, citizen_id: int, personalised: bool, exclude: set[int], weights: scoring.Weights,
                  signals: Signals, today: datetime.date | None = None, catalogue=None):
    """(candidates, parts matrix (n, len(PARTS)), scores, skills info) for one profile. `signals`: the
    citizen's signal_counts (only used when `personalised`)."""
    today = today or timezone.localdate()
    c = _candidates(profile, exclude=exclude, today=today, catalogue=catalogue)
    n = len(c.ids)
    parts = np.full((n, len(scoring.PARTS)), scoring.NEUTRAL, dtype=np.float32)
    index = {part: position for position, part in enumerate(scoring.PARTS)}
    parts[:, index["occupation"]] = scoring.occupation_part(c.relation)
    parts[:, index["distance"]] = scoring.distance_part(c.distance, profile.radius_km)
    parts[:, index["recency"]] = scoring.recency_part(c.age_days, c.days_to_deadline)
    parts[:, index["conditions"]] = scoring.conditions_part(c.hours_match, c.type_match)
    positive, negative = _signals(signals if personalised else (), c.isco)
    parts[:, index["signals"]] = scoring.signals_part(positive, negative)
    scores = scoring.combine(parts, weights)
    # Second stage: skills and meaning for the best few hundred.
    top = np.argsort(-scores)[:SECOND_STAGE]
    top_ids = [int(c.ids[i]) for i in top]
    skills = _skills(profile, top_ids, snapshot=c.snapshot)
    vectors = posting_vectors(top_ids, snapshot=c.snapshot)
    citizen_vector = text_vector(profile_text(profile))
    counts = np.array([[skills[pid]["must"], skills[pid]["must_hit"], skills[pid]["nice"], skills[pid]["nice_hit"]]
                       for pid in top_ids], dtype=np.float32).reshape(len(top_ids), 4)
    parts[top, index["skills"]] = scoring.skills_part(counts[:, 0], counts[:, 1], counts[:, 2], counts[:, 3])
    have = [k for k, pid in enumerate(top_ids) if pid in vectors]
    if citizen_vector is not None and have:
        matrix = np.vstack([vectors[top_ids[k]] for k in have])
        parts[top[have], index["semantic"]] = scoring.semantic_part(matrix @ citizen_vector)
    scores = scoring.combine(parts, weights)
    # Beyond the radius, and with an unrelated occupation, a posting is not a recommendation at all.
    unrelated_far = (c.relation == scoring.UNRELATED) & (parts[:, index["distance"]] == 0.0)
    scores = np.where(unrelated_far, 0.0, scores)
    expired = c.days_to_deadline < 0
    scores = np.where(expired, 0.0, scores)
    return c, parts, scores, skills


def select(c: Candidates, scores: np.ndarray, *, limit: int) -> list[tuple[int, bool]]:
    """Indices to show and whether each is a deliberate widening: the best by score, with up to
    WIDENING_SLOTS reserved for the best neighbouring-occupation postings."""
    order = np.argsort(-scores, kind="stable")
    order = order[scores[order] > 0]
    is_neighbour = c.relation[order] == scoring.NEIGHBOURING
    neighbours = [int(i) for i in order[is_neighbour][:limit]]
    others = [int(i) for i in order[~is_neighbour][:limit]]
    chosen = others[:max(0, limit - min(WIDENING_SLOTS, len(neighbours)))]
    widen = neighbours[:limit - len(chosen)]
    merged = sorted(chosen + widen, key=lambda i: -scores[i])
    return [(i, bool(c.relation[i] == scoring.NEIGHBOURING)) for i in merged[:limit]]


def _render(drafts_per_item: list[list[tuple[str, Callable[[], str], bool]]]) -> list[tuple[Reason, ...]]:
    """Every item's reasons in Danish and English, switching language twice per feed, not per reason."""
    with translation.override("da"):
        danish = [[str(build()) for _, build, _ in drafts] for drafts in drafts_per_item]
    with translation.override("en"):
        english = [[str(build()) for _, build, _ in drafts] for drafts in drafts_per_item]
    return [tuple(Reason(part=part, text_da=da, text_en=en, positive=positive)
                  for (part, _, positive), da, en in zip(drafts, das, ens, strict=True))
            for drafts, das, ens in zip(drafts_per_item, danish, english, strict=True)]


def reasons_for(**facts) -> tuple[Reason, ...]:
    """The reasons for one recommended job, in Danish and English (see _draft_reasons for the facts)."""
    return _render([_draft_reasons(**facts)])[0]


def _draft_reasons(*, profile, relation: int, occupation_label: str, parts: dict[str, float], skills: dict,
                   distance_km: float | None, age_days: float, deadline: datetime.date | None,
                   today: datetime.date, personalised: bool) -> list[tuple[str, Callable[[], str], bool]]:
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    reasons: list[tuple[str, Callable[[], str], bool]] = []

    def add(part: str, builder, positive: bool = True) -> None:
        reasons.append((part, builder, positive))

    def shown(o) -> str:  # the occupation's label in the page's language (Danish where one exists)
        return taxonomy_label({"preferred_label": o.label, "preferred_label_da": o.label_da}).text

    wished = {o.occupation_id: shown(o) for o in profile.occupations}
    isco_label = {o.isco_code: shown(o) for o in profile.occupations if o.isco_code}
    sought = next(iter(wished.values()), occupation_label)
    if relation == scoring.SAME_OCCUPATION:
        add("occupation", lambda: _("Matches your wish to work as %(occupation)s") % {"occupation": occupation_label})
    elif relation == scoring.SAME_ISCO_GROUP:
        add("occupation", lambda: _("In the same occupational group as %(occupation)s, which you seek") % {
            "occupation": sought})
    elif relation == scoring.NEIGHBOURING:
        near = next((label for code, label in isco_label.items()), sought)
        add("occupation", lambda: _("A related trade to %(occupation)s: shown to widen your search") % {
            "occupation": near})
    if skills["hit"]:
        add("skills", lambda: _("Asks for %(skills)s, which you have") % {"skills": ", ".join(skills["hit"][:3])})
    for label in skills["missing"][:2]:
        add("skills", lambda label=label: _("Requires %(skill)s, which you have not listed") % {"skill": label},
            positive=False)
    if parts["semantic"] >= 0.6:
        add("semantic", lambda: _("The ad resembles what you wrote about the work you seek"))
    if distance_km is not None and not math.isnan(distance_km):
        km = max(1, round(distance_km))
        if distance_km <= profile.radius_km:
            add("distance", lambda: ngettext("%(km)d km from your home", "%(km)d km from your home", km) % {"km": km})
        else:
            add("distance", lambda: _("%(km)d km from your home, beyond your %(radius)d km") % {
                "km": km, "radius": profile.radius_km}, positive=False)
    days = int(age_days)
    if deadline is not None and 0 <= (deadline - today).days <= 7:
        left = (deadline - today).days
        add("recency", lambda: ngettext("Apply within %(days)d day", "Apply within %(days)d days", left) % {
            "days": left} if left else _("Last day to apply is today"))
    elif days <= 7:
        add("recency", lambda: _("New: posted today") if days == 0 else ngettext(
            "New: posted %(days)d day ago", "New: posted %(days)d days ago", days) % {"days": days})
    if parts["conditions"] >= 0.99:
        add("conditions", lambda: _("Fits the hours and type of job you want"))
    elif parts["conditions"] <= 0.21:
        add("conditions", lambda: _("Does not fit the hours or type of job you want"), positive=False)
    if personalised and parts["signals"] >= 0.7:
        add("signals", lambda: _("Like jobs you have saved or applied for"))
    elif personalised and parts["signals"] <= 0.3:
        add("signals", lambda: _("You marked similar jobs as not relevant"), positive=False)
    return reasons


def _feed_memo_size() -> int:
    return int(getattr(settings, "MATCHING_FEED_CACHE", 2_000))


# citizen id -> (inputs, {limit: feed}): the start page shows 3, "Job til dig" 20, staff 5.
_feeds: BoundedMemo[tuple[tuple, dict[int, FeedResult]]] = BoundedMemo(_feed_memo_size)


def clear_feed_memo() -> None:
    _feeds.clear()


def build_feed(*, profile, citizen_id: int, personalised: bool, exclude: set[int], saved: set[int],
               limit: int = 20, weights: scoring.Weights | None = None) -> FeedResult:
    """The citizen's ranked feed. Kept in process memory per citizen and length, for at most
    MATCHING_FEED_CACHE citizens (default 2,000, least recently used dropped first), and given again
    only while everything it was built from is the same: the profile, the hidden and saved postings,
    consent, the behaviour signals, the weights, the page's language, the date and the jobs catalogue
    (its version changes with any posting, and it is rebuilt at least every JOBS_CATALOGUE_MAX_AGE
    seconds, which also bounds how old a posting's "days ago" can be). A citizen going between the
    start page and "Job til dig", or a consultant opening the citizen's page, is then not scored again."""
    weights = weights or active_weights()
    today = timezone.localdate()
    catalogue = jobs.posting_catalogue()
    signals = signal_counts(citizen_id) if personalised else ()
    inputs = (profile, frozenset(exclude), frozenset(saved), personalised, signals, weights,
              translation.get_language(), today, catalogue.version, catalogue.built_at)
    known = _feeds.get(citizen_id)
    if known is not None and known[0] == inputs and limit in known[1]:
        return known[1][limit]
    result = _built_feed(profile=profile, citizen_id=citizen_id, personalised=personalised, exclude=exclude,
                         saved=saved, limit=limit, weights=weights, today=today, signals=signals,
                         catalogue=catalogue)
    known = _feeds.get(citizen_id)
    lengths = dict(known[1]) if known is not None and known[0] == inputs else {}
    lengths[limit] = result
    _feeds.put(citizen_id, (inputs, lengths))
    return result


def _built_feed(*, profile, citizen_id: int, personalised: bool, exclude: set[int], saved: set[int], limit: int,
                weights: scoring.Weights, today: datetime.date, signals: Signals, catalogue) -> FeedResult:
    c, parts, scores, skills = score_profile(profile, citizen_id=citizen_id, personalised=personalised,
                                             exclude=exclude, weights=weights, today=today, signals=signals,
                                             catalogue=catalogue)
    picked = select(c, scores, limit=limit)
    summaries = {s.id: s for s in jobs.posting_summaries(posting_ids=[int(c.ids[i]) for i, _ in picked],
                                                         with_skills=False)}
    shown, drafts = [], []
    for position, widened in picked:
        pid = int(c.ids[position])
        summary = summaries.get(pid)
        if summary is None or summary.status != "active":  # withdrawn since the catalogue was read
            continue
        part_values = {part: round(float(parts[position, k]), 4) for k, part in enumerate(scoring.PARTS)}
        distance = None if np.isnan(c.distance[position]) else float(c.distance[position])
        drafts.append(_draft_reasons(
            profile=profile, relation=int(c.relation[position]),
            occupation_label=summary.occupation_label or summary.title, parts=part_values,
            skills=skills.get(pid, {"hit": [], "missing": []}), distance_km=distance,
            age_days=float(c.age_days[position]), deadline=summary.application_deadline, today=today,
            personalised=personalised))
        shown.append((position, widened, summary, part_values, distance))
    items = [FeedItem(
        posting_id=summary.id, title=summary.title, employer_name=summary.employer_name, city=summary.city,
        score=round(float(scores[position]), 4), parts=part_values, reasons=reasons, widened=bool(widened),
        saved=summary.id in saved, distance_km=distance, application_deadline=summary.application_deadline,
        published_at=summary.published_at)
        for (position, widened, summary, part_values, distance), reasons in zip(shown, _render(drafts), strict=True)]
    return FeedResult(citizen_id=citizen_id, model_version=weights.version, items=tuple(items),
                      personalised=personalised)
