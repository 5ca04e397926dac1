"""The postings' indexed words in process memory, for the search's word look-ups on SQLite (issue 23, ADR 0145).

A search word is a stem prefix ("ans" finds "ansæt", "ansøg", "ansvar") scored with BM25. FTS5
answers it by reading the word's whole posting list and calling bm25() once per matching row: the
first look-up of a common word in a process cost 40–200 ms ("ans" matches 35,000 of 50,000
postings), and that first use was the search's long tail. This index answers the same question
from memory in about a millisecond:

- every row of the FTS5 table (every posting, whatever its status: FTS5's row count, average
  length and each word's number of rows count them all, so the scores are FTS5's own), as a sparse
  matrix of term frequencies (scipy CSC: rows × the sorted vocabulary), with each row's length;
- a word's matches are the columns of the vocabulary range it is a prefix of (a whole word for
  terms shorter than `PREFIX_MIN_LENGTH`), summed per row, scored with FTS5's formula (k1 1.2,
  b 0.75, IDF `log((N - n + 0.5) / (n + 0.5))`, 1e-6 where that is not positive);
- tokens as FTS5's unicode61 tokenizer splits the stored, already stemmed and lower-cased
  `search_text` (the same split carry.py uses).

Freshness follows the catalogue's (jobs.catalogue): a *base* is read once per process and kept; the
postings changed since (the ids each patched catalogue names, or, after the catalogue is read
afresh, the rows whose `updated_at` differs from the base's) are an *overlay* read by id and matched
in Python, their base rows ignored. When the overlay outgrows `REBASE_LIMIT` rows, a new base is read.
Only SQLite: PostgreSQL's `ts_rank` weighs title, employer and description (A/B/C) from the stored
tsvector, which this index would not reproduce, so PostgreSQL keeps its index look-up.
"""

from __future__ import annotations

import math
import re
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import scipy.sparse as sp
from django.db import connection

from .stemming import is_prefix

BM25_K1, BM25_B = 1.2, 0.75  # FTS5's bm25() defaults
TOKEN = re.compile(r"[^\W_]+")  # as FTS5's unicode61 splits the (already lower-case, stemmed) text
REBASE_LIMIT = 2000  # changed rows matched in Python before a new base is read
_LAST_CHAR = "\U0010ffff"


OTHER = re.compile(r"[^\w\s]|_")  # a character that is neither in a token nor white space


def _tokens(text: str | None) -> list[str]:
    """The text's tokens; the stored text is stems and spaces, which str.split() cuts the same way."""
    text = (text or "").lower()
    return TOKEN.findall(text) if OTHER.search(text) else text.split()


@dataclass(frozen=True, eq=False)
class Base:
    """Every posting row's words at one read."""

    ids: np.ndarray  # int64, ascending
    stamps: list[str]  # updated_at as stored (text), aligned with ids
    words: list[str]  # the vocabulary, sorted
    matrix: sp.csc_matrix  # rows × words, term frequencies (float32)
    lengths: np.ndarray  # tokens per row (float64)
    read_seconds: float = 0.0

    @property
    def nbytes(self) -> int:
        m = self.matrix
        return (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes + self.ids.nbytes + self.lengths.nbytes
                + sum(len(w) + 49 for w in self.words) + 8 * len(self.words) + 90 * len(self.stamps))


def read_base() -> Base:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, search_text, CAST(updated_at AS TEXT) FROM jobs_jobposting ORDER BY id")
        rows = cursor.fetchall()
    per_row = [_tokens(r[1]) for r in rows]
    flat = list(chain.from_iterable(per_row))
    words = sorted(set(flat))
    column_of = dict(zip(words, range(len(words)), strict=True))
    columns = np.fromiter(map(column_of.__getitem__, flat), dtype=np.int32, count=len(flat))
    lengths = np.fromiter(map(len, per_row), dtype=np.int64, count=len(per_row))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    matrix = sp.csr_matrix((np.ones(len(columns), dtype=np.float32), columns, indptr), shape=(len(rows), len(words)))
    matrix.sum_duplicates()
    return Base(ids=np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
                stamps=[str(r[2]) for r in rows], words=words, matrix=matrix.tocsc(),
                lengths=lengths.astype(np.float64), read_seconds=time.perf_counter() - started)


@dataclass
class View:
    """A base with the rows changed since: what one catalogue's look-ups read."""

    base: Base
    overlay: dict[int, list[str] | None] = field(default_factory=dict)  # id -> words now (None: deleted)
    stale: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))  # base rows the overlay replaces
    rows: int = 0  # FTS5's row count now
    tokens: float = 0.0  # ... and its token count

    @classmethod
    def of(cls, base: Base, changed) -> View:
        changed = sorted({int(i) for i in changed})
        overlay: dict[int, list[str] | None] = dict.fromkeys(changed)
        if changed:
            with connection.cursor() as cursor:
                for start in range(0, len(changed), 500):
                    chunk = changed[start:start + 500]
                    cursor.execute(f"SELECT id, search_text FROM jobs_jobposting WHERE id IN ({','.join('%s' for _ in chunk)})",  # noqa: S608 - placeholders only
                                   chunk)
                    for pk, text in cursor.fetchall():
                        overlay[pk] = _tokens(text)
        where = np.searchsorted(base.ids, np.asarray(changed, dtype=np.int64))
        where = where[where < len(base.ids)]
        stale = np.zeros(len(base.ids), dtype=bool)
        stale[where[base.ids[where] == np.asarray(changed, dtype=np.int64)[:len(where)]]] = True
        present = [t for t in overlay.values() if t is not None]
        rows = int(len(base.ids) - stale.sum() + len(present))
        tokens = float(base.lengths.sum() - base.lengths[stale].sum() + sum(len(t) for t in present))
        return cls(base=base, overlay=overlay, stale=stale, rows=rows, tokens=tokens)

    def lookup(self, term: str) -> tuple[np.ndarray, np.ndarray, int]:
        """(ids ascending, scores, rows matched) of the rows matching `term` as FTS5's `"term"*` (or
        `"term"` for short terms) with -bm25(): every status, as the FTS5 table holds them."""
        base = self.base
        prefix = is_prefix(term)
        lo = bisect_left(base.words, term)
        hi = bisect_left(base.words, term + _LAST_CHAR) if prefix else lo + int(lo < len(base.words)
                                                                                   and base.words[lo] == term)
        matrix = base.matrix
        start, stop = matrix.indptr[lo], matrix.indptr[hi]
        rows = matrix.indices[start:stop]
        if hi - lo > 1:
            frequency = np.bincount(rows, weights=matrix.data[start:stop], minlength=len(base.ids))
            rows = np.flatnonzero(frequency)
            frequency = frequency[rows]
        else:
            order = np.argsort(rows, kind="stable")
            rows, frequency = rows[order], matrix.data[start:stop][order].astype(np.float64)
        if self.overlay:
            keep = ~self.stale[rows]
            rows, frequency = rows[keep], frequency[keep]
        ids, lengths = base.ids[rows], base.lengths[rows]
        if self.overlay:
            extra = []
            for pk, tokens in self.overlay.items():
                if tokens:
                    n = sum(1 for t in tokens if t.startswith(term)) if prefix else tokens.count(term)
                    if n:
                        extra.append((pk, n, len(tokens)))
            if extra:
                ids = np.concatenate([ids, np.fromiter((e[0] for e in extra), dtype=np.int64, count=len(extra))])
                frequency = np.concatenate([frequency, np.fromiter((e[1] for e in extra), dtype=np.float64,
                                                                   count=len(extra))])
                lengths = np.concatenate([lengths, np.fromiter((e[2] for e in extra), dtype=np.float64,
                                                               count=len(extra))])
                order = np.argsort(ids, kind="stable")
                ids, frequency, lengths = ids[order], frequency[order], lengths[order]
        hits = len(ids)
        if not self.rows:
            return ids, np.zeros(hits, dtype=np.float32), hits
        idf = math.log((self.rows - hits + 0.5) / (hits + 0.5))
        idf = idf if idf > 0 else 1e-6  # as FTS5: a word in more than half the rows still counts a little
        mean = self.tokens / self.rows
        scores = idf * frequency * (BM25_K1 + 1) / (frequency + BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(mean, 1e-9)))
        return ids, scores.astype(np.float32), hits


_lock = threading.Lock()
_base: Base | None = None  # this process's last base, kept across catalogues


def _changed_since(base: Base) -> list[int]:
    """Ids whose row differs from the base: new, deleted or written since (updated_at)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, CAST(updated_at AS TEXT) FROM jobs_jobposting ORDER BY id")
        now = cursor.fetchall()
    before = dict(zip(base.ids.tolist(), base.stamps, strict=True))
    changed = [pk for pk, stamp in now if before.pop(pk, None) != str(stamp)]
    return changed + list(before)  # ... and the deleted ones


def view(catalogue) -> View:
    """The index for `catalogue` (kept in its notes): the process's base and the rows changed since."""
    global _base
    found = catalogue.notes.get("text_index")
    if found is not None:
        return found
    with _lock:
        found = catalogue.notes.get("text_index")
        if found is not None:
            return found
        base, changed = catalogue.notes.get("text_base"), catalogue.notes.get("text_changed", [])
        if base is None or len(changed) > REBASE_LIMIT:
            base, changed = _base, None
            if base is not None:  # read afresh: compare with the rows' timestamps
                changed = _changed_since(base)
                if len(changed) > REBASE_LIMIT:
                    base = None
            if base is None:
                base, changed = read_base(), []
        _base = base
        found = View.of(base, changed)
        catalogue.notes["text_index"] = found
    return found


def carried_notes(old, changed: list[int]) -> dict:
    """Notes for the catalogue patched from `old`: its base and every row changed since that base."""
    index: View | None = old.notes.get("text_index")
    if index is not None:
        return {"text_base": index.base, "text_changed": [*index.overlay, *changed]}
    if old.notes.get("text_base") is not None:
        return {"text_base": old.notes["text_base"], "text_changed": [*old.notes.get("text_changed", []), *changed]}
    return {}


def clear() -> None:
    """Forget the process's base (tests roll back writes that keep their timestamps)."""
    global _base
    with _lock:
        _base = None
