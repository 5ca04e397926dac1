"""Reads of reference data: postcodes and places, ESCO occupations and skills, embeddings.

Look-up of occupations and skills ranks Danish labels first (official ESCO or the project's
own translations, see taxonomy/data/danish/), then alternative titles, then meaning: occupations by
their Danish labels and the project's Danish job titles (inside Danish compounds too), then ESCO's
English labels, weighed together with multilingual semantic similarity over cached vectors; skills
by labels, then semantic neighbours (see docs/adr/0021). Labels are shown through `label_of`.
"""

from __future__ import annotations

import bisect
import math
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import connection, models
from django.db.models import Q, QuerySet

from . import embeddings
from .contracts import ConceptMatch, GeoPoint
from .labels import ConceptLabel, active_language, alt_labels_of, label_of
from .models import ConceptStatus, DanishJobTitle, IscoGroup, Occupation, Postcode, Skill, SkillGroup

# re-exported for other apps (they import the taxonomy through its selectors)
__all__ = ["ConceptLabel", "label_of", "alt_labels_of", "active_language"]

embed_texts = embeddings.embed_texts
model_version = embeddings.model_version
DIMENSIONS = embeddings.DIMENSIONS


# --- geography -------------------------------------------------------------------------------------


def postcodes_in_municipality(*, municipality_code: str) -> QuerySet[Postcode]:
    return Postcode.objects.filter(municipality_code=municipality_code).order_by("code")


def get_postcode(*, code: str) -> Postcode | None:
    return Postcode.objects.filter(code=code).first()


def all_postcodes() -> list[Postcode]:
    return list(Postcode.objects.order_by("code"))


POSTCODE_IN_TEXT = re.compile(r"\b(\d{4})\b")


def resolve_place(text: str) -> GeoPoint | None:
    """A point for a postcode ("8000"), "8000 Aarhus C", an address containing a postcode
    ("Banegårdspladsen 1, 8000 Aarhus C") or a postcode name ("Aarhus C"). None if unknown.

    Addresses resolve to their postcode's centre point: the platform keeps no address
    register, and a radius search in kilometres does not need door-level precision.
    """
    text = (text or "").strip()
    if not text:
        return None
    match = POSTCODE_IN_TEXT.search(text)
    if match:
        return point_of_postcode(code=match.group(1))
    name = text.split(",")[-1].strip()
    postcode = Postcode.objects.filter(name__iexact=name).order_by("code").first()
    return _point(postcode) if postcode is not None else None


def _point(postcode: Postcode) -> GeoPoint:
    return GeoPoint(latitude=postcode.latitude, longitude=postcode.longitude, label=str(postcode),
                    postcode=postcode.code, municipality_code=postcode.municipality_code)


_POINT_SECONDS = 300.0
_register: tuple[float, dict[str, GeoPoint]] | None = None  # (read at, code -> point): the whole register


def point_of_postcode(*, code: str) -> GeoPoint | None:
    """The postcode's centre. The whole register (about 1,100 postcodes, one statement) is held per
    process for five minutes: every job search and feed asks, for any of the country's postcodes, and
    postcodes change about once a year; an import clears it (`clear_place_cache`). A code the register
    lacks is None without asking the database again."""
    global _register
    now = time.monotonic()
    held = _register
    if held is None or now - held[0] >= _POINT_SECONDS:
        held = (now, {postcode.code: _point(postcode) for postcode in Postcode.objects.all()})
        _register = held
    return held[1].get(code)


def clear_place_cache() -> None:
    global _register
    _register = None


# --- concepts --------------------------------------------------------------------------------------


def get_occupation(*, occupation_id: int) -> Occupation | None:
    return Occupation.objects.select_related("isco_group", "replaced_by").filter(pk=occupation_id).first()


def get_occupation_by_uri(*, uri: str) -> Occupation | None:
    """Resolves deprecated concepts too (they are kept, never deleted)."""
    return Occupation.objects.filter(uri=uri).first()


def get_skill_by_uri(*, uri: str) -> Skill | None:
    return Skill.objects.filter(uri=uri).first()


def occupation_ids_by_esco_code(codes) -> dict[str, int]:
    """ESCO code ("2512.4") -> the occupation's id, for the codes that name exactly one occupation (a released
    one before a deprecated one with the same code); unknown codes are left out."""
    found: dict[str, tuple[bool, int]] = {}
    for pk, code, status in Occupation.objects.filter(esco_code__in=[c for c in set(codes) if c]).order_by(
            "pk").values_list("pk", "esco_code", "status"):
        released = status == ConceptStatus.RELEASED
        if code not in found or (released and not found[code][0]):
            found[code] = (released, pk)
    return {code: pk for code, (_released, pk) in found.items()}


def get_isco_group(*, code: str) -> IscoGroup | None:
    return IscoGroup.objects.filter(code=code).first()


def occupations_in_isco(*, code_prefix: str) -> QuerySet[Occupation]:
    return Occupation.objects.filter(isco_code__startswith=code_prefix, status=ConceptStatus.RELEASED)


def danish_job_titles() -> list[DanishJobTitle]:
    """The project's Danish job titles with their ESCO occupation (None where ESCO is not imported)."""
    return list(DanishJobTitle.objects.select_related("occupation").order_by("title"))


def occupation_text(occupation: Occupation) -> str:
    """The text embedded for an occupation: labels first (what users type), then the description's start."""
    labels = ", ".join([occupation.preferred_label, *occupation.alt_labels[:6]])
    return f"{labels}. {occupation.description[:150]}".strip()


def skill_text(skill: Skill) -> str:
    return (skill.search_text or f"{skill.preferred_label}. {skill.description}")[:600]


# Within one reading request (GET or HEAD) the taxonomy is read as it was at the request's first
# look-up: a job search asks about several words, and on PostgreSQL each freshness statement cost
# 1.2-3.6 ms (planning six subqueries, counting 3,007 occupations). Other requests, tasks and
# commands ask every time. Set and cleared by the request signals (apps.py).
_request_freshness: ContextVar[dict | None] = ContextVar("taxonomy_request_freshness", default=None)


def request_started(*, environ: Mapping | None = None, **kwargs) -> None:
    method = (environ or {}).get("REQUEST_METHOD", "")
    _request_freshness.set({} if method in ("GET", "HEAD") else None)


def request_finished(**kwargs) -> None:
    _request_freshness.set(None)


def _freshness(*parts: tuple[type[models.Model], str]) -> tuple:
    """One statement of scalar subqueries, e.g. (COUNT(*), MAX(id), MAX(updated_at)) per table: each is
    answered from an index (the primary key, the `updated_at` index) instead of one aggregate that reads
    every row. Asked on every look-up (once per reading request), so it sits on the search path (ADR 0067)."""
    memo = _request_freshness.get()
    key = (connection.alias, tuple((model._meta.label, aggregates) for model, aggregates in parts))
    if memo is not None and key in memo:
        return memo[key]
    found = _read_freshness(*parts)
    if memo is not None:
        memo[key] = found
    return found


def _read_freshness(*parts: tuple[type[models.Model], str]) -> tuple:
    quote = connection.ops.quote_name
    selects = []
    for model, aggregates in parts:
        table = quote(model._meta.db_table)
        # table names and aggregates are constants of this module, never input
        selects += [f"(SELECT {aggregate} FROM {table})" for aggregate in aggregates.split(";")]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects))
        return tuple(cursor.fetchone())


_CONCEPT_AGGREGATES = 'COUNT(*);MAX("id");MAX("updated_at")'


def _concepts_key(model) -> tuple:
    """Changes when a concept is added, removed or edited (`updated_at` is `auto_now`), or the model changes."""
    return (model_version(), *_freshness((model, _CONCEPT_AGGREGATES)))


class _VectorIndex:
    """Concept vectors held in process memory.

    Reloaded when the concepts or the model version change. While some concepts have no cached
    vector yet (the background job is still embedding), the cache is checked again on each use and
    only the missing vectors are read. A complete index never looks at the cache again: every
    look-up caches its own query vector, so watching the cache's size would reload the whole
    index after every new query.
    """

    def __init__(self, model, text_of: Callable, fields: Sequence[str], kind: str = "passage"):
        self.model, self.text_of, self.fields, self.kind = model, text_of, tuple(fields), kind
        self.key: tuple | None = None
        self.ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self.matrix: np.ndarray = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._texts: list[str] = []
        self._ids_all: list[int] = []
        self._found: dict[int, np.ndarray] = {}
        self._cache_size = -1
        self.lock = threading.Lock()

    def _key(self) -> tuple:
        return _concepts_key(self.model)

    def load(self, *, key: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, matrix); `key` is `_key()` when the caller has just read it."""
        from .models import Embedding

        key = key or self._key()
        with self.lock:
            if key != self.key:
                concepts = list(self.model.objects.filter(status=ConceptStatus.RELEASED).only("id", *self.fields))
                self._texts = [self.text_of(c) for c in concepts]
                self._ids_all = [c.pk for c in concepts]
                self._found, self._cache_size, self.key = {}, -1, key
                self.ids = np.zeros(0, dtype=np.int64)
                self.matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
            if len(self._found) < len(self._texts):
                size = Embedding.objects.filter(model_version=key[0]).count()
                if size != self._cache_size:
                    missing = [i for i in range(len(self._texts)) if i not in self._found]
                    found = embeddings.cached_vectors([self._texts[i] for i in missing], kind=self.kind)
                    self._found.update({missing[i]: vector for i, vector in found.items()})
                    positions = sorted(self._found)
                    self.ids = np.array([self._ids_all[i] for i in positions], dtype=np.int64)
                    self.matrix = (np.vstack([self._found[i] for i in positions]) if positions
                                   else np.zeros((0, DIMENSIONS), dtype=np.float32))
                    self._cache_size = size
            return self.ids, self.matrix


def occupation_label(occupation: Occupation) -> str:
    """The second text embedded for an occupation: its Danish preferred label (else ESCO's) alone,
    embedded as a query (e5's prefix for short texts compared with short texts), for look-ups of
    short Danish job titles."""
    return occupation.preferred_label_da or occupation.preferred_label


_occupation_index = _VectorIndex(Occupation, occupation_text, ["preferred_label", "alt_labels", "description"])
_occupation_label_index = _VectorIndex(Occupation, occupation_label, ["preferred_label", "preferred_label_da"], kind="query")
_skill_index = _VectorIndex(Skill, skill_text, ["preferred_label", "alt_labels", "description", "search_text"])


def occupation_vectors() -> tuple[np.ndarray, np.ndarray]:
    """(ids, matrix) of released occupations whose vectors are cached (see `embed_occupations`)."""
    return _occupation_index.load()


def skill_vectors() -> tuple[np.ndarray, np.ndarray]:
    """(ids, matrix) of released skills whose vectors are cached (see `embed_skills`)."""
    return _skill_index.load()


def embed_occupations(*, progress: Callable[[str], None] | None = None) -> int:
    """Cache the vectors the occupation look-up uses: each released occupation's text (passage) and
    preferred label (query). Returns the number of occupations."""
    occupations = list(Occupation.objects.filter(status=ConceptStatus.RELEASED))
    _embed_in_chunks([occupation_text(o) for o in occupations], progress)
    _embed_in_chunks([occupation_label(o) for o in occupations], progress, kind="query")
    return len(occupations)


def embed_skills(*, progress: Callable[[str], None] | None = None) -> int:
    skills = list(Skill.objects.filter(status=ConceptStatus.RELEASED).only("id", "preferred_label", "description", "search_text"))
    return _embed_in_chunks([skill_text(s) for s in skills], progress)


def _embed_in_chunks(texts: Sequence[str], progress, *, kind: str = "passage") -> int:
    for start in range(0, len(texts), 1000):
        embed_texts(texts[start:start + 1000], kind=kind)
        if progress:
            progress(f"  {min(start + 1000, len(texts))}/{len(texts)}")
    return len(texts)


QUERY_VECTOR_SECONDS = 3600


def _query_vector(text: str, version: str) -> np.ndarray:
    """The query's vector: from Django's cache (bounded: locmem's MAX_ENTRIES, Redis's expiry), else
    the embedding table, else the model. Never written to the database: the texts are whatever
    anonymous visitors type (every prefix of a typeahead), so storing them would let anyone grow
    the table. `version` keys it to the model."""
    key = f"taxonomy:qv:{embeddings.text_hash(text, 'query')}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return np.frombuffer(cached, dtype=np.float32)
    vector = embed_texts([text], kind="query", store=False)[0]
    cache.set(key, vector.astype(np.float32).tobytes(), QUERY_VECTOR_SECONDS)
    return vector


def _label_rank(query: str, labels: list[str]) -> tuple[int, str] | None:
    """0 preferred exact, 1 preferred prefix, 2 alternative exact, 3 alternative prefix, 4 word prefix, 5 contains."""
    best: tuple[int, str] | None = None
    for position, label in enumerate(labels):
        low = label.lower()
        if low == query:
            rank = 0 if position == 0 else 2
        elif low.startswith(query):
            rank = 1 if position == 0 else 3
        elif f" {query}" in f" {low}":
            rank = 4
        elif query in low:
            rank = 5
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, label)
    return best


def _semantic(query: str, index: _VectorIndex, exclude: set[int], limit: int) -> list[tuple[int, float]]:
    ids, matrix = index.load()
    if not len(ids) or limit <= 0:
        return []
    scores = matrix @ _query_vector(query, model_version())
    if exclude:
        scores = np.where(np.isin(ids, list(exclude)), -np.inf, scores)
    top = np.argpartition(-scores, min(limit, len(scores) - 1))[:limit]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(ids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]


# --- occupation look-up ------------------------------------------------------------------------------
#
# Danish input meets English ESCO labels and the project's short list of Danish titles. Both kinds of
# name are matched word by word, and inside Danish compounds: a title can be the head of a longer
# word ("operationssygeplejerske" is a kind of "sygeplejerske"), its first part ("murersvend" is a
# "murer"), or a longer title can end with the word typed ("chauffør" -> "lastbilchauffør"). A name
# scores by how much of it the query covers and how much of the query it covers, so
# "receptionist på hotel" prefers "hotelreceptionist" to "receptionist". That lexical score is added
# to the semantic similarity (multilingual-e5: the query against each occupation's text and its
# preferred label), so the two kinds of evidence are weighed together instead of one after the other.

WORD = re.compile(r"[^\W_]+")
# Function words of Danish and English labels, and the filler of Danish job-ad titles; they name no
# occupation, so they are neither matched nor counted.
FILLER = frozenset({
    "og", "eller", "i", "til", "på", "med", "af", "for", "fra", "ved", "hos", "om", "inden", "under", "efter",
    "en", "et", "den", "det", "de", "som", "der", "samt", "søges", "søger", "erfaren", "erfarne", "ny", "nye",
    "and", "or", "of", "in", "the", "to", "with", "on", "at", "a", "an",
})
MIN_PART = 4  # shortest part of a compound matched on its own
# A name's kind: 0 the project's Danish job title, 1 Danish preferred label, 2 Danish alternative
# label, 3 ESCO's (English) preferred label, 4 its alternative label. Danish names first, then
# alternative titles, then English; ties go to the lower kind.
TITLE, DANISH, DANISH_ALT, LABEL, ALT = range(5)
NAME_WEIGHT = (1.0, 1.0, 0.97, 0.92, 0.89)
# What the semantic share adds to the lexical score: chosen (among 0.2-1.5) on the project's own
# Danish titles, each looked up with itself left out of the list; never on the gold list of `make eval`.
SEMANTIC_WEIGHT = 0.8
SEMANTIC_SPREAD = 0.04  # cosine below the query's best at which the semantic share reaches 0
# Added for a name typed in full, by the name's kind: each step more than any semantic share, so an
# exact Danish preferred label ranks first, then an exact title of the project's list of Danish job
# titles, then an exact Danish alternative label, then an exact English label; the semantic share
# only orders occupations that share a name of the same kind. This is also the rule for names that
# clash: the list of job titles is older than the Danish labels and maps a title to one occupation;
# where the same name is another occupation's Danish preferred label, that label is the reviewed
# name of that concept and wins, and a title wins over an alternative label, which is only a synonym.
EXACT_BONUS = {DANISH: 4.0, TITLE: 3.0, DANISH_ALT: 2.0, LABEL: 1.0, ALT: 1.0}
# The same order for ties between names of equal score.
KIND_RANK = np.array([1, 0, 2, 3, 4], dtype=np.int8)  # by kind: TITLE, DANISH, DANISH_ALT, LABEL, ALT
MAX_WORD_MATCHES = 300  # vocabulary words one typed word may match by prefix or ending (typeahead)
LINKING = frozenset("se")  # Danish linking letters between a compound's parts ("rengøring|s|assistent", "hund|e|fører")
# What the head of a typed compound counts in a name that has both its parts as words (of its
# length): a little less than in full, so the compound typed as one word ("lagermedarbejder")
# still ranks ahead of its paraphrase ("medarbejder på lager") and the paraphrase is never "typed in full".
SPLIT_HEAD_SHARE = 0.9
# The first answer's unit group (see `_first_by_group`): what the other candidates of an ISCO-08 unit
# group among the GROUP_TOP best add to a candidate's score. Chosen (among 0-0.5) with
# bench/tune_titles.py on the project's own Danish alternative labels, each looked up with itself
# left out; never on the gold list of `make eval`.
GROUP_SUPPORT = 0.2
GROUP_TOP = 10


# Spellings Danish titles use side by side for one word ("papirmaskineoperatør" and
# "papirmaskinoperatør"): names and queries are read with the second of each pair for the first.
SPELLINGS = (("maskinoperatør", "maskineoperatør"),)


def _lower(text: str) -> str:
    text = text.lower()
    for variant, form in SPELLINGS:
        text = text.replace(variant, form)
    return text


def _words(text: str) -> list[str]:
    words = WORD.findall(_lower(text))
    content = [w for w in words if w not in FILLER]
    return content or words


# Danish job titles name the occupation first and its setting after a preposition ("kok til
# restaurant", "læge i almen praksis", "lagerarbejder med truckcertifikat"): words after the first
# of these, once an occupation word came before it, count CONTEXT_WEIGHT of a word of their length,
# so the setting orders occupations of the head word but no longer outweighs it ("restaurantchef").
# Set a priori (half a word), not fitted on the gold list.
PREPOSITIONS = frozenset({"til", "i", "på", "med", "hos", "ved", "inden", "indenfor", "for", "fra", "af", "under",
                          "efter", "om", "in", "at", "with", "of"})
CONTEXT_WEIGHT = 0.5


def _query_words(text: str) -> tuple[list[str], list[float]]:
    """The query's content words (as `_words`) and each one's weight: 1, or CONTEXT_WEIGHT after a
    preposition that follows an occupation word."""
    words = WORD.findall(_lower(text))
    if not any(w not in FILLER for w in words):
        return words, [1.0] * len(words)
    content: list[str] = []
    weights: list[float] = []
    context = False
    for word in words:
        if word in PREPOSITIONS and content:
            context = True
        if word in FILLER:
            continue
        content.append(word)
        weights.append(CONTEXT_WEIGHT if context else 1.0)
    return content, weights


class _Lookup:
    """Everything a look-up reads, in process memory: occupations (rows), their names (Danish
    titles and ESCO labels) with an index of their words, and the occupations' vectors."""

    def __init__(self, occupations: Sequence[Mapping[str, Any]], titles: Sequence[tuple[str, int]]):
        self.ids = np.array([o["id"] for o in occupations], dtype=np.int64)
        self.row_of = {int(pk): row for row, pk in enumerate(self.ids)}
        self.uri = [o["uri"] for o in occupations]
        self.label = [o["preferred_label"] for o in occupations]
        self.label_da = [o.get("preferred_label_da") or "" for o in occupations]
        self.isco = [o["isco_code"] for o in occupations]
        self.deprecated = np.array([o["status"] == ConceptStatus.DEPRECATED for o in occupations], dtype=bool)
        self.released = np.array([o["status"] == ConceptStatus.RELEASED for o in occupations], dtype=bool)
        names: list[str] = []
        owner: list[int] = []
        kind: list[int] = []
        for title, occupation_id in titles:
            if occupation_id in self.row_of:
                names.append(title)
                owner.append(self.row_of[occupation_id])
                kind.append(TITLE)
        for row, o in enumerate(occupations):
            seen: set[str] = set()
            danish = [(o.get("preferred_label_da") or "", DANISH)] + [(a, DANISH_ALT) for a in o.get("alt_labels_da") or []]
            english = [(o["preferred_label"], LABEL)] + [(a, ALT) for a in o["alt_labels"]]
            for label, label_kind in danish + english:
                if label and label.lower() not in seen:
                    seen.add(label.lower())
                    names.append(label)
                    owner.append(row)
                    kind.append(label_kind)
        self.names = names
        self.owner = np.array(owner, dtype=np.int64)
        self.weight = np.array([NAME_WEIGHT[k] for k in kind], dtype=np.float64)
        self.kind = np.array(kind, dtype=np.int8)
        words_of: dict[str, int] = {}
        postings: list[list[int]] = []
        lengths = np.zeros(len(names), dtype=np.float64)
        for index, name in enumerate(names):
            words = _words(name)
            lengths[index] = sum(len(w) for w in words)
            for word in dict.fromkeys(words):
                if word not in words_of:
                    words_of[word] = len(postings)
                    postings.append([])
                postings[words_of[word]].append(index)
        self.length = np.maximum(lengths, 1.0)
        self.vocabulary = words_of
        self.word_length = np.array([len(w) for w in words_of], dtype=np.int64)
        self.postings = [np.array(p, dtype=np.int64) for p in postings]
        # Compounds are a Danish thing: parts of words are matched against the words of the Danish
        # titles and labels only ("brandmand" is no "brand manager"); English labels match whole
        # words, and by their start the last word of a typeahead.
        danish_words: list[str] = sorted(
            {w for index in np.flatnonzero(self.kind <= DANISH_ALT) for w in _words(names[index])})
        self.danish = frozenset(danish_words)
        self.by_start = sorted(words_of)
        self.danish_by_start = danish_words
        self.danish_by_end = sorted(w[::-1] for w in danish_words)
        self.passage = np.zeros((len(self.ids), DIMENSIONS), dtype=np.float32)
        self.short = np.zeros((len(self.ids), DIMENSIONS), dtype=np.float32)
        self.has_passage = np.zeros(len(self.ids), dtype=bool)
        self.has_short = np.zeros(len(self.ids), dtype=bool)
        self.combined = np.zeros((len(self.ids), DIMENSIONS), dtype=np.float32)
        self.searchable = np.zeros(len(self.ids), dtype=bool)

    def set_vectors(self, passage: tuple[np.ndarray, np.ndarray], short: tuple[np.ndarray, np.ndarray]) -> None:
        for (ids, matrix), target, present in ((passage, self.passage, self.has_passage),
                                               (short, self.short, self.has_short)):
            rows = np.array([self.row_of.get(int(pk), -1) for pk in ids], dtype=np.int64)
            known = rows >= 0
            present[:] = False
            target[rows[known]] = matrix[known]
            present[rows[known]] = True
        # The mean of the two cosines is the cosine with the mean of the two vectors: one product
        # per look-up. Missing vectors are zero rows, so where only one is cached it counts alone.
        both = (self.has_passage & self.has_short)[:, None]
        self.combined = np.where(both, (self.passage + self.short) / 2, self.passage + self.short).astype(np.float32)
        self.searchable = (self.has_passage | self.has_short) & self.released

    @staticmethod
    def _starting(words: list[str], prefix: str) -> list[str]:
        start = bisect.bisect_left(words, prefix)
        end = bisect.bisect_left(words, prefix + "\uffff")
        return words[start:min(end, start + MAX_WORD_MATCHES)]

    def _danish_ending(self, suffix: str) -> list[str]:
        return [w[::-1] for w in self._starting(self.danish_by_end, suffix[::-1])]

    def _specificity(self, head: str) -> float:
        """1 / sqrt(how many Danish title words end with `head`): a compound that ends in a common
        head ("-medarbejder", "-assistent") says less about the occupation than a rare one."""
        return 1.0 / math.sqrt(max(1, len(self._danish_ending(head))))

    def _split(self, word: str) -> tuple[str, str, int] | None:
        """The Danish compound `word` as two Danish title words, the longest first part first:
        (first part, head, linking letters between them), e.g. "svineproduktionsmedarbejder" ->
        ("svineproduktion", "medarbejder", 1). Both parts at least MIN_PART long; None if none."""
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            first = word[:cut]
            if first not in self.danish:
                continue
            rest = word[cut:]
            if rest in self.danish:
                return first, rest, 0
            if rest[0] in LINKING and len(rest) > MIN_PART and rest[1:] in self.danish:
                return first, rest[1:], 1
        return None

    def word_matches(self, words: list[str], *, typeahead: bool
                     ) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, int, float, float]]]:
        """(vocabulary word, query word position, characters in common, weighted) for every way a
        query word meets a vocabulary word: equal; one Danish word a part of the other's compound
        (a title word that is only the head of the word typed weighted by its specificity); or (the
        last word of a typeahead) the start of a longer word. Second, the typed compounds that split
        into two Danish title words: (first part, head, position, characters of each), which count
        in full in a name that has both words ("svineproduktionsmedarbejder" is a "medarbejder i
        svineproduktion"), see `lexical`."""
        found: dict[tuple[int, int], float] = {}
        pairs: list[tuple[int, int, int, float, float]] = []

        def add(word: str, position: int, chars: float) -> None:
            key = (self.vocabulary[word], position)
            found[key] = max(found.get(key, 0.0), chars)

        last = len(words) - 1
        for position, word in enumerate(words):
            if word in self.vocabulary:
                add(word, position, len(word))
            if typeahead and position == last and len(word) >= 2:
                for longer in self._starting(self.by_start, word):
                    add(longer, position, len(word))
            if len(word) < MIN_PART:
                continue
            for longer in self._danish_ending(word):  # the word typed is the head of a Danish compound
                add(longer, position, len(word))
            for longer in self._starting(self.danish_by_start, word):  # ... or its first part
                add(longer, position, len(word))
            # a Danish title word is the head (the longest) or the first part of the word typed
            head = next((word[cut:] for cut in range(1, len(word) - MIN_PART + 1) if word[cut:] in self.danish), None)
            if head:
                add(head, position, len(head) * self._specificity(head))
            first = next((word[:cut] for cut in range(len(word) - 1, MIN_PART - 1, -1) if word[:cut] in self.danish),
                         None)
            if first:
                add(first, position, len(first))
            split = self._split(word)
            if split:
                part, rest, linking = split
                pairs.append((self.vocabulary[part], self.vocabulary[rest], position, float(len(part) + linking),
                              len(rest) * SPLIT_HEAD_SHARE))
        return [(vocabulary_word, position, chars) for (vocabulary_word, position), chars in found.items()], pairs

    def lexical(self, query_words: list[str], *, typeahead: bool,
                weights: Sequence[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(occupation score in [0, 1], the name that gave it, -1 for none) for every occupation.
        `weights`: per query word, what its characters count (see `_query_words`); 1 each by default."""
        score = np.zeros(len(self.ids), dtype=np.float64)
        best_name = np.full(len(self.ids), -1, dtype=np.int64)
        matches, pairs = self.word_matches(query_words, typeahead=typeahead)
        if not matches:
            return score, best_name
        weight_of = list(weights) if weights is not None else [1.0] * len(query_words)
        query_length = float(sum(len(w) * weight_of[i] for i, w in enumerate(query_words))) or 1.0
        name_parts = [self.postings[w] for w, _, _ in matches]
        word_parts = [np.full(len(self.postings[w]), w, dtype=np.int64) for w, _, _ in matches]
        position_parts = [np.full(len(self.postings[w]), p, dtype=np.int64) for w, p, _ in matches]
        chars_parts = [np.full(len(self.postings[w]), c * weight_of[p]) for w, p, c in matches]
        # A typed compound split in two counts both parts in the names that have both words.
        for part, rest, at, part_chars, rest_chars in pairs:
            both = np.intersect1d(self.postings[part], self.postings[rest], assume_unique=True)
            if len(both):
                for vocabulary_word, part_of in ((part, part_chars), (rest, rest_chars)):
                    name_parts.append(both)
                    word_parts.append(np.full(len(both), vocabulary_word, dtype=np.int64))
                    position_parts.append(np.full(len(both), at, dtype=np.int64))
                    chars_parts.append(np.full(len(both), part_of * weight_of[at]))
        names = np.concatenate(name_parts)
        word = np.concatenate(word_parts)
        position = np.concatenate(position_parts)
        chars = np.concatenate(chars_parts)
        # One figure per name, name word and query word: the best way they meet.
        vocabulary_size, query_size = len(self.vocabulary), len(query_words)
        key, inverse = np.unique((names * vocabulary_size + word) * query_size + position, return_inverse=True)
        best = np.zeros(len(key))
        np.maximum.at(best, inverse, chars)
        names, word, position = key // (vocabulary_size * query_size), (key // query_size) % vocabulary_size, key % query_size
        # How much of each name is covered: per name word, the characters matched by the query's
        # words (a first part and a head from two words add up), at most the word's length.
        per_word, inverse = np.unique(names * vocabulary_size + word, return_inverse=True)
        covered = np.minimum(np.bincount(inverse, weights=best), self.word_length[per_word % vocabulary_size])
        hit_names, name_inverse = np.unique(per_word // vocabulary_size, return_inverse=True)
        name_share = np.bincount(name_inverse, weights=covered) / self.length[hit_names]
        # How much of the query is covered: per query word, what the name's words match of it (the
        # parts of a typed compound found in two words of the name add up), at most its length.
        per_query_word, inverse = np.unique(names * query_size + position, return_inverse=True)
        typed = np.array([len(w) * weight_of[i] for i, w in enumerate(query_words)])[per_query_word % query_size]
        query_covered = np.minimum(np.bincount(inverse, weights=best), typed)
        _, query_inverse = np.unique(per_query_word // query_size, return_inverse=True)  # the same names
        query_share = np.bincount(query_inverse, weights=query_covered) / query_length
        name_score = np.minimum(name_share, 1.0) * 0.5 + np.minimum(query_share, 1.0) * 0.5
        name_score = name_score * self.weight[hit_names]
        order = np.lexsort((KIND_RANK[self.kind[hit_names]], -name_score))  # best first; see KIND_RANK
        owners = self.owner[hit_names[order]]
        first = np.unique(owners, return_index=True)[1]
        score[owners[first]] = name_score[order][first]
        best_name[owners[first]] = hit_names[order][first]
        return score, best_name

    def has_vectors(self) -> bool:
        return bool(self.has_passage.any() or self.has_short.any())

    def semantic(self, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cosine, share in [0, 1]) per occupation: the mean of the query's cosine with the
        occupation's text and with its label (either where only one is cached); the share is 1 for
        the query's best occupation and falls to 0 at SEMANTIC_SPREAD below it."""
        present = self.searchable
        cosine = np.where(present, self.combined @ vector, -1.0)
        if not present.any():
            return cosine, np.zeros(len(cosine))
        share = np.clip(1.0 - (cosine.max() - cosine) / SEMANTIC_SPREAD, 0.0, 1.0)
        return cosine, np.where(present, share, 0.0)


class _OccupationLookup:
    """The `_Lookup`, rebuilt when occupations, Danish titles or the model version change; its
    vectors come from the two vector indexes (which read only what is missing)."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.data: _Lookup | None = None
        self.vectors: tuple = ()
        self.lock = threading.Lock()

    def load(self, *, vectors: bool) -> _Lookup:
        fresh = _freshness((Occupation, _CONCEPT_AGGREGATES),
                           (DanishJobTitle, 'COUNT(*);MAX("id");COUNT("occupation_id")'))
        concepts = (model_version(), *fresh[:3])
        key = fresh
        with self.lock:
            if key != self.key or self.data is None:
                occupations = list(Occupation.objects.order_by("id").values(
                    "id", "uri", "preferred_label", "alt_labels", "preferred_label_da", "alt_labels_da", "isco_code",
                    "status"))
                title_rows = list(DanishJobTitle.objects.filter(occupation__isnull=False).order_by("title").values_list(
                    "title", "occupation_id"))
                self.data, self.key, self.vectors = _Lookup(occupations, title_rows), key, ()
            data = self.data
        if vectors:
            passage, short = _occupation_index.load(key=concepts), _occupation_label_index.load(key=concepts)
            with self.lock:
                if len(self.vectors) != 2 or self.vectors[0] is not passage[1] or self.vectors[1] is not short[1]:
                    data.set_vectors(passage, short)
                    self.vectors = (passage[1], short[1])
        return data


_occupation_lookup = _OccupationLookup()


def search_occupations(query: str, *, limit: int = 10, semantic: bool = True,
                       include_deprecated: bool = False) -> list[ConceptMatch]:
    """Typeahead and title resolver for occupations.

    Every occupation scores by its best-matching name (Danish labels and titles, then alternative
    titles, then ESCO's English labels, matched word by word and inside Danish compounds; 1 for an
    exact Danish match) plus, with `semantic` and at least 3 characters, SEMANTIC_WEIGHT times its
    semantic share (see `_Lookup.semantic`). Ties go to the Danish names, then to shorter preferred
    labels. Deprecated occupations only with `include_deprecated`, and only by name. `label` is in
    the active language (`label_lang` says which it is).
    """
    query = _occupation_query(query)
    if not query or limit <= 0:
        return []
    use_semantic = semantic and len(query) >= 3
    data = _occupation_lookup.load(vectors=use_semantic)
    vector = _query_vector(query, model_version()) if use_semantic and data.has_vectors() else None
    return _rank_occupations(data, query, vector, limit=limit, include_deprecated=include_deprecated)


def occupation_name_matcher() -> Callable[..., list[ConceptMatch]]:
    """`search_occupations(text, limit=…, semantic=False)` bound to the look-up as it is now, for a
    caller that keeps its own snapshot of the taxonomy and re-reads it on its own schedule: the job
    search asks about each new query text once per postings vocabulary (jobs.understanding), and
    asking for the taxonomy's freshness each time (~0.3 ms on PostgreSQL) was a third of that."""
    data = _occupation_lookup.load(vectors=False)

    def match(query: str, *, limit: int = 10) -> list[ConceptMatch]:
        query = _occupation_query(query)
        if not query or limit <= 0:
            return []
        return _rank_occupations(data, query, None, limit=limit, include_deprecated=False)

    return match


def _occupation_query(query: str | None) -> str:
    """The query as the occupation look-up ranks it: lower case, single spaces; "" when shorter than
    two characters (nothing is looked up)."""
    query = " ".join((query or "").lower().split())
    return query if len(query) >= 2 else ""


def _rank_occupations(data: _Lookup, query: str, vector: np.ndarray | None, *, limit: int,
                      include_deprecated: bool) -> list[ConceptMatch]:
    if not len(data.ids):
        return []
    words, weights = _query_words(query)
    lexical, name = data.lexical(words, typeahead=True, weights=weights)
    if not include_deprecated:
        lexical = np.where(data.deprecated, 0.0, lexical)
    total, cosine = lexical.copy(), np.zeros(len(lexical))
    # A name typed in full (every word of the query and of the name matched) puts its occupation
    # ahead of all partial matches whatever the meaning says: a Danish name first, then an English one.
    # (A name typed in full counts every word at full weight: "kunderådgiver i bank" is typed in full.)
    plain, plain_name = (lexical, name) if all(w == 1.0 for w in weights) else data.lexical(words, typeahead=True)
    if not include_deprecated:
        plain = np.where(data.deprecated, 0.0, plain)
    matched = plain_name >= 0
    exact = matched & (plain >= data.weight[np.maximum(plain_name, 0)] - 1e-9)
    bonus = np.array([EXACT_BONUS[k] for k in range(len(NAME_WEIGHT))])[data.kind[np.maximum(plain_name, 0)]]
    total += np.where(exact, bonus, 0.0)
    if vector is not None:
        cosine, share = data.semantic(vector)
        total += SEMANTIC_WEIGHT * share
    candidates = np.flatnonzero(total > 0)
    if not len(candidates):
        return []
    if GROUP_SUPPORT:
        total = _first_by_group(data, candidates, total, np.where(exact, bonus, 0.0))
    label_length = np.array([len(data.label_da[i] or data.label[i]) for i in candidates])
    kind = np.where(name[candidates] >= 0, KIND_RANK[data.kind[name[candidates]]], len(NAME_WEIGHT))  # none last
    order = candidates[np.lexsort((label_length, kind, -total[candidates]))][:limit]
    results = []
    for row in order:
        by_name = lexical[row] > 0
        label = label_of({"preferred_label": data.label[row], "preferred_label_da": data.label_da[row]})
        matched_text = data.names[name[row]] if by_name else label.text
        method = ("title" if data.kind[name[row]] == TITLE else "label") if by_name else "semantic"
        results.append(ConceptMatch(
            id=int(data.ids[row]), uri=data.uri[row], label=label.text, matched_label=matched_text,
            isco_code=data.isco[row], score=round(float(lexical[row] if by_name else cosine[row]), 4),
            method=method, deprecated=bool(data.deprecated[row]), label_lang=label.lang))
    return results


def _first_by_group(data: _Lookup, candidates: np.ndarray, total: np.ndarray, bonus: np.ndarray) -> np.ndarray:
    """`total` with the first answer chosen by its ISCO-08 unit group: among the GROUP_TOP best
    candidates of the best kind of exact match (see EXACT_BONUS; partial matches if none is exact),
    the one whose score plus GROUP_SUPPORT times the evidence (score without the exact bonus) of the
    other candidates of its unit group is highest. Several occupations of one unit group near the
    top ("matematiklærer i gymnasiet", "fysiklærer i gymnasiet") outweigh one occupation of
    another group that is a little ahead ("lektor i fysik"). Only the first answer moves: the
    others keep their order, so the look-up still offers other groups after it."""
    if len(candidates) > GROUP_TOP:
        candidates = candidates[np.argpartition(-total[candidates], GROUP_TOP - 1)[:GROUP_TOP]]
    top = candidates[np.argsort(-total[candidates], kind="stable")]
    evidence = total[top] - bonus[top]
    groups: dict[str, float] = {}
    for row, value in zip(top, evidence, strict=True):
        groups[data.isco[row]] = groups.get(data.isco[row], 0.0) + value
    support = np.array([groups[data.isco[row]] for row in top]) - evidence
    eligible = bonus[top] == bonus[top].max()
    first = top[int(np.argmax(np.where(eligible, total[top] + GROUP_SUPPORT * support, -np.inf)))]
    if first == top[0]:
        return total
    total = total.copy()
    total[first] = total[top[0]] + 1.0
    return total


def search_skills(query: str, *, limit: int = 10, semantic: bool = True) -> list[ConceptMatch]:
    """Typeahead for skills: labels first (the active language's preferred label, then alternative
    labels, then the other language's), then semantic neighbours among skills with cached vectors.
    `label` is in the active language where the skill has one (`label_lang` says which)."""
    query = " ".join((query or "").lower().split())
    if len(query) < 2:
        return []
    results: dict[int, ConceptMatch] = {}
    candidates = Skill.objects.filter(Q(search_labels__contains=query), status=ConceptStatus.RELEASED).only(
        "id", "uri", "preferred_label", "alt_labels", "preferred_label_da", "alt_labels_da")[:300]
    ranked_skills: list[tuple[int, int, Skill, str, ConceptLabel]] = []
    for skill in candidates:
        label = label_of(skill)
        rank = _label_rank(query, [label.text, *alt_labels_of(skill), skill.preferred_label])
        if rank is not None:
            ranked_skills.append((rank[0], len(label.text), skill, rank[1], label))
    for order, _, skill, matched, label in sorted(ranked_skills, key=lambda r: (r[0], r[1]))[:limit]:
        results[skill.pk] = ConceptMatch(id=skill.pk, uri=skill.uri, label=label.text, matched_label=matched,
                                         isco_code="", score=1.0 if order == 0 else 0.9, method="label",
                                         label_lang=label.lang)
    if semantic and len(results) < limit and len(query) >= 3:
        hits = _semantic(query, _skill_index, set(results), limit - len(results))
        by_id = Skill.objects.in_bulk([h[0] for h in hits])
        for concept_id, score in hits:
            label = label_of(by_id[concept_id])
            results[concept_id] = ConceptMatch(id=concept_id, uri=by_id[concept_id].uri, label=label.text,
                                               matched_label=label.text, isco_code="",
                                               score=round(score, 4), method="semantic", label_lang=label.lang)
    return list(results.values())[:limit]


# --- labels and pickers ------------------------------------------------------------------------------


def occupation_choices(*, language: str | None = None) -> list[tuple[int, ConceptLabel]]:
    """Released occupations as (id, label) in the active language, sorted by that label the Danish
    way (æ, ø, å last): what staff pick from (a searchable list). Memoised per language until the
    occupations change."""
    language = (language or active_language())[:2]
    key = (_concepts_key(Occupation), language)
    hit = _choices_memo.get(language)
    if hit is not None and hit[0] == key:
        return hit[1]
    rows = Occupation.objects.filter(status=ConceptStatus.RELEASED).values(
        "id", "preferred_label", "preferred_label_da")
    choices = [(row["id"], label_of(row, language=language)) for row in rows]
    choices.sort(key=lambda choice: (sort_key(choice[1].text), choice[0]))
    _choices_memo[language] = (key, choices)
    return choices


def occupation_english_names() -> list[tuple[str, tuple[str, ...], str]]:
    """The English names of released occupations as (preferred, alternatives, Danish name):
    ("waiter/waitress", ("waiter", "waitress", …), "tjener"), as written in ESCO (the Danish name ""
    where there is none): what people from abroad type for a job. Memoised until the occupations change."""
    key = (_concepts_key(Occupation), "en-names")
    hit = _choices_memo.get("en-names")
    if hit is not None and hit[0] == key:
        return hit[1]
    names = [((preferred or "").strip(),
              tuple(a.strip() for a in (alternatives or []) if isinstance(a, str) and a.strip()),
              (danish or "").strip())
             for preferred, alternatives, danish in Occupation.objects.filter(status=ConceptStatus.RELEASED).values_list(
                 "preferred_label", "alt_labels", "preferred_label_da")]
    _choices_memo["en-names"] = (key, names)
    return names


_choices_memo: dict[str, tuple[tuple, list]] = {}
_DANISH_ORDER = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "aa": "}"}


def sort_key(text: str) -> str:
    """Danish alphabetical order for labels: case-insensitive, with æ, ø, å after z."""
    low = (text or "").lower()
    for letter, after_z in _DANISH_ORDER.items():
        low = low.replace(letter, after_z)
    return low


def _labels_by(model, key: str, values) -> dict:
    """key value -> label in the active language, for the concepts whose `key` is in `values`. Within one
    reading request the rows are kept (a page's slots ask for the same occupations' labels)."""
    wanted = list(dict.fromkeys(int(v) for v in values) if key == "id" else dict.fromkeys(values))
    memo = _request_freshness.get()
    if memo is None:
        rows = model.objects.filter(**{f"{key}__in": wanted}).values(key, "preferred_label", "preferred_label_da")
        return {row[key]: label_of(row) for row in rows}
    kept = memo.setdefault(("labels", connection.alias, model._meta.label, key), {})
    missing = [value for value in wanted if value not in kept]
    if missing:
        found = {row[key]: row for row in model.objects.filter(**{f"{key}__in": missing}).values(
            key, "preferred_label", "preferred_label_da")}
        kept.update({value: found.get(value) for value in missing})
    return {kept[value][key]: label_of(kept[value]) for value in wanted if kept.get(value) is not None}


def occupation_labels(ids) -> dict[int, ConceptLabel]:
    """id -> label in the active language, for pages and charts that show many occupations."""
    return _labels_by(Occupation, "id", ids)


def occupation_labels_by_uri(uris) -> dict[str, ConceptLabel]:
    return _labels_by(Occupation, "uri", uris)


def skill_labels(ids) -> dict[int, ConceptLabel]:
    return _labels_by(Skill, "id", ids)


def skill_labels_by_uri(uris) -> dict[str, ConceptLabel]:
    return _labels_by(Skill, "uri", uris)


def isco_group_labels(codes) -> dict[str, ConceptLabel]:
    """ISCO-08 code -> label in the active language (charts, feed reasons)."""
    return _labels_by(IscoGroup, "code", codes)


def skill_group_labels(uris) -> dict[str, ConceptLabel]:
    return _labels_by(SkillGroup, "uri", uris)


def neighbour_occupations(occupation_ids) -> dict[int, tuple[int, ...]]:
    """occupation id -> its neighbours in ESCO and ISCO-08: the broader and narrower ESCO occupations
    and the other released occupations in the same ISCO-08 unit group (the diagnosis and "the market
    around me" suggest them as a wider search). Two queries whatever the number."""
    ids = list(dict.fromkeys(int(i) for i in occupation_ids))
    if not ids:
        return {}
    rows = list(Occupation.objects.filter(pk__in=ids).values_list("pk", "isco_code", "broader_id"))
    codes = {code for _pk, code, _broader in rows if code}
    related = Occupation.objects.filter(status=ConceptStatus.RELEASED).filter(
        Q(isco_code__in=codes) | Q(broader_id__in=ids) | Q(pk__in=[b for *_r, b in rows if b]))
    candidates = list(related.values_list("pk", "isco_code", "broader_id"))
    result = {}
    for pk, code, broader in rows:
        found = [other for other, other_code, other_broader in candidates if other != pk and (
            (code and other_code == code) or other_broader == pk or other == broader)]
        result[pk] = tuple(sorted(set(found)))
    return result
