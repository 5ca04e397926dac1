import pytest

from jobunivers.feedback.redaction import redact


@pytest.mark.parametrize(("text", "expected"), [
    ("ring 12 34 56 78", "ring [TELEFON]"),
    ("ring 12-34-56-78", "ring [TELEFON]"),
    ("ring 1234 5678", "ring [TELEFON]"),
    ("ring 12345678", "ring [TELEFON]"),
    ("ring +45 87654321", "ring [TELEFON]"),
    ("ring 0045 1234 5678", "ring [TELEFON]"),
    ("ring 12 34 5678", "ring [TELEFON]"),
])
def test_danish_phone_numbers_are_removed_however_they_are_written(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Samtalen 05-12-2026 var god",
    "Samtalen 05.12.2026 var god",
    "Kurset 2.-4. marts 2027 hjalp",
    "Jeg søgte 12 job",
])
def test_dates_and_short_numbers_stay(text):
    # a date written 05-12-2026 has eight digits too, but it is what the comment is about
    assert redact(text) == text
