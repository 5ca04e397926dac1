"""Text meaning of postings and profiles: multilingual-e5 vectors through taxonomy's cached
embedding API, stored per posting so the feed never embeds at request time. A profile's text is
embedded in the background when the citizen changes it (`refresh_profile_vector`, on ProfileChanged),
so their next start page finds it in the cache instead of running the model (20-65 ms) in the request;
the feed still embeds it itself when the cache has lost it (query vectors are purged after
EMBEDDING_QUERY_RETENTION_DAYS)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from django.conf import settings

from jobunivers.taxonomy import selectors as taxonomy

from .models import PostingVector

DIMENSIONS = taxonomy.DIMENSIONS


def posting_text(*, title: str, occupation_label: str | None, description: str = "") -> str:
    parts = [title.strip()]
    if occupation_label and occupation_label.lower() not in title.lower():
        parts.append(occupation_label)
    if description:
        parts.append(description[:300])
    return ". ".join(p for p in parts if p)


def profile_text(profile) -> str:
    """What the citizen wrote and chose about the work they seek."""
    pieces = [o.label for o in profile.occupations]
    pieces += [profile.occupation_text, ", ".join(profile.keywords), profile.skills_text,
               ", ".join(profile.experience_titles[:5]), ", ".join(profile.education_titles[:3])]
    return ". ".join(p.strip() for p in pieces if p and p.strip())[:1000]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def refresh_posting_vectors(postings: Iterable[tuple[int, str]]) -> int:
    """(posting_id, text) pairs: embed those whose text changed (batched, cached by text). Returns count."""
    pairs = list(postings)
    if not pairs:
        return 0
    version = taxonomy.model_version()
    current = dict(PostingVector.objects.filter(posting_id__in=[p for p, _ in pairs], model_version=version)
                   .values_list("posting_id", "text_hash"))
    stale = [(pid, text) for pid, text in pairs if current.get(pid) != _hash(text)]
    for start in range(0, len(stale), 256):
        chunk = stale[start:start + 256]
        vectors = taxonomy.embed_texts([text for _, text in chunk], kind="passage")
        rows = [PostingVector(posting_id=pid, text_hash=_hash(text), model_version=version,
                              vector=vector.astype(np.float32).tobytes())
                for (pid, text), vector in zip(chunk, vectors, strict=True)]
        PostingVector.objects.bulk_create(rows, update_conflicts=True, unique_fields=["posting"],
                                          update_fields=["text_hash", "model_version", "vector", "updated_at"])
    return len(stale)


_memo_lock = threading.Lock()
_memo: dict = {"snapshot": None, "vectors": OrderedDict()}


def posting_vectors(posting_ids: list[int], *, snapshot: tuple | None = None) -> dict[int, np.ndarray]:
    """Vectors of postings: the jobs app's cached embeddings first (made on import), then ours.

    With `snapshot` (the jobs catalogue's version and build time), vectors are also kept in process
    memory until the catalogue changes or is rebuilt (at least every JOBS_CATALOGUE_MAX_AGE seconds,
    which bounds how long a vector recomputed in the background can be missed), at most
    MATCHING_VECTOR_CACHE of them (default 20,000, about 30 MB). A posting without a vector yet is
    remembered as such for as long (every feed asks for the same few hundred best postings, and two
    IN-list queries that find nothing cost ~20 ms a feed)."""
    if snapshot is None:
        return _posting_vectors(posting_ids)
    limit = int(getattr(settings, "MATCHING_VECTOR_CACHE", 20_000))
    with _memo_lock:
        if _memo["snapshot"] != snapshot:
            _memo["snapshot"], _memo["vectors"] = snapshot, OrderedDict()
        cache: OrderedDict = _memo["vectors"]
        known = [pid for pid in posting_ids if pid in cache]
        for pid in known:
            cache.move_to_end(pid)
        result = {pid: cache[pid] for pid in known if cache[pid] is not None}
        missing = [pid for pid in posting_ids if pid not in cache]
    if missing:
        loaded = _posting_vectors(missing)
        result.update(loaded)
        with _memo_lock:
            if _memo["snapshot"] == snapshot:
                cache = _memo["vectors"]
                cache.update({pid: loaded.get(pid) for pid in missing})  # None: no vector yet
                while len(cache) > limit:
                    cache.popitem(last=False)
    return result


def _posting_vectors(posting_ids: list[int]) -> dict[int, np.ndarray]:
    from jobunivers.jobs.models import PostingEmbedding

    version = taxonomy.model_version()
    result = {}
    for start in range(0, len(posting_ids), 900):
        for pid, blob in PostingEmbedding.objects.filter(posting_id__in=posting_ids[start:start + 900],
                                                         model_version=version).values_list("posting_id", "vector"):
            result[pid] = np.frombuffer(bytes(blob), dtype=np.float32)
    posting_ids = [pid for pid in posting_ids if pid not in result]
    for start in range(0, len(posting_ids), 900):
        for pid, blob in PostingVector.objects.filter(posting_id__in=posting_ids[start:start + 900],
                                                      model_version=version).values_list("posting_id", "vector"):
            result[pid] = np.frombuffer(bytes(blob), dtype=np.float32)
    return result


def refresh_profile_vector(*, citizen_id: int, municipality_id: int) -> bool:
    """Embed the citizen's profile text into the cache (nothing when it is there already or when the
    citizen has no profile or no text). True when a vector is now cached."""
    from jobunivers.citizens import selectors as citizens
    from jobunivers.core.context import tenant_context

    with tenant_context(municipality_id):
        profile = citizens.profile_for(citizen_id=citizen_id)
    text = profile_text(profile) if profile is not None else ""
    if not text.strip():
        return False
    taxonomy.embed_texts([text], kind="query")
    return True


def text_vector(text: str) -> np.ndarray | None:
    if not text.strip():
        return None
    return taxonomy.embed_texts([text], kind="query")[0]
