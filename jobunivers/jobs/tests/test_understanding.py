"""Search that understands Danish (issue 23): compounds, synonyms and abbreviations, the occupations
behind the words, typos, help instead of an empty page, and clear answers to bad input."""

import math

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jobunivers.jobs.search import JobQuery, search_postings, widenings
from jobunivers.jobs.tests.factories import JobPostingFactory
from jobunivers.taxonomy.tests.factories import IscoGroupFactory, OccupationFactory


def _titles(results):
    return sorted(hit.posting.title for hit in results.hits)


@pytest.fixture
def care(db):
    assistant = OccupationFactory(preferred_label="social and health care assistant", isco_code="5321",
                                  preferred_label_da="social- og sundhedsassistent",
                                  alt_labels_da=["sosu-assistent", "SSA"])
    helper = OccupationFactory(preferred_label="home care aide", isco_code="5322",
                               preferred_label_da="social- og sundhedshjælper", alt_labels_da=["sosu-hjælper"])
    return {"assistant": assistant, "helper": helper}


def test_a_word_finds_the_compounds_it_is_the_head_of(db):
    # given bus and lorry driver ads, and a word that only looks like a compound of "lager"
    JobPostingFactory(title="Buschauffør", description="Kør rute 1A.")
    JobPostingFactory(title="Lastbilchauffør søges", description="Kørsel i hele landet.")
    JobPostingFactory(title="Blikkenslager", description="Tagarbejde.")
    # when searching for "chauffør" as people type it
    understood = search_postings(JobQuery(text="chauffør"))
    lexical = search_postings(JobQuery(text="chauffør", understand=False))
    # then both compounds are found, and plain lexical search finds none
    assert _titles(understood) == ["Buschauffør", "Lastbilchauffør søges"]
    assert lexical.total == 0
    # and "lager" is no head of "blikkenslager" (no known first part "blikken")
    assert search_postings(JobQuery(text="lager")).total == 0


def test_a_typed_compound_is_also_searched_as_its_parts(db):
    # given a lorry driver ad; "lastbilschauffør" (with a linking s) is in no ad
    JobPostingFactory(title="Lastbilchauffør", description="Kørsel i Jylland.")
    JobPostingFactory(title="Buschauffør", description="Kør rute 1A.")
    # when searching for the compound
    results = search_postings(JobQuery(text="lastbilschauffør"))
    # then its parts find the lorry driver, not the bus driver
    assert _titles(results) == ["Lastbilchauffør"]


def test_a_word_is_split_only_when_its_head_is_a_title_word_or_a_word_for_a_job(db):
    from jobunivers.jobs import catalogue as catalogues
    from jobunivers.jobs.understanding import SPLIT, interpret

    # given ads with "bil" and "lager" in them, and none with "lum"
    JobPostingFactory(title="Bilmekaniker", description="Værksted med biler og lumske fejl.")
    JobPostingFactory(title="Lagermedarbejder", description="Job på vores lager.")
    catalogue = catalogues.current()

    def splits(text):
        meaning = interpret(catalogue, text, matches=lambda group: 0)
        return [a.text for g in meaning.groups for a in g.alternatives if a.kind == SPLIT]

    # then a place name that begins like a known first part is no compound ("bil" + "lum")
    assert splits("Billum") == []
    # and a compound with a job word or a title word as its head is searched as its parts
    assert splits("lagerjob") == ["lager + job"]
    assert splits("lagermedarbejder") == ["lager + medarbejder"]
    assert _titles(search_postings(JobQuery(text="lagerjob"))) == ["Lagermedarbejder"]


def test_abbreviations_and_synonyms_find_the_occupation_with_the_reason(care):
    # given a care assistant ad with the occupation, one without it, and a shop ad
    JobPostingFactory(title="Social- og sundhedsassistent til plejecenter", occupation=care["assistant"], isco_code="5321")
    JobPostingFactory(title="Social- og sundhedshjælper, nattevagt", description="Plejecenter.")
    JobPostingFactory(title="Salgsassistent", description="Butik i centrum.")
    # when searching for "sosu" (the Danish abbreviation) in Danish
    with translation.override("da"):
        results = search_postings(JobQuery(text="sosu"))
    # then both care ads are found, the one with the occupation first, with the reason in Danish
    assert [hit.posting.title for hit in results.hits] == [
        "Social- og sundhedsassistent til plejecenter", "Social- og sundhedshjælper, nattevagt"]
    assert results.hits[0].reason == "Stillingen er social- og sundhedsassistent"
    assert results.hits[1].reason == "Fundet som »social- og sundhedshjælper« for »sosu«"
    assert search_postings(JobQuery(text="sosu", understand=False)).total == 0


def test_new_query_texts_ask_the_taxonomy_for_its_freshness_once_per_vocabulary(care, monkeypatch):
    from jobunivers.taxonomy import selectors as taxonomy

    # given care ads, and a count of the taxonomy's freshness reads
    JobPostingFactory(title="Social- og sundhedsassistent til plejecenter", occupation=care["assistant"], isco_code="5321")
    JobPostingFactory(title="Social- og sundhedshjælper, nattevagt", description="Plejecenter.")
    reads = []
    real = taxonomy._read_freshness
    monkeypatch.setattr(taxonomy, "_read_freshness", lambda *parts: reads.append(parts) or real(*parts))
    # when three texts that name jobs are searched for the first time, in one postings vocabulary
    found = [search_postings(JobQuery(text=text)).total for text in ("sosu", "sundhedsassistent", "sosu hjælper")]
    # then each finds its ads, and the taxonomy's look-up was checked for freshness once, not per text
    assert found == [2, 1, 1]
    lookup_reads = [parts for parts in reads if [model.__name__ for model, _ in parts] == ["Occupation", "DanishJobTitle"]]
    assert len(lookup_reads) == 1


def test_the_occupation_behind_the_words_ranks_first_and_its_unit_group_next(carpenter):
    # given a carpenter ad that never says "tømrer", a joiner in the same unit group, and a text match
    carpenter.preferred_label_da = "tømrer"
    carpenter.save()
    IscoGroupFactory(code="7115", preferred_label="Carpenters and joiners", preferred_label_da="Tømrere og snedkere")
    joiner = OccupationFactory(preferred_label="joiner", isco_code="7115", preferred_label_da="bygningssnedker")
    JobPostingFactory(title="Håndværker til tagrenovering", description="Tag og spær.", occupation=carpenter,
                      isco_code="7115")
    JobPostingFactory(title="Bygningssnedker", description="Vinduer og tømrerarbejde.", occupation=joiner,
                      isco_code="7115")
    JobPostingFactory(title="Lagermedarbejder", description="Vi har tømrerfirmaer som kunder.", isco_code="9333")
    # when searching for "tømrer"
    with translation.override("da"):
        results = search_postings(JobQuery(text="tømrer"))
    # then the carpenter ad comes first by its occupation, the joiner next (same unit group), the text match last
    assert [hit.posting.title for hit in results.hits] == [
        "Håndværker til tagrenovering", "Bygningssnedker", "Lagermedarbejder"]
    assert results.hits[0].reason == "Stillingen er tømrer"
    assert results.hits[1].reason == "Beslægtet stilling: Tømrere og snedkere"
    assert results.hits[2].reason == ""


def test_a_job_title_in_english_finds_the_danish_ads_of_its_occupation(carpenter):
    # given Danish ads whose titles share no word with the occupations' English names
    warehouse = OccupationFactory(preferred_label="warehouse worker", preferred_label_da="lagermedarbejder",
                                  isco_code="9333")
    OccupationFactory(preferred_label="social worker", preferred_label_da="socialrådgiver", isco_code="2635")
    JobPostingFactory(title="Lagermedarbejder til nattevagt", description="Pluk og pak.", occupation=warehouse,
                      isco_code="9333")
    JobPostingFactory(title="Tømrer til renovering", description="Tag og vinduer.", occupation=carpenter,
                      isco_code="7115")
    JobPostingFactory(title="Kontorassistent", description="Post og telefon.", isco_code="4110")
    with translation.override("da"):
        # when an English speaker types the name of the job
        found = {text: search_postings(JobQuery(text=text)) for text in ("warehouse worker", "carpenter")}
    # then the ads of that occupation are found, with the reason in Danish; the English phrase is one
    # meaning, not two words searched apart ("worker" names the social worker too)
    assert [(h.posting.title, h.reason) for h in found["warehouse worker"].hits] == [
        ("Lagermedarbejder til nattevagt", "Stillingen er lagermedarbejder")]
    assert [h.posting.title for h in found["carpenter"].hits] == ["Tømrer til renovering"]
    assert found["warehouse worker"].left_out == [] and found["carpenter"].left_out == []


def test_an_english_alternative_name_finds_the_danish_ads_of_its_occupation(db):
    # given ESCO's waiter and early years teacher, whose preferred English names are not what people
    # type ("waiter/waitress"; a kindergarten teacher is an alternative name), and an upper-secondary
    # teacher whose name shares the word "teacher"
    waiter = OccupationFactory(preferred_label="waiter/waitress", preferred_label_da="tjener", isco_code="5131",
                               alt_labels=["waiter", "waitress", "table waiter"])
    early = OccupationFactory(preferred_label="early years teacher", preferred_label_da="pædagog", isco_code="2342",
                              alt_labels=["kindergarten teacher", "preschool teacher"])
    upper = OccupationFactory(preferred_label="secondary school teacher", preferred_label_da="gymnasielærer",
                              isco_code="2330")
    JobPostingFactory(title="Tjener til restaurant", description="Aftenvagter.", occupation=waiter, isco_code="5131")
    JobPostingFactory(title="Pædagog til børnehave", description="Leg og læring.", occupation=early,
                      isco_code="2342")
    JobPostingFactory(title="Gymnasielærer i dansk", description="Undervisning.", occupation=upper, isco_code="2330")
    with translation.override("da"):
        # when an English speaker types the words they know
        found = {text: search_postings(JobQuery(text=text)) for text in ("waiter", "kindergarten teacher")}
    # then the ads of that occupation are found, with the reason; the two words are one name
    assert [(h.posting.title, h.reason) for h in found["waiter"].hits] == [
        ("Tjener til restaurant", "Stillingen er tjener")]
    assert [(h.posting.title, h.reason) for h in found["kindergarten teacher"].hits] == [
        ("Pædagog til børnehave", "Stillingen er pædagog")]


def test_an_english_name_also_means_the_danish_name_of_its_occupation_in_titles(db):
    # given sales assistant ads whose source gave another occupation (or none), titled in Danish
    OccupationFactory(preferred_label="sales assistant", preferred_label_da="salgsassistent", isco_code="5223")
    shop = OccupationFactory(preferred_label="shop assistant", preferred_label_da="butiksmedarbejder",
                             isco_code="5223")
    JobPostingFactory(title="Salgsassistent til tøjbutik", description="Kunder og kasse.", occupation=shop,
                      isco_code="5223")
    JobPostingFactory(title="Salgsassistent", description="Weekend.")
    JobPostingFactory(title="Lagermedarbejder", description="Pluk.")
    # when an English speaker searches
    found = search_postings(JobQuery(text="sales assistant"))
    # then the ads titled with the occupation's Danish name are found
    assert sorted(h.posting.title for h in found.hits) == ["Salgsassistent", "Salgsassistent til tøjbutik"]
    assert found.left_out == []


def test_english_job_words_of_the_synonym_list_find_the_danish_ads(db):
    # given a cleaner's and a painter's ads, and no English name of either in the taxonomy
    JobPostingFactory(title="Rengøringsassistent til kontor", description="Morgenhold.")
    JobPostingFactory(title="Maler til nybyggeri", description="Indvendigt arbejde.")
    JobPostingFactory(title="Lærer til udskolingen", description="Dansk og historie.")
    # when searching in English
    cleaner, painter = search_postings(JobQuery(text="cleaner")), search_postings(JobQuery(text="painter"))
    teacher = search_postings(JobQuery(text="teacher"))
    # then the synonym list's Danish words are searched
    assert [h.posting.title for h in cleaner.hits] == ["Rengøringsassistent til kontor"]
    assert [h.posting.title for h in painter.hits] == ["Maler til nybyggeri"]
    assert [h.posting.title for h in teacher.hits] == ["Lærer til udskolingen"]


def test_english_care_and_farm_job_names_find_the_danish_ads(db):
    # given a care assistant's and a farm worker's ads, in Danish
    JobPostingFactory(title="Social- og sundhedshjælper til hjemmeplejen", description="Dag og aften.")
    JobPostingFactory(title="Landbrugsmedhjælper til svinestald", description="Fodring og rengøring.")
    # when searching with the English names people type
    care, farm = search_postings(JobQuery(text="care assistant")), search_postings(JobQuery(text="farm worker"))
    # then the Danish job names are searched
    assert [h.posting.title for h in care.hits] == ["Social- og sundhedshjælper til hjemmeplejen"]
    assert [h.posting.title for h in farm.hits] == ["Landbrugsmedhjælper til svinestald"]


def test_an_unknown_spelling_is_searched_as_the_known_one_and_suggested(db):
    # given 20 electrician ads
    for n in range(20):
        JobPostingFactory(title="Elektriker", description=f"Installationer nr. {n}.")
    # when searching with a typo no ad has
    results = search_postings(JobQuery(text="elektricker"))
    # then the known spelling is searched and suggested
    assert results.total == 20
    assert [(c.typed, c.suggestion, c.applied) for c in results.corrections] == [("elektricker", "elektriker", True)]
    assert search_postings(JobQuery(text="elektricker", understand=False)).total == 0


def test_a_word_no_posting_has_is_left_out_when_the_others_match(db):
    JobPostingFactory(title="Tømrer", description="Renovering.")
    results = search_postings(JobQuery(text="tømrer qwzx"))
    assert (results.total, results.left_out) == (1, ["qwzx"])


def test_an_empty_page_offers_nearby_searches_with_counts(db):
    # given part-time cooks only
    JobPostingFactory(title="Kok", description="Restaurant.", hours="part_time")
    JobPostingFactory(title="Kok", description="Kantine.", hours="part_time")
    # when searching for full-time cooks
    query = JobQuery(text="kok", hours="full_time")
    assert search_postings(query).total == 0
    # then dropping the filter is offered with its count
    offered = [(w.kind, w.changes, w.count) for w in widenings(query)]
    assert ("filter", {"hours": ""}, 2) in offered


@pytest.mark.parametrize(("north_km", "offered"), [((60, 160), (100, 1)), ((160, 320, 330), (200, 1)),
                                                   ((320, 330), (500, 2)), ((600,), None)])
def test_a_wider_radius_is_the_nearest_that_finds_jobs_with_its_exact_count(db, north_km, offered):
    from jobunivers.jobs.search import EARTH_RADIUS_KM, Centre

    # given cooks only these many km north of the centre
    for km in north_km:
        JobPostingFactory(title="Kok", description="Restaurant.", latitude=54.0 + math.degrees(km / EARTH_RADIUS_KM),
                          longitude=10.0)
    query = JobQuery(text="kok", centre=Centre(latitude=54.0, longitude=10.0), radius_km=25)
    # when nothing is found within 25 km
    assert search_postings(query).total == 0
    # then the nearest wider radius that finds jobs is offered, with how many it finds within it
    radii = [(w.changes["radius"], w.count) for w in widenings(query) if w.kind == "radius"]
    assert radii == ([offered] if offered else [])


def test_the_synonyms_file_is_the_operators(db, settings, tmp_path):
    # given the operator's own synonyms file
    path = tmp_path / "synonyms.txt"
    path.write_text("# ours\nfiskekutter = fisker\n", encoding="utf-8")
    settings.JOBS_SEARCH_SYNONYMS_FILE = str(path)
    JobPostingFactory(title="Fisker", description="Havet.")
    # then its words are applied
    assert search_postings(JobQuery(text="fiskekutter")).total == 1


def test_the_page_shows_reason_and_spelling_help_in_danish(db, care):
    JobPostingFactory(title="Social- og sundhedsassistent", occupation=care["assistant"], isco_code="5321")
    html = Client().get(reverse("jobs:search"), {"q": "sosu"}).content.decode()
    assert "Stillingen er social- og sundhedsassistent" in html


@pytest.mark.parametrize(("text", "message"), [
    ("!!! ??? %%%", "Søgeordene indeholder ingen bogstaver eller tal."),
    ("og i at", "Søgeordene er kun småord"),
    ("tømrer " * 40, "200 tegn"),
])
def test_bad_search_words_get_a_clear_danish_answer(db, text, message):
    # given a posting that an unfiltered page would show
    JobPostingFactory(title="Tømrer")
    # when the search words are symbols only, small words only or too long
    response = Client().get(reverse("jobs:search"), {"q": text})
    html = response.content.decode()
    # then the page says why, in Danish, and lists no jobs
    assert response.status_code == 200
    assert message in html
    assert "job fundet" not in html


def test_a_long_query_searches_its_first_ten_words_and_says_so(db):
    JobPostingFactory(title="Tømrer", description="Renovering af tag.")
    results = search_postings(JobQuery(text="tømrer " + " ".join(f"ord{n}" for n in range(12))))
    assert results.total == 1
    assert results.ignored == ["ord9", "ord10", "ord11"]
    html = Client().get(reverse("jobs:search"), {"q": "tømrer " + " ".join(f"ord{n}" for n in range(12))}).content.decode()
    assert "Der er kun søgt på de første ti ord; udeladt: ord9 ord10 ord11." in html
