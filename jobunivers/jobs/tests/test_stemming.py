import pytest

from jobunivers.jobs.stemming import stem, stem_text


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Expected stems are PostgreSQL's ts_lexize('danish_stem', word) (the same Snowball algorithm).
        ("tømrer", "tømr"), ("tømrere", "tømr"), ("tømreren", "tømr"), ("tømrerne", "tømr"),
        ("sygeplejersker", "sygeplejersk"), ("pædagoger", "pædagog"), ("kommunerne", "kommun"),
        ("arts", "art"), ("lykkeligst", "lyk"), ("løst", "løst"), ("udvikling", "udvikling"),
    ],
)
def test_stems_match_postgresqls_danish_stemmer(word, expected):
    # when / then
    assert stem(word) == expected


def test_stem_text_lowercases_and_drops_punctuation():
    # given a title with punctuation and capitals
    # when it is stemmed
    result = stem_text("Tømrere, Snedkere & VVS-montører!")
    # then only lower-case stems remain
    assert result == "tømr snedk vvs montør"
