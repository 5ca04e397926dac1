"""The index's lexicon (lexicon.py): a word no posting has is answered without a statement to the index,
and the answer is the one the index gives, also after postings are added and changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobunivers.jobs import catalogue, search
from jobunivers.jobs.lexicon import Lexicon
from jobunivers.jobs.search import JobQuery, search_postings
from jobunivers.jobs.stemming import stem, words
from jobunivers.jobs.tests.factories import JobPostingFactory

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text index")


def test_a_word_may_match_when_a_lexeme_starts_with_its_stem_or_a_short_word_is_one():
    # given a lexicon read at a full build and one word added by a patch
    found = Lexicon(words=("aarhus", "lagermedarbejd", "tømr"), added=("kranfør",))
    # when / then: a prefix of a stem, in either part
    assert [found.may_match(w) for w in ("tømrer", "tømrere", "lager", "kranfører", "kran")] == [True] * 5
    # a word no lexeme starts with, and a short word matched whole only
    assert [found.may_match(w) for w in ("sygeplejerske", "tømrerfirma", "aa", "la")] == [False] * 4
    # a word with more than letters is always read from the index (PostgreSQL's parser may split it)
    assert [found.may_match(w) for w in ("b2b", "3d", "c")] == [True, True, False]


def _index_reads(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "to_tsquery" in q["sql"]]


def _found(text: str) -> list[int]:
    return sorted(hit.posting.pk for hit in search_postings(JobQuery(text=text, page_size=100)).hits)


@on_postgresql
@pytest.mark.django_db
def test_the_python_stemmer_gives_postgresqls_stems_for_the_project_word_lists():
    # given every word of the synonym and compound lists (hundreds of Danish job words)
    data = Path(__file__).resolve().parents[1] / "data"
    listed = sorted({w for name in ("synonyms_da.txt", "compounds_da.txt")
                     for w in words((data / name).read_text(encoding="utf-8")) if w.isalpha()})
    assert len(listed) > 400
    # when PostgreSQL's 'danish' configuration stems them
    with connection.cursor() as cursor:
        cursor.execute("SELECT w, (SELECT string_agg(lexeme, ' ') FROM unnest(to_tsvector('pg_catalog.danish', w)))"
                       " FROM unnest(%s::text[]) w", [listed])
        theirs = dict(cursor.fetchall())
    # then ours are the same (a stop word has none there)
    assert {w: stem(w) for w in listed if theirs[w] is not None} == {w: theirs[w] for w in listed if theirs[w] is not None}


@on_postgresql
@pytest.mark.django_db
def test_a_word_no_posting_has_is_answered_without_reading_the_index():
    # given ads and a fresh catalogue
    JobPostingFactory(title="Lagermedarbejder", description="Pluk og pak i Aarhus.")
    JobPostingFactory(title="Buschauffør", description="Rute 1A.")
    catalogue.clear()
    catalogue.current()
    # when searching for a word no ad has, and for one an ad has
    with CaptureQueriesContext(connection) as absent:
        nothing = search_postings(JobQuery(text="sygeplejerske"))
    with CaptureQueriesContext(connection) as present:
        something = search_postings(JobQuery(text="lager"))
    # then the first is answered from the lexicon, the second from the index
    assert (nothing.total, _index_reads(absent)) == (0, [])
    assert (something.total, len(_index_reads(present))) == (1, 1)


@on_postgresql
@pytest.mark.django_db
def test_words_of_added_and_changed_postings_are_found_after_the_catalogue_is_patched(monkeypatch):
    # given a catalogue with its lexicon, in which no ad is a crane driver or a boat builder
    JobPostingFactory.create_batch(3, title="Tømrer", description="Renovering.")
    changed = JobPostingFactory(title="Tømrer", description="Tag og vinduer.")
    catalogue.clear()
    before = catalogue.current()
    assert not before.notes["lexicon"].may_match("kranfører")
    # when a sync adds a crane driver and changes an ad to a boat builder
    added = JobPostingFactory(title="Kranfører til havnen", description="Containere.")
    changed.title, changed.description = "Bådebygger", "Træbåde og glasfiber."
    changed.save()
    after = catalogue.current()
    # then the patched catalogue keeps a lexicon that has their words, and they are found
    assert after is not before and after.built_at == before.built_at
    assert after.notes["lexicon"].may_match("kranfører") and after.notes["lexicon"].may_match("glasfiber")
    assert (_found("kranfører"), _found("bådebygger"), _found("glasfiber")) == ([added.pk], [changed.pk], [changed.pk])
    # and every word is answered as the index answers it without the lexicon
    texts = ("tømrer", "kranfører", "bådebygger", "renovering", "vinduer", "tag", "sygeplejerske", "containere", "og")
    with_lexicon = [_found(t) for t in texts]
    monkeypatch.setattr(search, "may_match", lambda _catalogue, _term: True)
    catalogue.clear()
    assert [_found(t) for t in texts] == with_lexicon


@pytest.mark.django_db
def test_sqlite_keeps_no_lexicon():
    # given a fresh catalogue
    JobPostingFactory()
    catalogue.clear()
    # when it is built / then it has a lexicon only where the index is a round trip away
    assert (catalogue.current().notes["lexicon"] is None) == (connection.vendor == "sqlite")


@on_postgresql
@pytest.mark.django_db
def test_a_carried_word_asks_the_index_only_when_a_changed_posting_may_match_it():
    # given a catalogue whose word cache holds two words (its last ad a cook's: a patch reads the rows
    # written since the earlier token, which may count its last row again)
    JobPostingFactory.create_batch(3, title="Tømrer", description="Renovering af tage.")
    JobPostingFactory(title="Kok", description="Kantine.")
    catalogue.clear()
    before = catalogue.current()
    for text in ("tømrer", "renovering"):
        search_postings(JobQuery(text=text))
    # when a sync adds a roofer's ad, which has one of the words
    JobPostingFactory(title="Tagdækker", description="Renovering af tage.")
    after = catalogue.current()
    assert after is not before and after.notes["layers"]
    # then the word no changed ad has is carried without a statement; the other asks about that ad
    with CaptureQueriesContext(connection) as carpenter:
        carpenters = search_postings(JobQuery(text="tømrer", page_size=100))
    with CaptureQueriesContext(connection) as renovation:
        renovations = search_postings(JobQuery(text="renovering", page_size=100))
    assert (carpenters.total, _index_reads(carpenter)) == (3, [])
    assert (renovations.total, len(_index_reads(renovation))) == (4, 1)
