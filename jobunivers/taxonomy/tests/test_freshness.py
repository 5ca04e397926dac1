"""The look-up's freshness key: one statement, and it moves whenever what the look-up holds changes."""

import pytest

from jobunivers.taxonomy import selectors
from jobunivers.taxonomy.models import Occupation, Skill

from .factories import DanishJobTitleFactory, OccupationFactory, SkillFactory

pytestmark = pytest.mark.django_db


def test_the_key_is_one_query_and_moves_when_an_occupation_is_added_edited_or_removed(django_assert_num_queries):
    # given
    first = OccupationFactory()
    with django_assert_num_queries(1):
        start = selectors._concepts_key(Occupation)
    # when / then: added
    second = OccupationFactory()
    added = selectors._concepts_key(Occupation)
    assert added != start
    # edited (updated_at is auto_now)
    first.preferred_label_da = "Tolk"
    first.save()
    edited = selectors._concepts_key(Occupation)
    assert edited != added
    # removed
    second.delete()
    removed = selectors._concepts_key(Occupation)
    assert removed != edited
    assert removed[1] == 1
    # and unchanged data gives the same key
    assert selectors._concepts_key(Occupation) == removed


def test_a_skill_edit_moves_the_skill_key_only():
    # given
    skill = SkillFactory()
    OccupationFactory()
    occupations, skills = selectors._concepts_key(Occupation), selectors._concepts_key(Skill)
    # when
    skill.preferred_label_da = "Truckkørsel"
    skill.save()
    # then
    assert selectors._concepts_key(Skill) != skills
    assert selectors._concepts_key(Occupation) == occupations


def test_the_lookup_is_rebuilt_when_a_danish_title_is_mapped(django_assert_max_num_queries):
    # given: a title with no occupation yet, and a look-up that has been built
    occupation = OccupationFactory(preferred_label="interpreter", preferred_label_da="", alt_labels_da=[])
    title = DanishJobTitleFactory(title="Tolk", search_title="tolk", isco_code=occupation.isco_code, occupation=None,
                                  occupation_uri="")
    assert [m.id for m in selectors.search_occupations("tolk", semantic=False)] == []
    # when
    title.occupation = occupation
    title.save()
    # then: the next look-up sees the mapping, and a look-up with nothing changed reads one statement
    assert [m.id for m in selectors.search_occupations("tolk", semantic=False)] == [occupation.id]
    with django_assert_max_num_queries(1):
        selectors.search_occupations("tolk", semantic=False)


def test_a_reading_request_checks_freshness_once_and_other_work_every_time(django_assert_num_queries, client):
    OccupationFactory(preferred_label_da="Tømrer")
    selectors.search_occupations("tømrer", semantic=False)  # the look-up built
    try:
        # given a GET request under way
        selectors.request_started(environ={"REQUEST_METHOD": "GET"})  # the handlers of Django's request signals
        # then several look-ups read the freshness key once
        with django_assert_num_queries(1):
            for word in ("tømrer", "tømrere", "tøm"):
                selectors.search_occupations(word, semantic=False)
        selectors.request_finished()
        # and after the request, and in a POST (which may change the taxonomy), every look-up reads it
        with django_assert_num_queries(2):
            selectors.search_occupations("tømrer", semantic=False)
            selectors.search_occupations("tømrere", semantic=False)
        selectors.request_started(environ={"REQUEST_METHOD": "POST"})
        with django_assert_num_queries(2):
            selectors.search_occupations("tømrer", semantic=False)
            selectors.search_occupations("tømrere", semantic=False)
    finally:
        selectors.request_finished()
    # and a request through the whole stack sets the memo and clears it when it finishes
    seen = []
    real = selectors._read_freshness
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(selectors, "_read_freshness", lambda *parts: seen.append(selectors._request_freshness.get()) or real(*parts))
        client.get("/job/?q=t%C3%B8mrer")
    assert seen and all(isinstance(memo, dict) for memo in seen)
    assert selectors._request_freshness.get() is None


def test_labels_are_read_once_per_reading_request_and_shown_in_the_active_language(django_assert_num_queries):
    from django.utils import translation

    # given two occupations with Danish and English labels
    nurse = OccupationFactory(preferred_label="nurse", preferred_label_da="sygeplejerske")
    carpenter = OccupationFactory(preferred_label="carpenter", preferred_label_da="tømrer")
    try:
        # when a reading request asks for the labels several times and in both languages
        selectors.request_started(environ={"REQUEST_METHOD": "GET"})
        with django_assert_num_queries(2):
            with translation.override("da"):
                first = selectors.occupation_labels([nurse.pk])
                both = selectors.occupation_labels([str(carpenter.pk), nurse.pk, 999_999])
            with translation.override("en"):
                english = selectors.occupation_labels([nurse.pk, carpenter.pk])
        selectors.request_finished()
        # then the rows were read once each, and each answer is in its own language, unknown ids left out
        assert {k: v.text for k, v in first.items()} == {nurse.pk: "sygeplejerske"}
        assert {k: v.text for k, v in both.items()} == {carpenter.pk: "tømrer", nurse.pk: "sygeplejerske"}
        assert {k: v.text for k, v in english.items()} == {nurse.pk: "nurse", carpenter.pk: "carpenter"}
        # and outside a request every call reads
        with django_assert_num_queries(2):
            selectors.occupation_labels([nurse.pk])
            selectors.occupation_labels([nurse.pk])
    finally:
        selectors.request_finished()


def test_the_name_matcher_answers_as_the_look_up_by_names_and_reads_nothing_per_text(django_assert_num_queries):
    # given occupations named in Danish and English, one of them deprecated, and a mapped Danish title
    carpenter = OccupationFactory(preferred_label="carpenter", preferred_label_da="tømrer", isco_code="7115")
    OccupationFactory(preferred_label="bus driver", preferred_label_da="buschauffør", isco_code="8331")
    OccupationFactory(preferred_label="old carpenter", preferred_label_da="bygningstømrer", status="deprecated")
    DanishJobTitleFactory(title="Tømrersvend", search_title="tømrersvend", isco_code="7115", occupation=carpenter)
    texts = ["tømrer", "Tømrersvend", "bus driver", "chauffør", "t", "", "  TØMRER  ", "intet her"]
    # when the matcher is taken once
    match = selectors.occupation_name_matcher()
    # then each text gets what search_occupations by names gives, without a query of its own
    expected = [selectors.search_occupations(text, limit=8, semantic=False) for text in texts]
    with django_assert_num_queries(0):
        assert [match(text, limit=8) for text in texts] == expected
    assert [m.id for m in match("tømrer", limit=8)][:1] == [carpenter.id]
