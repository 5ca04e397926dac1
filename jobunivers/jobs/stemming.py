"""The Snowball Danish stemmer, the algorithm PostgreSQL's 'danish' text search configuration uses.

SQLite's FTS5 has no Danish stemmer, so the application stems the indexed text
and the query with this one; both databases then find "tømrere" for "tømrer".
Written from the published algorithm (snowballstem.org, BSD licence).
"""

from __future__ import annotations

import re
from functools import lru_cache

VOWELS = frozenset("aeiouyæåø")
S_ENDING = frozenset("abcdfghjklmnoprtvyzå")
MAIN_SUFFIXES = sorted(
    ["hed", "ethed", "ered", "e", "erede", "ende", "erende", "ene", "erne", "ere", "en", "heden", "eren", "er",
     "heder", "erer", "heds", "es", "endes", "erendes", "enes", "ernes", "eres", "ens", "hedens", "erens", "ers",
     "ets", "erets", "et", "eret", "s"],
    key=len, reverse=True,
)
CONSONANT_PAIRS = ("gd", "dt", "gt", "kt")
OTHER_SUFFIXES = sorted(["ig", "lig", "elig", "els", "løst"], key=len, reverse=True)
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Snowball's Danish stop words (snowballstem.org, BSD licence): the list PostgreSQL's 'danish'
# configuration drops, dropped from SQLite searches too so both databases answer alike.
STOP_WORDS = frozenset({
    "og", "i", "jeg", "det", "at", "en", "den", "til", "er", "som", "på", "de", "med", "han", "af", "for",
    "ikke", "der", "var", "mig", "sig", "men", "et", "har", "om", "vi", "min", "havde", "ham", "hun", "nu",
    "over", "da", "fra", "du", "ud", "sin", "dem", "os", "op", "man", "hans", "hvor", "eller", "hvad", "skal",
    "selv", "her", "alle", "vil", "blev", "kunne", "ind", "når", "være", "dog", "noget", "ville", "jo",
    "deres", "efter", "ned", "skulle", "denne", "end", "dette", "mit", "også", "under", "have", "dig", "anden",
    "hende", "mine", "alt", "meget", "sit", "sine", "vor", "mod", "disse", "hvis", "din", "nogle", "hos",
    "blive", "mange", "ad", "bliver", "hendes", "været", "thi", "jer", "sådan",
})


def _r1(word: str) -> int:
    p1 = len(word)
    for i in range(1, len(word)):
        if word[i - 1] in VOWELS and word[i] not in VOWELS:
            p1 = i + 1
            break
    return max(p1, 3)


def _consonant_pair(word: str, p1: int) -> str:
    if any(word[p1:].endswith(pair) for pair in CONSONANT_PAIRS):
        return word[:-1]
    return word


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    word = word.lower()
    if len(word) < 3:
        return word
    p1 = _r1(word)
    if p1 >= len(word):
        return word
    # Step 1: main suffixes within R1.
    region = word[p1:]
    for suffix in MAIN_SUFFIXES:
        if region.endswith(suffix):
            if suffix == "s":
                if len(word) >= 2 and word[-2] in S_ENDING:
                    word = word[:-1]
            else:
                word = word[: -len(suffix)]
            break
    # Step 2: consonant pairs.
    word = _consonant_pair(word, p1)
    # Step 3: other suffixes.
    if word.endswith("igst"):
        word = word[:-2]
    region = word[p1:]
    for suffix in OTHER_SUFFIXES:
        if region.endswith(suffix):
            if suffix == "løst":
                word = word[:-1]
            else:
                word = word[: -len(suffix)]
                word = _consonant_pair(word, p1)
            break
    # Step 4: undouble a final consonant in R1.
    if len(word) > p1 and len(word) >= 2 and word[-1] not in VOWELS and word[-1] == word[-2]:
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def stem_text(text: str) -> str:
    """All words of `text`, stemmed, separated by spaces (the indexed form on SQLite)."""
    return " ".join(stem(w) for w in words(text))


# A word shorter than this is matched whole, not as a prefix: "a" and "s" of "A/S", "f" of "Nykøbing F"
# or "sø" as prefixes match most postings (and read tens of thousands of index rows for nothing).
PREFIX_MIN_LENGTH = 3


def is_prefix(term: str) -> bool:
    """Whether `term` matches as a stem prefix ("tømrer" finds "tømrerfirma") or only as a whole word."""
    return len(term) >= PREFIX_MIN_LENGTH


def tsquery_text(term: str) -> str:
    """PostgreSQL's to_tsquery text for one search word."""
    return f"{term}:*" if is_prefix(term) else term


def fts5_query_text(term: str) -> str:
    """SQLite FTS5's MATCH text for one search word (a quoted string: no operators)."""
    return f'"{term}"*' if is_prefix(term) else f'"{term}"'
