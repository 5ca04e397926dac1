"""What a Danish job search means: synonyms and abbreviations, compound words, the occupations behind
the words, and typos (issue 23, ADR 0067).

A query's words become *groups*; a posting matches the query when it matches every required group
(place names, numbers and hours words are optional: they only rank). A group matches through any of
its *alternatives*, each a list of *slots* that must all match; a slot matches through any of its
index terms (the full-text index's stem-prefix look-up, jobs.search). Alternatives, by weight:

- the word as typed (1.0), and the title words it is the head of after known first parts
  ("chauffør" -> "buschauffør", "lastbilchauffør"; data/compounds_da.txt) (0.9);
- the project's synonyms and abbreviations (data/synonyms_da.txt: "sosu" -> "social- og
  sundhedsassistent") (0.8);
- a typed compound split into a known first part and its head ("taxachauffør" -> "taxa" + "chauffør") (0.7);
- for a word nothing matches, the nearest title word by spelling ("elektricker" -> "elektriker") (0.6).

Occupations behind the words: every required group is also looked up in the taxonomy (Danish
titles, labels and alternative titles; no semantic neighbours, to stay fast and explainable).
Postings of those occupations match the group whatever their title says and rank first; postings of
the same ISCO-08 unit group follow (jobs.search ranks). Everything is cached per postings catalogue.
"""

from __future__ import annotations

import bisect
import difflib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection

from jobunivers.taxonomy import selectors as taxonomy

from .models import JobPosting, PostingStatus
from .stemming import STOP_WORDS, stem, words

DATA = Path(__file__).resolve().parent / "data"
TYPED, COMPOUND, SYNONYM, SPLIT, TYPO = "typed", "compound", "synonym", "split", "typo"
WEIGHTS = {TYPED: 1.0, COMPOUND: 0.9, SYNONYM: 0.8, SPLIT: 0.7, TYPO: 0.6}
MIN_PART = 3  # shortest head or first part of a compound
MIN_HEAD_OFFSET = 2  # a head starts after a first part of at least this many letters
MAX_COMPOUNDS = 12  # title words one typed word may reach as their head (the most frequent)
OCCUPATION_SCORE = 0.6  # taxonomy look-up score an occupation needs to count as meant
OCCUPATION_SHARE = 0.8  # ... and at least this share of the best occupation's score
SUGGEST_RATIO = 10  # "Mente du": a spelling with this many times more title hits ...
SUGGEST_MIN = 20  # ... and at least this many
MAX_WORDS = 10  # words of one query that are understood
HOURS_WORDS = frozenset({"deltid", "deltids", "fuldtid", "fuldtids", "timer", "time", "t", "weekend", "aften",
                         "dag", "dagvagt", "aftenvagt", "fast", "fastansat", "vikar", "vikariat", "job", "stilling",
                         "stillinger", "arbejde", "ledig", "ledige", "søges"})


@dataclass(frozen=True)
class Alternative:
    slots: tuple[tuple[str, ...], ...]  # each slot: index terms, any may match; every slot must match
    kind: str  # TYPED, COMPOUND, SYNONYM, SPLIT or TYPO
    text: str  # what it searched for, as shown to the user

    @property
    def weight(self) -> float:
        return WEIGHTS[self.kind]


@dataclass
class Group:
    typed: str
    alternatives: list[Alternative]
    optional: bool = False
    occupations: dict[int, float] = field(default_factory=dict)  # occupation id -> look-up score


@dataclass
class Correction:
    typed: str
    suggestion: str
    applied: bool  # True: nothing matched the typed word, so the suggestion was searched for


@dataclass
class Interpretation:
    groups: list[Group]
    occupations: dict[int, float]  # every group's occupations (the query's meaning)
    isco: set[int]  # their ISCO-08 unit groups (filled by jobs.search from the catalogue)
    corrections: list[Correction]
    related: dict[int, float] = field(default_factory=dict)  # occupations the words name less clearly
    ignored: list[str] = field(default_factory=list)  # words beyond MAX_WORDS
    isco_known: bool = False  # `isco` was filled


# --- the project's word lists -------------------------------------------------------------------------


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    return [line.split("#", 1)[0].strip().lower() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def _normalised(text: str) -> str:
    return " ".join(words(text))


@lru_cache(maxsize=4)
def _synonyms(path: str) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for line in _read_lines(Path(path)):
        if "=" not in line:
            continue
        typed, _, alternatives = line.partition("=")
        key = _normalised(typed)
        found = tuple(a.strip() for a in alternatives.split(",") if _normalised(a) and _normalised(a) != key)
        if key and found:
            table[key] = tuple(dict.fromkeys(table.get(key, ()) + found))
    return table


@lru_cache(maxsize=4)
def _modifiers(path: str) -> frozenset[str]:
    return frozenset(w for line in _read_lines(Path(path)) for w in words(line) if len(w) >= 2)


SYNONYMS_FILE = str(DATA / "synonyms_da.txt")  # the defaults, as text: asked for each word of each query
COMPOUNDS_FILE = str(DATA / "compounds_da.txt")


def synonyms() -> dict[str, tuple[str, ...]]:
    return _synonyms(str(getattr(settings, "JOBS_SEARCH_SYNONYMS_FILE", "") or SYNONYMS_FILE))


def modifiers() -> frozenset[str]:
    return _modifiers(str(getattr(settings, "JOBS_SEARCH_COMPOUNDS_FILE", "") or COMPOUNDS_FILE))


def is_first_part(text: str) -> bool:
    """Whether `text` is one or more known first parts, each optionally with a linking s, e or hyphen
    ("bus", "lastbil", "butiks", "deltidsbus")."""
    return _first_parts(text, modifiers())


@lru_cache(maxsize=20_000)
def _first_parts(text: str, known: frozenset[str]) -> bool:
    text = text.rstrip("-")
    if not text:
        return False
    if text in known or (text[-1] in "se" and text[:-1] in known):
        return True
    return any(text[:cut] in known and _first_parts(text[cut:], known) for cut in range(2, len(text) - 1))


# --- the postings' title words ----------------------------------------------------------------------------


class Vocabulary:
    """The words of active postings' titles with how many postings have each (built once per full
    catalogue build, then patched with the titles that changed)."""

    def __init__(self, counts: dict[str, int], occupations: dict | None = None, occupation_matcher=None):
        self.counts = counts
        # The occupations a text names (taxonomy look-up), kept while the title words are patched, and
        # the look-up they came from (taxonomy.occupation_name_matcher, read on first use): the taxonomy
        # as this vocabulary saw it, like `label_words`, until the next full catalogue build.
        self.occupations: dict[str, dict[int, float]] = occupations if occupations is not None else {}
        self.occupation_matcher = occupation_matcher
        self.label_words: frozenset[str] | None = None
        self.english: EnglishNames | None = None  # the occupations' English names (english_names)
        self.known: list[str] = []  # label and title words, sorted: a prefix is looked up by bisection
        self.by_first: dict[str, list[str]] = {}
        for word in counts:
            self.by_first.setdefault(word[:1], []).append(word)
        self.compounds: dict[str, list[str]] = {}
        self.near: dict[str, str | None] = {}
        # After a patch: the earlier vocabulary's answers, completed with the patched titles' words on use
        # (`heads` scans every title word, `nearest` compares spellings: milliseconds a word).
        self.earlier: Vocabulary | None = None
        self.patched_words: frozenset[str] = frozenset()
        self._text: tuple[str, list[int], list[str]] | None = None  # _joined()
        self._by_ending: dict[str, list[str]] | None = None  # _ending()

    def patched(self, counts: dict[str, int], changed_words: set[str]) -> Vocabulary:
        """The vocabulary after postings with `changed_words` in their titles were written."""
        after = Vocabulary(counts, occupations=self.occupations, occupation_matcher=self.occupation_matcher)
        after.earlier, after.patched_words = self, frozenset(changed_words)
        if self.label_words is not None:
            after.label_words = self.label_words
            after.known = sorted(set(self.known) | changed_words)
        after.english = self.english
        return after

    def starts_a_known_word(self, prefix: str) -> bool:
        """Whether some label or title word starts with `prefix`."""
        at = bisect.bisect_left(self.known, prefix)
        return at < len(self.known) and self.known[at].startswith(prefix)

    def _head_of(self, candidate: str, root: str) -> bool:
        at = candidate.find(root, MIN_HEAD_OFFSET)
        return at >= MIN_HEAD_OFFSET and is_first_part(candidate[:at])

    def _joined(self) -> tuple[str, list[int], list[str]]:
        """The title words as one string (one per line) with each word's offset: a root is found in
        all of them by `str.find` in C, not by a Python loop over every word (the vocabulary holds
        tens of thousands; a new word's compounds took about 0.3 ms that way)."""
        if self._text is None:
            ordered = list(self.counts)
            starts, offset = [], 0
            for word in ordered:
                starts.append(offset)
                offset += len(word) + 1
            self._text = ("\n".join(ordered) + "\n", starts, ordered)
        return self._text

    def _containing(self, root: str) -> list[str]:
        """The title words with `root` at their third character or later (what `_head_of` looks for)."""
        text, starts, ordered = self._joined()
        found, at = [], text.find(root)
        while at >= 0:
            index = bisect.bisect_right(starts, at) - 1
            start = starts[index]
            if at - start >= MIN_HEAD_OFFSET:
                found.append(ordered[index])
                at = text.find(root, start + len(ordered[index]) + 1)  # the next word's
            else:
                at = text.find(root, start + MIN_HEAD_OFFSET)  # later in the same word
        return found

    def _ending(self, ending: str) -> list[str]:
        """The title words that end in `ending` (their last three letters), by an index made on first use."""
        if self._by_ending is None:
            by_ending: dict[str, list[str]] = {}
            for word in self.counts:
                by_ending.setdefault(word[-3:], []).append(word)
            self._by_ending = by_ending
        return self._by_ending.get(ending, [])

    def heads(self, word: str) -> list[str]:
        """Title words that are `word` after known first parts ("chauffør" -> "buschauffør"); as a stem,
        so inflected forms count ("buschauffører")."""
        hit = self.compounds.get(word)
        if hit is not None:
            return hit
        root = stem(word)
        found = []
        if len(root) >= MIN_PART + 1:
            before = self.earlier.compounds.get(word) if self.earlier is not None else None
            if before is not None and len(before) < MAX_COMPOUNDS:  # all of them then: add the new words'
                found = list(dict.fromkeys(before + [w for w in self.patched_words if self._head_of(w, root)]))
            else:
                found = [candidate for candidate in self._containing(root) if self._head_of(candidate, root)]
        found.sort(key=lambda w: (-self.counts.get(w, 0), w))
        self.compounds[word] = found[:MAX_COMPOUNDS]
        return self.compounds[word]

    def _pool(self, word: str, candidates) -> list[str]:
        return [w for w in candidates if abs(len(w) - len(word)) <= 2 and w != word
                and (w[:1] == word[:1] or w[-3:] == word[-3:])]

    def nearest(self, word: str) -> str | None:
        """The most frequent title word spelled like `word` (difflib ratio >= 0.8), or None."""
        if word in self.near:
            return self.near[word]
        if self.earlier is not None and word in self.earlier.near:  # only the new words can be nearer
            before = self.earlier.near[word]
            pool = ([before] if before else []) + self._pool(word, self.patched_words - {before})
        else:
            pool = [w for w in self.by_first.get(word[:1], []) if abs(len(w) - len(word)) <= 2 and w != word]
            pool += [w for w in self._ending(word[-3:])
                     if w[:1] != word[:1] and abs(len(w) - len(word)) <= 2]
        close = difflib.get_close_matches(word, pool, n=1, cutoff=0.8) if len(word) >= 4 else []
        best = close[0] if close else None
        self.near[word] = best
        return best


def _title_counts(titles) -> dict[str, int]:
    counts: dict[str, int] = {}
    for title in titles:
        for word in set(words(title or "")):
            if word not in STOP_WORDS and not word.isdigit():
                counts[word] = counts.get(word, 0) + 1
    return counts


_vocabulary_lock = threading.Lock()


def vocabulary(catalogue) -> Vocabulary:
    notes = catalogue.notes
    found = notes.get("vocabulary")
    if found is not None:
        return found
    with _vocabulary_lock:
        found = notes.get("vocabulary")
        if found is None:
            base: Vocabulary | None = notes.get("vocabulary_base")
            if base is not None:  # patched: the old counts plus the changed postings' titles
                counts = dict(base.counts)
                changed = JobPosting.objects.filter(pk__in=notes.get("vocabulary_changed", []),
                                                    status=PostingStatus.ACTIVE).values_list("title", flat=True)
                added = _title_counts(changed)
                for word, n in added.items():
                    counts[word] = counts.get(word, 0) + n
                base.earlier = None  # one generation back is enough, and the chain must not grow
                found = base.patched(counts, set(added))
            else:
                found = Vocabulary(_title_counts(JobPosting.objects.filter(status=PostingStatus.ACTIVE)
                                                 .values_list("title", flat=True).iterator(chunk_size=5000)))
            notes["vocabulary"] = found
    return found


# --- a query's meaning ----------------------------------------------------------------------------


def index_terms(text: str) -> tuple[str, ...]:
    """The index terms of a text: its words without stop words; stems on SQLite (PostgreSQL stems)."""
    terms: list[str] = []
    for word in words(text):
        if word in STOP_WORDS:
            continue
        term = stem(word) if connection.vendor == "sqlite" else word
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)


def _slot(vocab: Vocabulary, word: str) -> tuple[str, ...]:
    """A word and the title compounds it is the head of, as index terms."""
    terms = list(index_terms(word))
    for compound in vocab.heads(word):
        terms.extend(t for t in index_terms(compound) if t not in terms)
    return tuple(terms)


def _phrase_alternative(vocab: Vocabulary, text: str, kind: str) -> Alternative | None:
    slots = tuple(s for s in (_slot(vocab, w) for w in words(text) if w not in STOP_WORDS) if s)
    return Alternative(slots=slots, kind=kind, text=text) if slots else None


def _place_words(catalogue) -> frozenset[str]:
    """The words of Danish postcode names ("aarhus", "odense"), read once per catalogue."""
    found = catalogue.notes.get("places")
    if found is None:
        found = catalogue.notes["places"] = frozenset(
            w for p in taxonomy.all_postcodes() for w in words(p.name) if len(w) > 1 and w not in STOP_WORDS)
    return found


def _split_words(text: str) -> list[str]:
    """The query's words, without stop words, hyphenated words kept whole ("el-installatør")."""
    kept = []
    for token in re.split(r"[\s,;/]+", text.lower()):
        token = token.strip("-'.!?()[]{}\"")
        if not token:
            continue
        parts = words(token)
        if not parts or all(p in STOP_WORDS for p in parts):
            continue
        kept.append(token if len(parts) > 1 and "-" in token else " ".join(parts))
    return kept


def _occupations(text: str, vocab: Vocabulary) -> dict[int, float]:
    """The occupations a text names, by the taxonomy's look-up (names only), with their scores;
    cached per vocabulary (see `interpret`)."""
    cache = vocab.occupations
    key = " ".join(words(text))
    found = cache.get(key)
    if found is None:
        if vocab.occupation_matcher is None:
            vocab.occupation_matcher = taxonomy.occupation_name_matcher()
        matches = vocab.occupation_matcher(text, limit=8)
        best = max((m.score for m in matches), default=0.0)
        found = {m.id: m.score for m in matches
                 if m.score >= OCCUPATION_SCORE and m.score >= best * OCCUPATION_SHARE and not m.deprecated}
        if len(cache) > 20_000:
            cache.clear()
        cache[key] = found
    return found


# Words after which an English occupation name qualifies its head ("nurse responsible for general care").
_ENGLISH_QUALIFIERS = frozenset({"of", "for", "responsible", "in", "at", "with", "and", "on"})


@dataclass(frozen=True)
class EnglishNames:
    """The occupations' English names, preferred and alternative (normalised: "warehouse worker",
    "waiter", "kindergarten teacher"), and the head words of the preferred ones ("worker", "nurse" of
    "nurse responsible for general care"): a query in English names a job with them, though no Danish
    title has the words. The taxonomy's look-up knows the same names."""

    names: frozenset[str]
    heads: frozenset[str]
    danish: dict[str, tuple[str, ...]]  # name -> the Danish names of the occupations that have it


def english_names(vocab: Vocabulary) -> EnglishNames:
    if vocab.english is None:
        names: set[str] = set()
        heads: set[str] = set()
        danish: dict[str, list[str]] = {}
        for preferred, alternatives, danish_name in taxonomy.occupation_english_names():
            for english in (preferred, *alternatives):
                normalised = " ".join(words(english))
                names.add(normalised)
                if danish_name and danish_name not in danish.setdefault(normalised, []):
                    danish[normalised].append(danish_name)
            name = words(preferred)
            if not name:
                continue
            # Head words of the preferred names only: ESCO's 30,000 alternative names would make
            # thousands of skill words ("access", "schedule") look like jobs.
            before = []
            for word in name:
                if word in _ENGLISH_QUALIFIERS:
                    break
                before.append(word)
            if before and len(before[-1]) >= MIN_PART and before[-1] not in STOP_WORDS:
                heads.add(before[-1])
        names.discard("")
        vocab.english = EnglishNames(names=frozenset(names), heads=frozenset(heads),
                                     danish={k: tuple(v) for k, v in danish.items() if k})
    return vocab.english


def _names_a_job(vocab: Vocabulary, typed: str, table: dict) -> bool:
    if _normalised(typed) in table:
        return True
    english = english_names(vocab)
    if _normalised(typed) in english.names or any(w in english.heads for w in words(typed)):
        return True
    if vocab.label_words is None:  # the words of the occupations' Danish names and the Danish job titles
        names = [str(label) for _, label in taxonomy.occupation_choices(language="da")]
        names += [t.title for t in taxonomy.danish_job_titles()]
        vocab.label_words = frozenset(w for name in names for w in words(name))
        vocab.known = sorted(vocab.label_words | set(vocab.counts))
    return any(w in vocab.counts or w in vocab.label_words or vocab.heads(w) or vocab.starts_a_known_word(stem(w))
               for w in words(typed) if w not in STOP_WORDS and len(w) >= 2)


def _group(vocab: Vocabulary, typed: str, table: dict[str, tuple[str, ...]], places: frozenset[str]) -> Group:
    alternatives: list[Alternative] = []
    own = _phrase_alternative(vocab, typed, TYPED)
    if own is not None:
        alternatives.append(own)
    for synonym in table.get(_normalised(typed), ()):
        alternative = _phrase_alternative(vocab, synonym, SYNONYM)
        if alternative is not None:
            alternatives.append(alternative)
    if not any(w in vocab.counts for w in words(typed)):
        # An English name whose words no title has ("sales assistant") also means its occupations'
        # Danish names as words: ads are titled "Salgsassistent" whatever occupation the source gave.
        for danish in english_names(vocab).danish.get(_normalised(typed), ()):
            alternative = _phrase_alternative(vocab, danish, SYNONYM)
            if alternative is not None and alternative not in alternatives:
                alternatives.append(alternative)
    single = words(typed)
    if len(single) == 1 and len(single[0]) >= 2 * MIN_PART:
        word = single[0]
        for cut in range(len(word) - MIN_PART, 1, -1):  # the longest known first part ("lastbils", not "last")
            first, head = word[:cut], word[cut:]
            # The head must be a word of the postings' titles, end some ("lagerarbejder": "arbejder") or
            # be a word for a job ("lagerjob"); a place name such as "Billum" is no "bil" + "lum" (and
            # "bil" alone reads 20,000 ads).
            if is_first_part(first) and len(head) >= MIN_PART and (
                    head in vocab.counts or head in HOURS_WORDS or vocab.heads(head)):
                first_slot = list(_slot(vocab, first.rstrip("-")))
                for synonym in table.get(first.rstrip("-"), ()):
                    first_slot += [t for t in index_terms(synonym) if t not in first_slot]
                head_slot = _slot(vocab, head)
                if first_slot and head_slot:
                    alternatives.append(Alternative(slots=(tuple(first_slot), head_slot), kind=SPLIT,
                                                    text=f"{first.rstrip('-')} + {head}"))
                break
    occupations: dict[int, float] = {}
    # The taxonomy is asked only about words that name jobs in titles or the synonym list (a word
    # of an employer's name or a skill names no occupation; each look-up costs milliseconds).
    if _names_a_job(vocab, typed, table):
        for text in [typed, *table.get(_normalised(typed), ())]:
            for pk, score in _occupations(text, vocab).items():
                occupations[pk] = max(occupations.get(pk, 0.0), score)
    return Group(typed=typed, alternatives=alternatives, occupations=occupations,
                 optional=all(w.isdigit() or w in HOURS_WORDS or w in places for w in single))


def interpret(catalogue, text: str, matches: Callable[[Group], int]) -> Interpretation:
    """The query's groups, its occupations and spelling corrections (cached per catalogue).
    `matches(group)`: how many active postings a group matches (a word nothing matches is spelled
    as the nearest title word)."""
    cache = catalogue.notes.setdefault("interpretations", {})
    key = (connection.vendor, " ".join(text.lower().split()))
    hit = cache.get(key)
    if hit is not None:
        return hit
    vocab = vocabulary(catalogue)
    table = synonyms()
    tokens = _split_words(text)
    ignored = tokens[MAX_WORDS:]  # a query is a few words; the rest are left out (and the page says so)
    tokens = tokens[:MAX_WORDS]
    groups: list[Group] = []
    i = 0
    while i < len(tokens):  # the longest typed phrase the synonyms know ("sosu hjælper") is one group
        for size in range(min(3, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i:i + size])
            if size == 1 or _normalised(phrase) in table or _normalised(phrase) in english_names(vocab).names:
                groups.append(_group(vocab, phrase, table, _place_words(catalogue)))
                i += size
                break
    if groups and all(g.optional for g in groups):
        for g in groups:
            g.optional = False
    corrections: list[Correction] = []
    for g in groups:
        fix = correction(vocab, g.typed)
        if fix is None:
            continue
        fix.applied = fix.applied and not g.occupations and not matches(g)
        if fix.applied and (alternative := typo_alternative(vocab, fix)) is not None:
            g.alternatives.append(alternative)
            g.optional = False
        if fix.typed not in vocab.counts and not any(a.kind == SYNONYM for a in g.alternatives):
            # an unknown word the synonyms do not know means the occupations of its better spelling
            g.occupations = _occupations(fix.suggestion, vocab) or g.occupations
        corrections.append(fix)
    # The query's occupations: their look-up scores added over the required groups ("pædagog
    # børnehave" means the occupation both words name); those close to the best are the query's,
    # the others only related (ranked with the unit group).
    total: dict[int, float] = {}
    for g in groups:
        if not g.optional:
            for pk, score in g.occupations.items():
                total[pk] = total.get(pk, 0.0) + score
    best = max(total.values(), default=0.0)
    occupations = {pk: score for pk, score in total.items() if score >= best * OCCUPATION_SHARE}
    related = {pk: score for pk, score in total.items() if pk not in occupations}
    found = Interpretation(groups=groups, occupations=occupations, isco=set(), corrections=corrections,
                           related=related, ignored=ignored)
    if len(cache) > 5_000:  # small objects (the match lists are in the word cache, jobs.search)
        cache.pop(next(iter(cache)))
    cache[key] = found
    return found


def correction(vocab: Vocabulary, typed: str) -> Correction | None:
    """A better-known spelling of a single typed word: applied when the word is no title word at
    all, only suggested when the other spelling has many more title hits."""
    single = words(typed)
    if len(single) != 1 or single[0].isdigit() or len(single[0]) < 4:
        return None
    word = single[0]
    near = vocab.nearest(word)
    if near is None:
        return None
    mine, theirs = vocab.counts.get(word, 0), vocab.counts.get(near, 0)
    if theirs >= SUGGEST_MIN and theirs >= SUGGEST_RATIO * max(mine, 1):
        return Correction(typed=word, suggestion=near, applied=mine == 0)
    return None


def typo_alternative(vocab: Vocabulary, fix: Correction) -> Alternative | None:
    return _phrase_alternative(vocab, fix.suggestion, TYPO)
