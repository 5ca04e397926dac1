from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jobunivers.jobs.search import Centre, JobQuery, haversine_km, search_markers, search_postings
from jobunivers.jobs.tests.factories import JobPostingFactory

AARHUS = Centre(latitude=56.1528, longitude=10.2036, label="8000 Aarhus C")


@pytest.fixture
def postings(db, carpenter):
    now = timezone.now()
    return {
        "aarhus": JobPostingFactory(title="Tømrer til renovering", occupation=carpenter, published_at=now - timedelta(days=3)),
        "randers": JobPostingFactory(title="Tømrere søges", latitude=56.4607, longitude=10.0364, postcode="8900",
                                     city="Randers C", municipality_code="0730", hours="part_time",
                                     published_at=now - timedelta(days=1)),
        "copenhagen": JobPostingFactory(title="Tømrer", latitude=55.6803, longitude=12.5868, municipality_code="0101"),
        "nurse": JobPostingFactory(title="Sygeplejerske", description="Afdeling søger sygeplejersker.",
                                   published_at=now - timedelta(days=10)),
        "withdrawn": JobPostingFactory(title="Tømrer (besat)", status="withdrawn"),
    }


def _titles(results):
    return [hit.posting.title for hit in results.hits]


def test_danish_stemming_finds_inflected_forms(postings):
    # when citizens search for the singular form
    results = search_postings(JobQuery(text="tømrer"))
    # then plural titles match too, and withdrawn postings are left out
    assert sorted(_titles(results)) == ["Tømrer", "Tømrer til renovering", "Tømrere søges"]
    assert results.total == 3


def test_radius_is_exact_not_just_the_bounding_box(postings):
    # given Randers about 35 km from Aarhus C
    distance = haversine_km([56.4607], [10.0364], AARHUS.latitude, AARHUS.longitude)[0]
    assert 35 < distance < 37
    # when searching within 30, 36.5 and 50 km
    within_30 = search_postings(JobQuery(text="tømrer", centre=AARHUS, radius_km=30))
    within_50 = search_postings(JobQuery(text="tømrer", centre=AARHUS, radius_km=50, sort="distance"))
    # then the radius decides, and distances are reported
    assert _titles(within_30) == ["Tømrer til renovering"]
    assert _titles(within_50) == ["Tømrer til renovering", "Tømrere søges"]
    assert [hit.distance_km for hit in within_50.hits] == [0.0, round(float(distance), 1)]


def test_filters_and_sorts(postings, carpenter):
    assert _titles(search_postings(JobQuery(occupation_id=carpenter.pk))) == ["Tømrer til renovering"]
    assert _titles(search_postings(JobQuery(text="tømrer", hours="part_time"))) == ["Tømrere søges"]
    assert _titles(search_postings(JobQuery(municipality_code="0101"))) == ["Tømrer"]
    assert _titles(search_postings(JobQuery(posted_since=timezone.localdate() - timedelta(days=2)))) == [
        "Tømrer", "Tømrere søges"]
    # sorted by date: newest first
    assert _titles(search_postings(JobQuery(sort="date")))[-1] == "Sygeplejerske"


def test_relevance_ranks_title_hits_above_description_hits(db):
    # given one posting with the word in the title and one with it only in the description
    JobPostingFactory(title="Lagermedarbejder", description="Erfaring som sygeplejerske er ikke et krav.")
    JobPostingFactory(title="Sygeplejerske", description="Vi søger en kollega.", published_at=timezone.now() - timedelta(days=20))
    # when searching for the word by relevance
    results = search_postings(JobQuery(text="sygeplejersker", sort="relevance"))
    # then the title hit comes first even though it is older
    assert _titles(results) == ["Sygeplejerske", "Lagermedarbejder"]


def test_paging_and_count(db):
    # given 25 matching postings
    for n in range(25):
        JobPostingFactory(title=f"Kok {n}")
    # when page 2 of 10 is asked for, and a page beyond the end
    page_two = search_postings(JobQuery(text="kok", page=2, page_size=10, sort="date"))
    beyond = search_postings(JobQuery(text="kok", page=99, page_size=10))
    # then the count is exact and the page is clamped
    assert (page_two.total, page_two.pages, page_two.page, len(page_two.hits)) == (25, 3, 2, 10)
    assert (beyond.page, len(beyond.hits)) == (3, 5)


def test_search_words_with_operators_are_harmless(postings):
    # FTS5 and tsquery syntax in user input must not raise
    for text in ['"', "tømrer OR", "NEAR(", "*", "tømrer -sygeplejerske", "a:b", "'"]:
        search_postings(JobQuery(text=text))


def test_markers_are_lean_and_cover_the_whole_radius(postings):
    # when the map asks for markers within 50 km of Aarhus C
    total, markers = search_markers(JobQuery(centre=AARHUS, radius_km=50, sort="distance"))
    # then every active posting in the radius is there, without descriptions
    assert total == 3
    assert [m["title"] for m in markers] == ["Tømrer til renovering", "Sygeplejerske", "Tømrere søges"]
    assert set(markers[0]) == {"id", "title", "employer", "lat", "lon", "city", "distance_km"}


def test_search_query_count_is_bounded(postings, django_assert_max_num_queries):
    # the first search after a change reads the catalogue, the title words, the place names, the
    # occupation look-up, the occupations' English names, the index's lexicon and the word's index
    # entries: a fixed number of queries, whatever the data
    with django_assert_max_num_queries(16):
        search_postings(JobQuery(text="tømrer", centre=AARHUS, radius_km=50))
    # then the same and other searches read the version token and their page's postings only
    with django_assert_max_num_queries(2):
        search_postings(JobQuery(text="tømrer", centre=AARHUS, radius_km=50))


def _destination(centre, bearing_deg, km):
    """The point `km` from `centre` along a bearing, on the same sphere as the search."""
    import math

    from jobunivers.jobs.search import EARTH_RADIUS_KM

    d, b = km / EARTH_RADIUS_KM, math.radians(bearing_deg)
    lat1, lon1 = math.radians(centre.latitude), math.radians(centre.longitude)
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(b))
    lon2 = lon1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(lat1), math.cos(d) - math.sin(lat1) * math.sin(lat2))
    return math.degrees(lat2), math.degrees(lon2)


@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 225, 315])
def test_radius_edge_is_exact_in_every_direction(db, bearing):
    # given postings 49.9 and 50.1 km away (where a flat-earth shortcut errs), and one at 10 km
    for km in (10, 49.9, 50.1):
        lat, lon = _destination(AARHUS, bearing, km)
        JobPostingFactory(title=f"Murer {km}", latitude=lat, longitude=lon)
    # then the 50 km radius keeps exactly the two inside, in every sort, and the map agrees
    for sort in ("relevance", "distance", "date"):
        results = search_postings(JobQuery(text="murer", centre=AARHUS, radius_km=50, sort=sort))
        assert results.total == 2
        assert sorted(hit.distance_km for hit in results.hits) == [10.0, 49.9]
    total, markers = search_markers(JobQuery(centre=AARHUS, radius_km=50))
    assert total == 2 and sorted(m["distance_km"] for m in markers) == [10.0, 49.9]
    assert [h.distance_km for h in search_postings(JobQuery(centre=AARHUS, radius_km=50, sort="distance")).hits] == [10.0, 49.9]


# --- the catalogue and the per-word cache stay in step with the postings ---------------------------------


def test_changes_show_in_the_next_search_without_a_restart(db):
    from datetime import date

    from jobunivers.jobs.services import postings_expire, postings_import
    from jobunivers.jobs.tests.factories import kitchen_record as record

    # given a search that has read the catalogue and cached the word "kok"
    assert search_postings(JobQuery(text="kok")).total == 0
    assert postings_import(source="test", items=[record()], embed=False).created == 1
    # then a new posting is found at once, also for a word already looked up
    assert _titles(search_postings(JobQuery(text="kok"))) == ["Kok til kantine"]
    # when the import moves it to Copenhagen and makes it part time (a bulk update)
    postings_import(source="test", items=[record(postcode="1050", city="København K", municipality_code="0101",
                                                 latitude=55.6803, longitude=12.5868, hours="part_time")], embed=False)
    # then the radius and the filters see the new facts
    assert search_postings(JobQuery(text="kok", centre=AARHUS, radius_km=50)).total == 0
    assert search_postings(JobQuery(text="kok", hours="part_time", municipality_code="0101")).total == 1
    # when its deadline passes, it leaves the active set (a queryset update)
    postings_import(source="test", items=[record(postcode="1050", city="København K", municipality_code="0101",
                                                 latitude=55.6803, longitude=12.5868, hours="part_time",
                                                 application_deadline=date(2020, 1, 1))], embed=False)
    assert postings_expire() == 1
    assert search_postings(JobQuery(text="kok")).total == 0


def test_a_withdrawn_posting_is_never_shown_even_from_a_stale_catalogue(postings):
    from jobunivers.jobs import catalogue

    # given a catalogue that still lists a posting that was withdrawn behind its back
    stale = catalogue.current()
    type(postings["aarhus"]).objects.filter(pk=postings["aarhus"].pk).update(status="withdrawn")
    catalogue._current = stale
    object.__setattr__(stale, "version", catalogue.version_token())  # the token missed the change
    # then the page leaves it out (and a later rebuild corrects the count)
    assert "Tømrer til renovering" not in _titles(search_postings(JobQuery(text="tømrer")))
    assert all(m["title"] != "Tømrer til renovering" for m in search_markers(JobQuery(text="tømrer"))[1])


def test_danish_stop_words_are_ignored_as_on_postgresql(postings):
    # "og" is in nearly every ad: it must neither be required nor slow the search
    assert _titles(search_postings(JobQuery(text="tømrer og"))) == _titles(search_postings(JobQuery(text="tømrer")))
    assert search_postings(JobQuery(text="og i at")).total == 0


def test_several_words_must_all_match_and_add_up(db):
    JobPostingFactory(title="Tømrer", description="Erfaren tømrer til tag.")
    JobPostingFactory(title="Murer", description="Erfaren murer.")
    JobPostingFactory(title="Tømrer", description="Nyuddannet er velkommen.")
    results = search_postings(JobQuery(text="erfaren tømrer", sort="relevance"))
    assert (results.total, _titles(results)) == (1, ["Tømrer"])
    assert search_postings(JobQuery(text="erfaren")).total == 2


def test_the_word_cache_is_bounded(db, settings):
    from jobunivers.jobs import catalogue

    settings.JOBS_TERM_CACHE_ENTRIES = 3
    for n in range(3):
        JobPostingFactory(title=f"Kok {n}", description="Køkken")
    JobPostingFactory(title="Murer", description="Byggeplads")
    for word in ("kok", "murer", "køkken", "byggeplads"):
        search_postings(JobQuery(text=word))
    cached = catalogue.current().terms
    assert sum(len(positions) for positions, _ in cached.values()) <= 3
    # the latest word's entries are kept (its index look-up, and the understood search's match lists)
    assert {key[1] for key in cached if key[1] not in ("alternative", "group")} <= {"byggeplad", "byggeplads"}
    assert len(cached) >= 1
    assert search_postings(JobQuery(text="kok")).total == 3  # an evicted word is simply looked up again


def test_a_changed_catalogue_is_patched_from_the_changed_rows_and_equals_a_full_build(postings, django_assert_max_num_queries):
    import numpy as np

    from jobunivers.jobs import catalogue

    # given a catalogue in use
    before = catalogue.current()
    # when postings are created, changed (new facet values) and withdrawn
    JobPostingFactory(title="Kok", hours="", employment_type="seasonal", published_at=timezone.now())
    aarhus = postings["aarhus"]
    aarhus.hours, aarhus.latitude = "part_time", 56.2
    aarhus.save()
    postings["copenhagen"].status = "withdrawn"
    postings["copenhagen"].save()
    # then the next search patches it with a handful of queries (on PostgreSQL one more: the changed
    # postings' words for the index's lexicon), not a read of every posting ...
    with django_assert_max_num_queries(4 if connection.vendor == "postgresql" else 3):
        patched = catalogue.current()
    assert patched is not before and patched.version == catalogue.version_token()
    # ... and it holds exactly what a full build holds
    full = catalogue.build()
    assert patched.ids.tolist() == full.ids.tolist()
    for name in ("latitude", "longitude", "occupation", "isco", "isco3", "municipality", "published", "deadline",
                 "newest_rank"):
        assert np.array_equal(getattr(patched, name), getattr(full, name), equal_nan=True), name
    for name in ("hours", "employment_type"):
        decoded = [[getattr(c, f"{name}_values")[code] for code in getattr(c, name)] for c in (patched, full)]
        assert decoded[0] == decoded[1], name
    assert sorted(_titles(search_postings(JobQuery(text="tømrer", hours="part_time")))) == [
        "Tømrer til renovering", "Tømrere søges"]


def test_a_large_change_rebuilds_the_catalogue_from_scratch(postings, monkeypatch):
    from jobunivers.jobs import catalogue

    before = catalogue.current()
    monkeypatch.setattr(catalogue, "INCREMENTAL_LIMIT", 1)
    JobPostingFactory(title="Kok")
    JobPostingFactory(title="Tjener")
    assert catalogue.refreshed(before, catalogue.version_token()) is None
    assert len(catalogue.current()) == len(before) + 2


def test_one_and_two_letter_words_match_whole_words_not_every_word_they_begin(db):
    # given an ad where "el" stands as a word, and others where short words only begin words
    # ("fuldtid", "elektriker", "arbejdsleder", "søn")
    JobPostingFactory(title="El-installatør til boliger", employer_name="Lys og Strøm", description="Fuldtid.")
    JobPostingFactory(title="Elektriker", employer_name="Strøm ApS", description="Fuldtid.")
    JobPostingFactory(title="Arbejdsleder", employer_name="Fabrik og Søn", description="Fuldtid.")
    # then a short word finds the ads that have it as a word, and no ad only because a word starts with it
    assert _titles(search_postings(JobQuery(text="el", understand=False))) == ["El-installatør til boliger"]
    assert search_postings(JobQuery(text="a", understand=False)).total == 0
    assert search_postings(JobQuery(text="f", understand=False)).total == 0
    assert search_postings(JobQuery(text="sø", understand=False)).total == 0
    # and from three letters a word is a prefix again ("ele" finds "Elektriker", not "El-installatør")
    assert _titles(search_postings(JobQuery(text="ele", understand=False))) == ["Elektriker"]
    assert _titles(search_postings(JobQuery(text="fuld", understand=False, sort="date"))) == [
        "Arbejdsleder", "Elektriker", "El-installatør til boliger"]
