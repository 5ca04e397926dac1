"""Reads of reference data: postcodes and places, ESCO occupations and skills, embeddings.

Look-up of occupations and skills works for Danish input against English-only
ESCO labels: the project's Danish job titles and the labels first, then
multilingual semantic search over cached vectors (see docs/adr/0021).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence

import numpy as np
from django.db.models import Max, Q, QuerySet

from . import embeddings
from .contracts import ConceptMatch, GeoPoint
from .models import ConceptStatus, DanishJobTitle, IscoGroup, Occupation, Postcode, Skill

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
    postcode = get_postcode(code=match.group(1)) if match else None
    if postcode is None and not match:
        name = text.split(",")[-1].strip()
        postcode = Postcode.objects.filter(name__iexact=name).order_by("code").first()
    if postcode is None:
        return None
    return GeoPoint(latitude=postcode.latitude, longitude=postcode.longitude, label=str(postcode),
                    postcode=postcode.code, municipality_code=postcode.municipality_code)


def point_of_postcode(*, code: str) -> GeoPoint | None:
    postcode = get_postcode(code=code)
    if postcode is None:
        return None
    return GeoPoint(latitude=postcode.latitude, longitude=postcode.longitude, label=str(postcode),
                    postcode=postcode.code, municipality_code=postcode.municipality_code)


# --- concepts --------------------------------------------------------------------------------------


def get_occupation(*, occupation_id: int) -> Occupation | None:
    return Occupation.objects.select_related("isco_group", "replaced_by").filter(pk=occupation_id).first()


def get_occupation_by_uri(*, uri: str) -> Occupation | None:
    """Resolves deprecated concepts too (they are kept, never deleted)."""
    return Occupation.objects.filter(uri=uri).first()


def get_skill_by_uri(*, uri: str) -> Skill | None:
    return Skill.objects.filter(uri=uri).first()


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


class _VectorIndex:
    """Concept vectors held in process memory, reloaded when the concepts or the cache change."""

    def __init__(self, model, text_of: Callable):
        self.model, self.text_of = model, text_of
        self.key: tuple | None = None
        self.ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self.matrix: np.ndarray = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.lock = threading.Lock()

    def _key(self):
        from .models import Embedding

        concepts = self.model.objects.aggregate(n=Max("id"), changed=Max("updated_at"))
        return (concepts["n"], concepts["changed"], Embedding.objects.filter(model_version=model_version()).count())

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        key = self._key()
        with self.lock:
            if key != self.key:
                concepts = list(self.model.objects.filter(status=ConceptStatus.RELEASED).only(
                    "id", "preferred_label", "alt_labels", "description", *(["search_text"] if self.model is Skill else [])))
                found = embeddings.cached_vectors([self.text_of(c) for c in concepts], kind="passage")
                positions = sorted(found)
                self.ids = np.array([concepts[i].pk for i in positions], dtype=np.int64)
                self.matrix = (np.vstack([found[i] for i in positions]) if positions
                               else np.zeros((0, DIMENSIONS), dtype=np.float32))
                self.key = key
            return self.ids, self.matrix


_occupation_index = _VectorIndex(Occupation, occupation_text)
_skill_index = _VectorIndex(Skill, skill_text)


def occupation_vectors() -> tuple[np.ndarray, np.ndarray]:
    """(ids, matrix) of released occupations whose vectors are cached (see `embed_occupations`)."""
    return _occupation_index.load()


def skill_vectors() -> tuple[np.ndarray, np.ndarray]:
    """(ids, matrix) of released skills whose vectors are cached (see `embed_skills`)."""
    return _skill_index.load()


def embed_occupations(*, progress: Callable[[str], None] | None = None) -> int:
    occupations = list(Occupation.objects.filter(status=ConceptStatus.RELEASED))
    return _embed_in_chunks([occupation_text(o) for o in occupations], progress)


def embed_skills(*, progress: Callable[[str], None] | None = None) -> int:
    skills = list(Skill.objects.filter(status=ConceptStatus.RELEASED).only("id", "preferred_label", "description", "search_text"))
    return _embed_in_chunks([skill_text(s) for s in skills], progress)


def _embed_in_chunks(texts: Sequence[str], progress) -> int:
    for start in range(0, len(texts), 1000):
        embed_texts(texts[start:start + 1000], kind="passage")
        if progress:
            progress(f"  {min(start + 1000, len(texts))}/{len(texts)}")
    return len(texts)


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
    vector = embed_texts([query], kind="query")[0]
    scores = matrix @ vector
    order = np.argsort(-scores)
    hits = []
    for position in order:
        concept_id = int(ids[position])
        if concept_id in exclude:
            continue
        hits.append((concept_id, float(scores[position])))
        if len(hits) >= limit:
            break
    return hits


def search_occupations(query: str, *, limit: int = 10, semantic: bool = True,
                       include_deprecated: bool = False) -> list[ConceptMatch]:
    """Typeahead for occupations: Danish titles, then ESCO labels, then semantic neighbours."""
    query = " ".join((query or "").lower().split())
    if len(query) < 2:
        return []
    results: dict[int, ConceptMatch] = {}
    titles = DanishJobTitle.objects.filter(search_title__contains=query, occupation__isnull=False).select_related("occupation")
    for title in sorted(titles, key=lambda t: (not t.search_title.startswith(query), len(t.title)))[:limit]:
        occupation = title.occupation
        if occupation is not None and occupation.pk not in results:
            results[occupation.pk] = ConceptMatch(
                id=occupation.pk, uri=occupation.uri, label=occupation.preferred_label, matched_label=title.title,
                isco_code=occupation.isco_code, score=1.0, method="title", deprecated=occupation.is_deprecated)
    statuses = [ConceptStatus.RELEASED] + ([ConceptStatus.DEPRECATED] if include_deprecated else [])
    candidates = Occupation.objects.filter(search_labels__contains=query, status__in=statuses).only(
        "id", "uri", "preferred_label", "alt_labels", "isco_code", "status")[:300]
    ranked: list[tuple[int, int, Occupation, str]] = []
    for occupation in candidates:
        rank = _label_rank(query, [occupation.preferred_label, *occupation.alt_labels])
        if rank is not None:
            ranked.append((rank[0], len(occupation.preferred_label), occupation, rank[1]))
    for order, _, occupation, label in sorted(ranked, key=lambda r: (r[0], r[1])):
        if len(results) >= limit:
            break
        if occupation.pk not in results:
            results[occupation.pk] = ConceptMatch(
                id=occupation.pk, uri=occupation.uri, label=occupation.preferred_label, matched_label=label,
                isco_code=occupation.isco_code, score=1.0 if order == 0 else 0.9, method="label",
                deprecated=occupation.is_deprecated)
    if semantic and len(results) < limit and len(query) >= 3:
        hits = _semantic(query, _occupation_index, set(results), limit - len(results))
        by_id = Occupation.objects.in_bulk([h[0] for h in hits])
        for concept_id, score in hits:
            occupation = by_id[concept_id]
            results[concept_id] = ConceptMatch(
                id=concept_id, uri=occupation.uri, label=occupation.preferred_label,
                matched_label=occupation.preferred_label, isco_code=occupation.isco_code, score=round(score, 4),
                method="semantic", deprecated=occupation.is_deprecated)
    return list(results.values())[:limit]


def search_skills(query: str, *, limit: int = 10, semantic: bool = True) -> list[ConceptMatch]:
    """Typeahead for skills: labels first, then semantic neighbours among skills with cached vectors."""
    query = " ".join((query or "").lower().split())
    if len(query) < 2:
        return []
    results: dict[int, ConceptMatch] = {}
    candidates = Skill.objects.filter(Q(search_labels__contains=query), status=ConceptStatus.RELEASED).only(
        "id", "uri", "preferred_label", "alt_labels")[:300]
    ranked_skills: list[tuple[int, int, Skill, str]] = []
    for skill in candidates:
        rank = _label_rank(query, [skill.preferred_label, *skill.alt_labels])
        if rank is not None:
            ranked_skills.append((rank[0], len(skill.preferred_label), skill, rank[1]))
    for order, _, skill, label in sorted(ranked_skills, key=lambda r: (r[0], r[1]))[:limit]:
        results[skill.pk] = ConceptMatch(id=skill.pk, uri=skill.uri, label=skill.preferred_label, matched_label=label,
                                         isco_code="", score=1.0 if order == 0 else 0.9, method="label")
    if semantic and len(results) < limit and len(query) >= 3:
        hits = _semantic(query, _skill_index, set(results), limit - len(results))
        by_id = Skill.objects.in_bulk([h[0] for h in hits])
        for concept_id, score in hits:
            skill = by_id[concept_id]
            results[concept_id] = ConceptMatch(id=concept_id, uri=skill.uri, label=skill.preferred_label,
                                               matched_label=skill.preferred_label, isco_code="",
                                               score=round(score, 4), method="semantic")
    return list(results.values())[:limit]
