"""The title vocabulary's indexes (understanding.Vocabulary) give the answers of a scan over every word:
the compounds a word is the head of, and the spellings a misspelt word may mean."""

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from jobunivers.jobs.stemming import stem
from jobunivers.jobs.understanding import MAX_COMPOUNDS, MIN_PART, Vocabulary

# Words made of known first parts ("el", "bus", "lager", ...), linking letters and heads, so that
# compounds, heads at the third letter and repeated roots occur, with a few letters of noise.
PARTS = ["el", "it", "bus", "lager", "last", "bil", "taxi", "kok", "kokke", "chauffør", "arbejder", "s", "e",
         "-", "k", "ø", "ab"]
word = st.lists(st.sampled_from(PARTS), min_size=1, max_size=4).map("".join)


def _heads_by_scan(vocab: Vocabulary, typed: str) -> list[str]:
    root = stem(typed)
    found = [w for w in vocab.counts if vocab._head_of(w, root)] if len(root) >= MIN_PART + 1 else []
    found.sort(key=lambda w: (-vocab.counts.get(w, 0), w))
    return found[:MAX_COMPOUNDS]


def _nearest_by_scan(vocab: Vocabulary, typed: str) -> str | None:
    pool = [w for w in vocab.counts if abs(len(w) - len(typed)) <= 2 and w != typed
            and (w[:1] == typed[:1] or w[-3:] == typed[-3:])]
    close = difflib.get_close_matches(typed, pool, n=1, cutoff=0.8) if len(typed) >= 4 else []
    return close[0] if close else None


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(word, st.integers(1, 50), max_size=60), word)
def test_heads_and_nearest_are_those_of_a_scan_over_every_title_word(counts, typed):
    vocab = Vocabulary(counts)
    assert vocab.heads(typed) == _heads_by_scan(vocab, typed)
    assert vocab.nearest(typed) == _nearest_by_scan(vocab, typed)


def test_a_root_is_found_at_the_third_letter_and_again_later_in_the_same_word():
    vocab = Vocabulary({"chauffør": 9, "buschauffør": 2, "elchauffør": 1, "lagerchauffør": 4, "schauffør": 1,
                        "chaufførchauffør": 3})
    root = stem("chauffør")
    assert set(vocab._containing(root)) == {"buschauffør", "elchauffør", "lagerchauffør", "chaufførchauffør"}
    assert vocab.heads("chauffør") == ["lagerchauffør", "buschauffør", "elchauffør"]
