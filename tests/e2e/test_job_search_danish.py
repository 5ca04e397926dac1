"""Job search that understands Danish, on a phone (issue 23): "sosu" and "chauffør" near 8000 Aarhus C
find the care and driver ads with the reason on the result line; a typo gets "Mente du"; bad input
(symbols only, small words only) gets a clear Danish answer. 390 px wide, axe-core on every state."""

import pytest

from tests.e2e.screens import PHONE, horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def danish_postings(db):
    from jobunivers.jobs.tests.factories import JobPostingFactory
    from jobunivers.taxonomy.tests.factories import DanishJobTitleFactory, OccupationFactory, PostcodeFactory

    PostcodeFactory(code="8000", name="Aarhus C", latitude=56.1528, longitude=10.2036, municipality_code="0751")
    care = OccupationFactory(preferred_label="social and health care assistant", preferred_label_da="social- og sundhedsassistent",
                             alt_labels_da=["sosu-assistent"], isco_code="5321")
    bus = OccupationFactory(preferred_label="bus driver", preferred_label_da="buschauffør", isco_code="8331")
    DanishJobTitleFactory(title="Buschauffør", occupation=bus)
    JobPostingFactory(title="Social- og sundhedsassistent, nattevagt", occupation=care, isco_code="5321",
                      description="Plejecenter i Aarhus.", latitude=56.16, longitude=10.21)
    JobPostingFactory(title="Buschauffør til bybusserne", occupation=bus, isco_code="8331",
                      description="Kør bybus i Aarhus.", latitude=56.15, longitude=10.19)
    JobPostingFactory(title="Lastbilchauffør, fjernkørsel", description="Kørsel i hele Europa.", latitude=56.14,
                      longitude=10.18)
    JobPostingFactory(title="Buschauffør i København", occupation=bus, isco_code="8331", latitude=55.6803,
                      longitude=12.5868, postcode="1050", city="København K")


def _search(page, words: str) -> None:
    page.get_by_label("Søgeord").fill(words)
    page.get_by_label("Nær postnummer eller adresse").fill("8000 Aarhus C")
    page.get_by_label("Afstand (km)").fill("30")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def test_sosu_and_chauffeur_near_aarhus_on_a_phone(page, visit, axe, danish_postings):
    # given a phone 390 px wide
    page.set_viewport_size(PHONE)
    visit(page, "/job/")
    # when "sosu" is searched near 8000 Aarhus C
    _search(page, "sosu")
    # then the care assistant ad is found with the reason, and the page fits the phone
    assert page.get_by_role("heading", level=2).first.inner_text().startswith("1 job fundet")
    result = page.locator(".jobs-result").first
    assert result.get_by_role("link").inner_text() == "Social- og sundhedsassistent, nattevagt"
    assert result.locator(".jobs-reason").inner_text() == "Stillingen er social- og sundhedsassistent"
    assert horizontal_overflow(page) == 0
    axe(page)
    # when "chauffør" is searched
    _search(page, "chauffør")
    # then the bus and lorry driver ads near Aarhus are found (not Copenhagen's), the bus first by its occupation
    assert page.get_by_role("heading", level=2).first.inner_text().startswith("2 job fundet")
    links = page.locator(".jobs-result h3 a").all_inner_texts()
    assert links == ["Buschauffør til bybusserne", "Lastbilchauffør, fjernkørsel"]
    assert page.locator(".jobs-reason").first.inner_text() == "Stillingen er buschauffør"
    assert horizontal_overflow(page) == 0
    axe(page)


@pytest.mark.parametrize(("words", "answer"), [
    ("%%% ???", "Søgeordene indeholder ingen bogstaver eller tal."),
    ("og i at", "Søgeordene er kun småord"),
])
def test_bad_search_words_get_a_clear_answer(page, visit, axe, danish_postings, words, answer):
    page.set_viewport_size(PHONE)
    visit(page, "/job/")
    _search(page, words)
    assert page.get_by_text(answer).count() == 1
    assert page.locator(".jobs-result").count() == 0
    axe(page)
