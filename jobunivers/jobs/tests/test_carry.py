"""A word's matches carried to the next catalogue after a sync equal a fresh read of the index (carry.py)."""

import numpy as np
import pytest
from django.db import connection

from jobunivers.jobs import carry, catalogue
from jobunivers.jobs.search import _index_lookup, _term_matches, search_terms
from jobunivers.jobs.services import search_text_for
from jobunivers.jobs.tests.factories import JobPostingFactory

pytestmark = pytest.mark.django_db

WORDS = ("tømrer", "erfaren", "sygeplejerske", "lager", "kok")


def _term(word: str) -> str:
    return search_terms(word)[0]


def _fresh(now, term: str) -> tuple[list[int], dict[int, float]]:
    """The ids and scores a full read of the index gives now (what the cache used to do)."""
    ids, scores = _index_lookup(term)
    active = set(now.ids.tolist())
    found = {int(i): float(s) for i, s in zip(ids, scores, strict=True) if int(i) in active}
    return sorted(found), found


def _carried(now, term: str) -> tuple[list[int], dict[int, float]]:
    positions, scores = _term_matches(now, term)
    ids = now.ids[positions]
    return ids.tolist(), {int(i): float(s) for i, s in zip(ids, scores, strict=True)}


@pytest.fixture
def many(db):
    texts = ["Tømrer med erfaring", "Erfaren tømrer til renovering", "Sygeplejerske, erfaren", "Lagermedarbejder",
             "Kok til kantine", "Erfaren kok", "Lagerarbejder med truckcertifikat", "Tømrerlærling"]
    return [JobPostingFactory(title=texts[n % len(texts)], description=f"Stilling nummer {n}. " + texts[(n * 3) % 8])
            for n in range(40)]


def test_a_patched_catalogue_rebases_cached_words_and_equals_a_fresh_read(many):
    # given a catalogue whose word cache holds five words
    before = catalogue.current()
    for word in WORDS:
        _term_matches(before, _term(word))
    # when a sync adds postings, changes titles (a word added, a word taken away) and withdraws one
    new = [JobPostingFactory(title="Erfaren tømrer", description="Lager og kok"),
           JobPostingFactory(title="Sygeplejerske søges")]
    for posting, title, description in ((many[0], "Kok", ""), (many[1], "Sygeplejerske, erfaren", "Afdeling B")):
        posting.title, posting.description = title, description
        posting.search_text = search_text_for(title=title, employer_name=posting.employer_name, description=description)
        posting.save()
    many[2].status = "withdrawn"
    many[2].save()
    after = catalogue.current()
    # then the patched catalogue carries the earlier words as a layer, and no word is read from the index again
    # (the changes are the rows written since the earlier token, which may count its last row again)
    changed = {p.pk for p in [*new, *many[:3]]}
    assert after is not before and len(after.notes["layers"]) == 1
    assert changed <= set(after.notes["layers"][0].changed.tolist()) <= changed | {many[-1].pk}
    reads = []
    original = carry.carried

    for word in WORDS:
        term = _term(word)
        assert original(after, (connection.vendor, term), term) is not None, word
        ids, scores = _carried(after, term)
        fresh_ids, fresh_scores = _fresh(after, term)
        # the same postings as a fresh read ...
        assert ids == fresh_ids, word
        # ... and for the changed postings the score the index gives them (PostgreSQL: every score)
        check = fresh_ids if connection.vendor == "postgresql" else [i for i in fresh_ids if i in changed]
        for pk in check:
            assert scores[pk] == pytest.approx(fresh_scores[pk], rel=1e-4), (word, pk)
        reads.append(word)
    assert reads == list(WORDS)


def test_layers_chain_over_several_syncs_and_stop_at_the_change_limit(many, monkeypatch):
    before = catalogue.current()
    _term_matches(before, _term("tømrer"))
    # when two syncs follow, the word only read before the first
    first = JobPostingFactory(title="Tømrer")
    middle = catalogue.current()
    _term_matches(middle, _term("kok"))
    second = JobPostingFactory(title="Tømrer og kok")
    after = catalogue.current()
    # then both earlier caches are layers, the oldest with both syncs' changes
    newest, oldest = (set(layer.changed.tolist()) for layer in after.notes["layers"])
    assert second.pk in newest and {first.pk, second.pk} <= oldest
    for word in ("tømrer", "kok"):
        assert _carried(after, _term(word))[0] == _fresh(after, _term(word))[0], word
    # and a layer that saw more changes than the limit is dropped
    monkeypatch.setattr(catalogue, "INCREMENTAL_LIMIT", 3)
    JobPostingFactory(title="Kok")
    latest = catalogue.current()
    assert [len(layer.changed) <= 3 for layer in latest.notes["layers"]] == [True, True]
    assert len(latest.notes["layers"]) == 2  # the oldest, with 4 or 5 changes since, is gone


def test_a_full_build_starts_without_layers(many):
    catalogue.current()
    assert "layers" not in catalogue.build().notes


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_fts5_statistics_are_the_index_rows_and_mean_length(many):
    rows, mean = carry.fts5_statistics()
    texts = [p.search_text for p in many]
    assert rows == len(many)
    assert mean == pytest.approx(np.mean([len(carry.TOKEN.findall(t)) for t in texts]))


def test_varints_read_sqlite_encoding():
    assert carry._varints(bytes([0x05, 0x81, 0x00, 0xFF, 0x7F])) == [5, 128, 16383]


def test_a_patched_vocabulary_answers_as_one_read_afresh(many):
    from jobunivers.jobs import understanding

    # given a vocabulary that has answered heads and spellings
    asked = ("chauffør", "medarbejder", "arbejder", "tømrr", "lagermedarbjder", "kokk")
    vocabulary = understanding.vocabulary(catalogue.current())
    for word in asked:
        vocabulary.heads(word), vocabulary.nearest(word)
    # when postings with new title words arrive
    JobPostingFactory(title="Buschauffør")
    JobPostingFactory(title="Lagermedarbejder og truckfører")
    JobPostingFactory(title="Kokke til hotel")
    patched = understanding.vocabulary(catalogue.current())
    # then the patched vocabulary builds on the earlier answers and gives what a fresh one gives
    assert patched.earlier is vocabulary and {"buschauffør", "kokke"} <= patched.patched_words
    fresh = understanding.Vocabulary(dict(patched.counts))
    for word in asked:
        assert (patched.heads(word), patched.nearest(word)) == (fresh.heads(word), fresh.nearest(word)), word
    assert patched.heads("chauffør") == ["buschauffør"]


def test_a_short_word_is_carried_as_the_whole_word_the_index_matches(many):
    # given a cached two-letter word ("el" is matched whole, not as a prefix)
    JobPostingFactory(title="El-installatør", description="El og vand")
    before = catalogue.current()
    term = _term("el")
    _term_matches(before, term)
    # when a sync adds an ad with the word and one where it only begins a word
    with_word = JobPostingFactory(title="Elektriker", description="El-tavler og belysning")
    JobPostingFactory(title="Elektriker", description="Belysning")
    after = catalogue.current()
    # then the re-based matches are those of a fresh read: the new ad with the word, not the other one
    assert carry.carried(after, (connection.vendor, term), term) is not None
    ids, scores = _carried(after, term)
    fresh_ids, fresh_scores = _fresh(after, term)
    assert ids == fresh_ids
    assert len(ids) == 2 and with_word.pk in ids
    assert scores[with_word.pk] == pytest.approx(fresh_scores[with_word.pk], rel=1e-4)


def test_a_withdrawn_match_changed_again_is_not_counted_twice_on_a_small_index(db):
    """Seen as a search page's error: the word's estimated index rows grew past the index's rows, and
    the IDF's logarithm of a negative number raised."""
    from jobunivers.jobs.search import JobQuery, search_postings

    assert search_postings(JobQuery(text="kok")).total == 0
    cook = JobPostingFactory(title="Kok")
    assert search_postings(JobQuery(text="kok")).total == 1
    cook.status = "withdrawn"
    cook.save()
    assert search_postings(JobQuery(text="kok")).total == 0  # withdrawn, still in the index
    JobPostingFactory(title="Kok til kantine")
    results = search_postings(JobQuery(text="kok"))
    assert [hit.posting.title for hit in results.hits] == ["Kok til kantine"]
    if connection.vendor == "sqlite":
        rows, _ = carry.fts5_statistics()
        hits = [h for layer in catalogue.current().notes["layers"] for h in layer.hits.values()]
        assert rows == 2 and all(h <= rows for h in hits)
