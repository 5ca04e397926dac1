"""A word's index matches carried over to the next postings catalogue (issue 23's churn goal).

A JobStream sync changes a few postings every few seconds. Each change gives the process a new
catalogue (jobs.catalogue.refreshed), and its word cache used to start empty: every search after a
sync read its words from the full-text index again, and a frequent word ("erfaren", in three ads of
four) costs tens of milliseconds there. Instead, the new catalogue keeps the earlier catalogues' word
caches as *layers*, each with the posting ids that changed since it was made. A word found in a
layer is re-based, not read again: its matches among unchanged postings keep their scores and get
their new positions; only the changed postings are matched against the word:

- PostgreSQL: one query over those ids (`id = ANY`, the primary key), `ts_rank` as in the full
  look-up (the rank depends on the posting alone, so carried and fresh scores are the same);
- SQLite: FTS5 answers a prefix query by reading the word's whole posting list even for one rowid,
  so the changed postings' indexed text (their `search_text`, stemmed words) is matched in Python,
  token by token as FTS5's unicode61 tokenizer splits it, and scored with FTS5's own BM25 formula
  (k1 1.2, b 0.75) from the index's statistics (rows and tokens: the FTS5 averages record) and the
  word's number of matching rows at its last full read, adjusted by the changes. The test suite
  compares carried and fresh matches on both databases.

Layers are dropped when more than `INCREMENTAL_LIMIT` postings changed since they were made, and the
whole chain when the catalogue is read afresh (at the latest after JOBS_CATALOGUE_MAX_AGE).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from .models import JobPosting, PostingStatus
from .stemming import is_prefix, tsquery_text

MAX_LAYERS = 3  # earlier catalogues whose word caches are kept
BM25_K1, BM25_B = 1.2, 0.75  # FTS5's bm25() defaults
TOKEN = re.compile(r"[^\W_]+")  # as FTS5's unicode61 splits the (already lower-case, stemmed) text


@dataclass(frozen=True, eq=False)
class Layer:
    terms: dict  # an earlier catalogue's word cache: key -> (positions, scores)
    hits: dict  # key -> rows the index matched at the look-up (all statuses: FTS5's IDF counts them)
    ids: np.ndarray  # that catalogue's posting ids: its positions refer to them
    changed: np.ndarray  # posting ids written since (sorted, unique)


@dataclass
class Scratch:
    """What the re-basing reads once per catalogue: the changed postings' indexed words (SQLite)."""

    tokens: dict[int, tuple[bool, list[str]]] = field(default_factory=dict)  # id -> (active, indexed words)
    statistics: tuple[int, float] | None = None  # FTS5: rows and mean tokens per row


def layers_after(old, changed: list[int], limit: int) -> list[Layer]:
    """The layers of the catalogue that follows `old` when `changed` postings were written."""
    changed_ids = np.unique(np.asarray(changed, dtype=np.int64))
    layers = [Layer(terms=old.terms, hits=old.notes.setdefault("term_hits", {}), ids=old.ids, changed=changed_ids)]
    for layer in old.notes.get("layers", ()):
        union = np.union1d(layer.changed, changed_ids)
        if len(union) <= limit:
            layers.append(Layer(terms=layer.terms, hits=layer.hits, ids=layer.ids, changed=union))
    return layers[:MAX_LAYERS]


def carried(catalogue, key, term: str) -> tuple[tuple[np.ndarray, np.ndarray], int] | None:
    """((positions, scores), index hits) of `term` re-based from a layer, or None when no layer has it."""
    for layer in catalogue.notes.get("layers", ()):
        entry = layer.terms.get(key)
        hits = layer.hits.get(key)
        if entry is None or hits is None:
            continue
        positions, scores = entry
        old_ids = layer.ids[positions]
        unchanged = ~np.isin(old_ids, layer.changed, assume_unique=False)
        where, known = catalogue.locate(old_ids[unchanged])
        kept_positions = where[known]
        kept_scores = scores[unchanged][known]
        # The index's rows for the word, for FTS5's IDF: the changed postings are counted again as they
        # read now, whatever their status (a withdrawn ad stays in the index).
        removed = len(positions) - len(kept_positions)
        new_ids, new_scores, hits = _changed_matches(catalogue, layer, term, hits - removed)
        where, known = catalogue.locate(new_ids)
        positions = np.concatenate([kept_positions, where[known]]).astype(np.int32)
        scores = np.concatenate([kept_scores, new_scores[known]]).astype(np.float32)
        order = np.argsort(positions, kind="stable")
        return (positions[order], scores[order]), hits
    return None


def _changed_matches(catalogue, layer: Layer, term: str, hits: int) -> tuple[np.ndarray, np.ndarray, int]:
    """(ids, scores) of the layer's changed postings that are active and match `term` as a stem prefix,
    and the word's index rows with the changed postings counted as they read now."""
    if not len(layer.changed):
        return np.empty(0, np.int64), np.empty(0, np.float32), hits
    if connection.vendor == "postgresql":
        # Only the changed postings whose words may match (the catalogue's lexicon knows each one's):
        # most carried words match none of a sync's few postings, and then no statement is needed.
        lexicon = catalogue.notes.get("lexicon")
        ids = lexicon.written_matching(layer.changed, term) if lexicon is not None else None
        ids = [int(i) for i in layer.changed] if ids is None else ids
        rows = []
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT p.id, ts_rank(p.search_vector, q) FROM jobs_jobposting p, to_tsquery('pg_catalog.danish', %s) q"
                    " WHERE p.id = ANY(%s) AND p.status = %s AND p.search_vector @@ q",
                    [tsquery_text(term), ids, PostingStatus.ACTIVE])
                rows = cursor.fetchall()
    else:
        rows, hits = _sqlite_matches(catalogue, layer.changed, term, hits)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return ids, np.fromiter((r[1] for r in rows), dtype=np.float32, count=len(rows)), hits


def _scratch(catalogue) -> Scratch:
    scratch = catalogue.notes.get("carry_scratch")
    if scratch is None:
        scratch = catalogue.notes["carry_scratch"] = Scratch()
    return scratch


def _sqlite_matches(catalogue, changed: np.ndarray, term: str, hits: int) -> tuple[list[tuple[int, float]], int]:
    scratch = _scratch(catalogue)
    missing = [int(i) for i in changed if int(i) not in scratch.tokens]
    if missing:
        for pk, text, status in JobPosting.objects.filter(pk__in=missing).values_list("pk", "search_text", "status"):
            scratch.tokens[pk] = (status == PostingStatus.ACTIVE, TOKEN.findall((text or "").lower()))
        for pk in missing:
            scratch.tokens.setdefault(pk, (False, []))  # deleted: in neither the index nor the results
    if scratch.statistics is None:
        scratch.statistics = fts5_statistics()
    rows, mean_tokens = scratch.statistics
    found, in_index = [], 0
    prefix = is_prefix(term)
    for pk in changed:
        active, tokens = scratch.tokens[int(pk)]
        frequency = sum(1 for token in tokens if token.startswith(term)) if prefix else tokens.count(term)
        in_index += frequency > 0
        if frequency and active:
            found.append((int(pk), frequency, len(tokens)))
    # An estimate: a changed posting the layer counted while it was not a match (withdrawn, still in the
    # index) is counted again here. FTS5 never has more rows with a word than rows: a larger count made
    # the IDF's logarithm fail (a search page's error after a few changes to a small index).
    hits = min(max(hits + in_index, 0), rows)
    idf = math.log((rows - hits + 0.5) / (hits + 0.5)) if rows else 0.0
    idf = idf if idf > 0 else 1e-6  # as FTS5: a word in more than half the rows still counts a little
    return [(pk, idf * frequency * (BM25_K1 + 1) /
             (frequency + BM25_K1 * (1 - BM25_B + BM25_B * length / max(mean_tokens, 1e-9))))
            for pk, frequency, length in found], hits


def fts5_statistics() -> tuple[int, float]:
    """(rows, mean tokens per row) of the SQLite full-text index, from FTS5's averages record (the
    `_data` row with id 1: SQLite varints, the row count and the token count of each column)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT block FROM jobs_posting_fts_data WHERE id = 1")
        row = cursor.fetchone()
    numbers = _varints(bytes(row[0])) if row and row[0] else []
    if len(numbers) < 2 or not numbers[0]:
        return 0, 0.0
    return numbers[0], numbers[1] / numbers[0]


def _varints(block: bytes) -> list[int]:
    numbers: list[int] = []
    i = 0
    while i < len(block):
        value = 0
        for k in range(9):
            if i >= len(block):
                return numbers
            byte = block[i]
            i += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        numbers.append(value)
    return numbers
