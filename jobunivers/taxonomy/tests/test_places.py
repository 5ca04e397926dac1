from jobunivers.taxonomy import selectors
from jobunivers.taxonomy.services import postcodes_import


def test_postcode_points_are_memoised_until_an_import(db, django_assert_num_queries):
    postcodes_import(text="postcode,name,lat,lon,municipality_code\n8000,Aarhus C,56.15,10.20,0751\n"
                           "5000,Odense C,55.40,10.39,0461\n")
    first = selectors.resolve_place("Banegårdspladsen 1, 8000 Aarhus C")
    assert (first.latitude, first.label) == (56.15, "8000 Aarhus C")
    with django_assert_num_queries(0):  # every search asks; the memo answers
        assert selectors.point_of_postcode(code="8000") == first
    # the whole register was read at once: another postcode, and an unknown one, ask nothing more
    with django_assert_num_queries(0):
        assert selectors.point_of_postcode(code="5000").label == "5000 Odense C"
        assert selectors.resolve_place("9999 Ingenby") is None
        assert selectors.resolve_place("9999") is None
    # an import with new coordinates is seen at once in this process
    postcodes_import(text="postcode,name,lat,lon,municipality_code\n8000,Aarhus C,56.16,10.21,0751\n")
    assert selectors.resolve_place("8000").latitude == 56.16
