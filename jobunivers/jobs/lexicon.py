"""The words PostgreSQL's full-text index holds, kept with the postings catalogue: a search word that no
posting has is answered from memory instead of by a statement to the index (issue 23's speed goal).

A new query's words are read from the index once per catalogue (jobs.search). On the job-search bench
four of five such reads found nothing (misspellings, English skill words, words no ad uses), and each
still cost a round trip to the database server: about 0.9 ms between the request's other work, 0.36 ms
back to back, for a statement that itself takes 0.07 ms.

The lexicon is the set of lexemes (stems) in the active postings' `search_vector`, read with
PostgreSQL's own `ts_stat` after the catalogue's rows (a posting in the catalogue is in the lexicon),
and extended with the lexemes of the postings that changed when the catalogue is patched
(`catalogue.refreshed`), each changed posting's own lexemes kept too: a word carried to the patched
catalogue (carry.py) asks the index only about the changed postings that may match it. It may hold words no active posting has any more (a withdrawn ad's), which
only costs the read it would have cost anyway; it never lacks a word of a posting in the catalogue,
except where a write committed out of order hides from the version token, which the catalogue's full
read bounds (JOBS_CATALOGUE_MAX_AGE), as it does for the catalogue's own columns and carried words.

A word "may match" when a lexeme starts with its stem (a prefix search, `stemming.is_prefix`) or equals
it (a short word). The stem is the application's Snowball Danish stemmer, the algorithm of PostgreSQL's
'danish' configuration (test_lexicon compares the two); a word with anything but letters is always
read from the index, as PostgreSQL's parser may split it. SQLite's FTS5 index is in the process: its
reads cost no round trip, and it keeps no lexicon.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from django.db import connection

from .models import JobPosting, PostingStatus
from .stemming import is_prefix, stem

# Postings whose own lexemes are kept between full reads: a few kB each for a bench ad, tens of kB for
# a long real one; as many as a patch may change (catalogue.INCREMENTAL_LIMIT) is at most tens of MB.
MAX_WRITTEN = 2_000


@dataclass(frozen=True)
class Lexicon:
    words: tuple[str, ...]  # sorted: the active postings' lexemes at the catalogue's full read
    added: tuple[str, ...] = ()  # sorted: lexemes of postings written since (a patch never re-sorts `words`)
    # Each posting written since the full read: its lexemes (sorted) as the catalogue's patch read them,
    # () for a deleted one. A word carried to a patched catalogue is matched against them (carry.py).
    written: dict[int, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def may_match(self, term: str) -> bool:
        """False only when no posting of the catalogue can match `term` (a search word, unstemmed)."""
        key = _key(term)
        return key is None or _has(self.words, *key) or _has(self.added, *key)

    def written_matching(self, ids, term: str) -> list[int] | None:
        """Those of the written postings `ids` whose lexemes may match `term`; None when one of them
        is not known here (then the index must say)."""
        key = _key(term)
        if key is None:
            return None
        found = []
        for pk in ids:
            lexemes = self.written.get(int(pk))
            if lexemes is None:
                return None
            if _has(lexemes, *key):
                found.append(int(pk))
        return found

    def with_postings(self, ids: list[int]) -> Lexicon:
        """This lexicon and the lexemes of the postings `ids` (written since: new, changed or withdrawn)."""
        if not ids:
            return self
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, tsvector_to_array(search_vector) FROM {_table()} WHERE id = ANY(%s)",  # noqa: S608 - model's table
                [list(ids)])
            read = {int(pk): tuple(sorted(lexemes or ())) for pk, lexemes in cursor.fetchall()}
        written = {**self.written, **{int(pk): read.get(int(pk), ()) for pk in ids}}
        if len(written) > MAX_WRITTEN:  # a very busy few minutes: carried words ask the index again
            written = {}
        new = {word for lexemes in read.values() for word in lexemes if not _has(self.words, word, False)}
        added = self.added if new <= set(self.added) else tuple(sorted(new | set(self.added)))
        return Lexicon(words=self.words, added=added, written=written)

def _key(term: str) -> tuple[str, bool] | None:
    """(stem, matched as a prefix) of a search word as PostgreSQL's to_tsquery reads it; None for a
    word with anything but letters, which its parser may split (then only the index can say)."""
    return (stem(term), is_prefix(term)) if term.isalpha() else None


def _has(words: tuple[str, ...], root: str, prefix: bool) -> bool:
    at = bisect_left(words, root)
    return at < len(words) and (words[at].startswith(root) if prefix else words[at] == root)


def _table() -> str:
    return connection.ops.quote_name(JobPosting._meta.db_table)


def read() -> Lexicon | None:
    """The active postings' lexemes (PostgreSQL), None on a database without a lexicon to read."""
    if connection.vendor != "postgresql":
        return None
    inner = f"SELECT search_vector FROM {_table()} WHERE status = '{PostingStatus.ACTIVE.value}'"  # noqa: S608 - constants
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM ts_stat(%s)", [inner])
        return Lexicon(words=tuple(sorted(row[0] for row in cursor.fetchall())))


def may_match(catalogue, term: str) -> bool:
    """Whether `term` needs a read of the index for `catalogue` (always, without a lexicon)."""
    lexicon = catalogue.notes.get("lexicon")
    return lexicon is None or lexicon.may_match(term)
