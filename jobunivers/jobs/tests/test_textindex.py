"""The in-memory word index answers as SQLite's FTS5 index does: the same rows, the same bm25() (textindex.py)."""

import numpy as np
import pytest
from django.db import connection

from jobunivers.jobs import catalogue, textindex
from jobunivers.jobs.search import JobQuery, _index_lookup, search_postings, search_terms
from jobunivers.jobs.services import search_text_for
from jobunivers.jobs.tests.factories import JobPostingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.skipif("connection.vendor != 'sqlite'")]

WORDS = ("tømrer", "erfaren", "sygeplejerske", "lager", "kok", "a", "og", "stilling", "ab", "truck", "zzz", "københavn")


def _terms():
    return [t for word in WORDS for t in search_terms(word)]


def _assert_as_fts(index: textindex.View) -> None:
    for term in _terms():
        ids, scores, hits = index.lookup(term)
        fresh_ids, fresh_scores = _index_lookup(term)
        order = np.argsort(fresh_ids, kind="stable")
        assert ids.tolist() == fresh_ids[order].tolist(), term
        assert hits == len(fresh_ids), term
        np.testing.assert_allclose(scores, fresh_scores[order], rtol=1e-5, err_msg=term)


@pytest.fixture
def many(db):
    texts = ["Tømrer med erfaring", "Erfaren tømrer til renovering", "Sygeplejerske, erfaren", "Lagermedarbejder",
             "Kok til kantine", "Erfaren kok", "Lagerarbejder med truckcertifikat", "Tømrerlærling", "A/S Køkken ab"]
    postings = [JobPostingFactory(title=texts[n % len(texts)],
                                  description=f"Stilling nummer {n} i København. " + texts[(n * 3) % len(texts)] * (n % 4))
                for n in range(45)]
    postings[5].status = "withdrawn"  # still in FTS5's rows: counted in its statistics, never a match shown
    postings[5].save()
    return postings


def test_a_word_is_found_and_scored_as_fts5_does(many):
    _assert_as_fts(textindex.view(catalogue.current()))


def test_a_patched_catalogue_answers_from_the_base_and_the_changed_rows(many):
    before = catalogue.current()
    base = textindex.view(before).base
    # when a sync adds, changes and withdraws postings
    JobPostingFactory(title="Erfaren tømrer", description="Lager og kok i København")
    for posting, title in ((many[0], "Kok"), (many[1], "Sygeplejerske, erfaren truckfører")):
        posting.title = title
        posting.search_text = search_text_for(title=title, employer_name=posting.employer_name,
                                              description=posting.description)
        posting.save()
    many[2].status = "withdrawn"
    many[2].save()
    after = catalogue.current()
    index = textindex.view(after)
    # then the base is kept, the changed rows are an overlay, and the answers are FTS5's
    assert after is not before and index.base is base
    assert {many[0].pk, many[1].pk, many[2].pk} <= set(index.overlay)
    _assert_as_fts(index)


def test_a_catalogue_read_afresh_keeps_the_base_and_finds_the_rows_written_since(many, settings):
    base = textindex.view(catalogue.current()).base
    settings.JOBS_CATALOGUE_MAX_AGE = 0  # every request reads the catalogue afresh
    added = JobPostingFactory(title="Tømrer og kok")
    deleted = many[4].pk
    many[4].delete()  # a deletion moves no timestamp: the next full read sees it
    index = textindex.view(catalogue.current())
    assert index.base is base and {added.pk, deleted} <= set(index.overlay)
    assert index.overlay[deleted] is None
    _assert_as_fts(index)


def test_too_many_changes_read_a_new_base(many, monkeypatch):
    base = textindex.view(catalogue.current()).base
    monkeypatch.setattr(textindex, "REBASE_LIMIT", 2)
    for _ in range(3):
        JobPostingFactory(title="Kok")
    index = textindex.view(catalogue.current())
    assert index.base is not base and not index.overlay
    _assert_as_fts(index)


def test_search_pages_are_the_same_with_and_without_the_index(many, settings):
    queries = [JobQuery(text=t, page_size=50) for t in ("tømrer", "erfaren kok", "lager", "sygeplejerske",
                                                        "tømrerlærling", "stilling københavn", "ab")]
    queries += [JobQuery(text=q.text, understand=False, page_size=50) for q in queries]
    with_index = [[h.posting.pk for h in search_postings(q).hits] for q in queries]
    settings.JOBS_TEXT_INDEX_IN_MEMORY = False
    catalogue.clear()
    assert [[h.posting.pk for h in search_postings(q).hits] for q in queries] == with_index
    assert any(with_index)


def test_tokens_are_split_as_fts5_unicode61_does():
    assert textindex._tokens("tømr tømr erfar") == ["tømr", "tømr", "erfar"]
    assert textindex._tokens("a/s  kok_x\nNy") == ["a", "s", "kok", "x", "ny"]
    assert connection.vendor == "sqlite"
