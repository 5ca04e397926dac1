"""Occupation look-up (taxonomy.selectors.search_occupations): Danish compounds against the
project's titles, English labels by whole words, lexical and semantic evidence weighed together,
and vectors kept in memory without reloading after every query."""

import numpy as np
import pytest

from jobunivers.taxonomy import embeddings, selectors
from jobunivers.taxonomy.models import Embedding
from jobunivers.taxonomy.tests.factories import DanishJobTitleFactory, OccupationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_query_vectors():
    from django.core.cache import cache

    cache.clear()  # query vectors are kept in Django's cache across look-ups


@pytest.fixture
def titles():
    """A few occupations with English labels, and Danish titles for some of them."""
    occupations = {
        "nurse": OccupationFactory(preferred_label="specialist nurse", isco_code="2221"),
        "bricklayer": OccupationFactory(preferred_label="bricklayer", isco_code="7112"),
        "receptionist": OccupationFactory(preferred_label="receptionist", isco_code="4226"),
        "hotel_receptionist": OccupationFactory(preferred_label="hospitality establishment receptionist",
                                                isco_code="4224"),
        "truck_driver": OccupationFactory(preferred_label="cargo vehicle driver", isco_code="8332"),
        "bus_driver": OccupationFactory(preferred_label="bus driver", isco_code="8331"),
        "brand_manager": OccupationFactory(preferred_label="brand manager", isco_code="2431"),
        "firefighter": OccupationFactory(preferred_label="firefighter", isco_code="5411"),
        "hr": OccupationFactory(preferred_label="human resources officer", isco_code="2423"),
        "warehouse": OccupationFactory(preferred_label="warehouse worker", isco_code="9333"),
        "shop": OccupationFactory(preferred_label="shop assistant", isco_code="5223"),
    }
    for title, key in [("Sygeplejerske", "nurse"), ("Murer", "bricklayer"), ("Receptionist", "receptionist"),
                       ("Hotelreceptionist", "hotel_receptionist"), ("Lastbilchauffør", "truck_driver"),
                       ("Buschauffør", "bus_driver"), ("HR-medarbejder", "hr"), ("Lagermedarbejder", "warehouse"),
                       ("Butiksmedarbejder", "shop")]:
        DanishJobTitleFactory(title=title, occupation=occupations[key])
    return occupations


def _first(query, **options):
    matches = selectors.search_occupations(query, semantic=False, **options)
    return (matches[0].label, matches[0].matched_label, matches[0].method) if matches else None


def test_a_danish_compound_finds_the_title_it_ends_with_or_starts_with(titles):
    # a kind of nurse (the title is the compound's head), a journeyman bricklayer (its first part)
    assert _first("Operationssygeplejerske") == ("specialist nurse", "Sygeplejerske", "title")
    assert _first("Murersvend") == ("bricklayer", "Murer", "title")
    # and a title at the start of a longer job-ad title, after filler words
    assert _first("Erfaren murer søges til facaderenovering") == ("bricklayer", "Murer", "title")


def test_the_name_that_covers_more_of_the_query_wins(titles):
    # "hotel" and "receptionist" are both parts of "Hotelreceptionist"; "Receptionist" leaves "hotel" out
    assert _first("Receptionist på hotel") == ("hospitality establishment receptionist", "Hotelreceptionist", "title")
    assert _first("receptionist") == ("receptionist", "Receptionist", "title")


def test_a_word_typed_finds_the_titles_it_is_the_head_of(titles):
    matches = selectors.search_occupations("chauffør", semantic=False)
    assert {m.matched_label for m in matches} == {"Lastbilchauffør", "Buschauffør"}


def test_a_common_head_says_less_than_a_rare_one(titles):
    # "-medarbejder" ends three titles, "-sygeplejerske" one: a compound sharing only the common
    # head scores lower than one sharing the rare head, though both heads are covered in full
    common = selectors.search_occupations("Regnskabsmedarbejder", semantic=False)
    rare = selectors.search_occupations("Skolesygeplejerske", semantic=False)
    assert rare[0].label == "specialist nurse"
    assert max(m.score for m in common) < rare[0].score - 0.2


def test_a_compound_typed_as_one_word_finds_its_paraphrase_with_both_parts():
    # given a Danish title that is the compound's longest head, and a Danish label that names the
    # same compound's parts as two words ("medarbejder i svineproduktion")
    factory_hand = OccupationFactory(preferred_label="factory hand", isco_code="9329")
    DanishJobTitleFactory(title="Produktionsmedarbejder", occupation=factory_hand)
    OccupationFactory(preferred_label="pig breeder", preferred_label_da="svineavler",
                      alt_labels_da=["medarbejder i svineproduktion"], isco_code="6121")
    # when the compound is typed as one word (with the linking s between its parts)
    matches = selectors.search_occupations("Svineproduktionsmedarbejder", semantic=False)
    # then the name with both parts wins over the one that has only the head
    assert [(m.label, m.matched_label) for m in matches] == [
        ("svineavler", "medarbejder i svineproduktion"), ("factory hand", "Produktionsmedarbejder")]
    # and the paraphrase is not "typed in full": its head counts a little less than in full
    assert matches[0].score == pytest.approx(0.97 * (0.5 * (15 + 0.9 * 11) / 26 + 0.5 * (16 + 0.9 * 11) / 27), abs=1e-4)


def test_the_compound_typed_ranks_ahead_of_its_paraphrase(titles):
    OccupationFactory(preferred_label="warehouse clerk", preferred_label_da="medarbejder på lager", isco_code="4321")
    matches = selectors.search_occupations("Lagermedarbejder", semantic=False)
    assert [m.matched_label for m in matches[:2]] == ["Lagermedarbejder", "medarbejder på lager"]


def test_english_labels_are_not_split_as_danish_compounds(titles):
    # "brandmand" (firefighter) starts with the English word "brand", but is no brand manager
    assert selectors.search_occupations("Brandmand", semantic=False) == []
    # English labels are still found by whole words, and by the start of the last word typed
    assert _first("brand manager") == ("brand manager", "brand manager", "label")
    assert _first("firef") == ("firefighter", "firefighter", "label")


def _cache(text, kind, vector):
    Embedding.objects.create(text_hash=embeddings.text_hash(text, kind), model_version=embeddings.model_version(),
                             vector=np.asarray(vector, dtype=np.float32).tobytes())


def _unit(*hot):
    vector = np.zeros(selectors.DIMENSIONS, dtype=np.float32)
    for index, value in hot:
        vector[index] = value
    return vector / np.linalg.norm(vector)


def test_semantic_evidence_is_weighed_with_a_partial_title_match_not_after_it(titles, monkeypatch):
    # given cached vectors: the query means an accountant; the HR officer is far from it
    accountant = OccupationFactory(preferred_label="accounting assistant", isco_code="3313")
    for occupation in [*titles.values(), accountant]:
        near = occupation.pk == accountant.pk
        vector = _unit((0, 1.0)) if near else _unit((0, 0.2), (1 + occupation.pk % 300, 1.0))
        _cache(selectors.occupation_text(occupation), "passage", vector)
        _cache(selectors.occupation_label(occupation), "query", vector)
    monkeypatch.setattr(selectors, "_query_vector", lambda text, version: _unit((0, 1.0)))
    # when a compound that shares only the common head "-medarbejder" with some titles is looked up
    matches = selectors.search_occupations("Regnskabsmedarbejder", limit=3)
    # then the semantic neighbour outranks the weak partial title matches
    assert (matches[0].label, matches[0].method) == ("accounting assistant", "semantic")
    assert {m.method for m in matches[1:]} == {"title"}
    # and an exact title still comes first, whatever the vectors say
    assert selectors.search_occupations("HR-medarbejder", limit=1)[0].label == "human resources officer"


def test_new_query_vectors_do_not_reload_the_occupation_vectors(titles, monkeypatch):
    # given every occupation's vectors cached and one look-up done
    for occupation in titles.values():
        _cache(selectors.occupation_text(occupation), "passage", _unit((occupation.pk % 300, 1.0)))
        _cache(selectors.occupation_label(occupation), "query", _unit((occupation.pk % 300, 1.0)))
    monkeypatch.setattr(embeddings, "compute", lambda texts, kind: np.tile(_unit((0, 1.0)), (len(texts), 1)))
    selectors.search_occupations("tømrer til nybyg")
    reads = []
    real = embeddings.cached_vectors
    monkeypatch.setattr(embeddings, "cached_vectors", lambda texts, kind="passage": reads.append(kind) or real(
        texts, kind=kind))
    # when new queries are looked up (each memoises its vector in Django's cache, not in the table)
    selectors.search_occupations("murer til facade")
    selectors.search_occupations("sygeplejerske i hjemmeplejen")
    # then the occupations' vectors are not read again, and no query vector was stored
    assert reads == []
    assert Embedding.objects.count() == 2 * len(titles)


def test_vectors_cached_after_the_first_look_up_are_picked_up(monkeypatch):
    # given an occupation without a cached vector, looked up once
    developer = OccupationFactory(preferred_label="software developer", isco_code="2512")
    monkeypatch.setattr(selectors, "_query_vector", lambda text, version: _unit((0, 1.0)))
    assert selectors.search_occupations("programmør") == []
    # when its vectors are cached (the background job)
    _cache(selectors.occupation_text(developer), "passage", _unit((0, 1.0)))
    _cache(selectors.occupation_label(developer), "query", _unit((0, 1.0)))
    # then the next look-up finds it by meaning
    assert [(m.label, m.method) for m in selectors.search_occupations("programmør")] == [
        ("software developer", "semantic")]


@pytest.fixture
def teachers(monkeypatch):
    """A university lecturer (ISCO 2310) whose meaning is closest to the query, and two upper
    secondary teachers (2330) a little further, with cached vectors."""
    lecturer = OccupationFactory(preferred_label="physics lecturer", preferred_label_da="lektor i fysik",
                                 isco_code="2310")
    maths = OccupationFactory(preferred_label="mathematics teacher secondary school",
                              preferred_label_da="matematiklærer i gymnasiet", isco_code="2330")
    physics = OccupationFactory(preferred_label="physics teacher secondary school",
                                preferred_label_da="fysiklærer i gymnasiet", isco_code="2330")
    for occupation, vector in [(lecturer, _unit((0, 1.0))), (maths, _unit((0, 0.98), (1, 0.2))),
                               (physics, _unit((0, 0.98), (2, 0.2)))]:
        _cache(selectors.occupation_text(occupation), "passage", vector)
        _cache(selectors.occupation_label(occupation), "query", vector)
    monkeypatch.setattr(selectors, "_query_vector", lambda text, version: _unit((0, 1.0)))
    return lecturer, maths, physics


def test_the_first_answer_goes_to_the_unit_group_with_most_evidence(teachers):
    lecturer, maths, physics = teachers
    # when a title matches two teachers of one unit group by name, and one lecturer a little better overall
    matches = selectors.search_occupations("Lærer i matematik og fysik", limit=3)
    # then the first answer is the better of the two teachers; the others keep their order
    assert [m.id for m in matches] == [maths.pk, lecturer.pk, physics.pk]


def test_the_unit_group_never_outweighs_a_name_typed_in_full(teachers):
    lecturer, maths, physics = teachers
    # an exact Danish label stays first, whatever the other occupations of the unit groups say
    assert selectors.search_occupations("lektor i fysik", limit=1)[0].id == lecturer.pk
    assert selectors.search_occupations("fysiklærer i gymnasiet", limit=1)[0].id == physics.pk
