import datetime

import pytest
from django.utils import timezone, translation

from jobunivers.core.context import tenant_context
from jobunivers.employers import contracts, selectors
from jobunivers.employers.models import Follow

from . import factories

COPENHAGEN = {"latitude": 55.6761, "longitude": 12.5683, "postcode": "1000", "city": "København K"}


def test_likely_employers_rank_by_history_with_the_reason_in_danish(citizen, warehouse):
    # given three employers of warehouse workers near Aarhus and one far away
    factories.postings("Netto", occupation=warehouse, days_ago=(10, 40, 80, 120, 200, 300))
    factories.postings("Lille Lager", occupation=warehouse, days_ago=(500,))
    factories.postings("Mellem Lager", occupation=warehouse, days_ago=(30, 400, 420))
    factories.postings("Fjern Lager", occupation=warehouse, days_ago=(5, 6, 7, 8, 9, 10, 11), **COPENHAGEN)
    # when the citizen's list is read (their own occupation and place by default)
    with tenant_context(citizen.municipality), translation.override("da"):
        items = contracts.likely_employers(citizen)
    # then the employers near them come in order of their hiring potential, each with its reason
    assert [(i.name, i.postings_24_months, i.postings_12_months, i.few_postings) for i in items] == [
        ("Netto", 6, 6, False), ("Mellem Lager", 3, 1, False), ("Lille Lager", 1, 0, True)]
    assert items[0].reason == "har slået 6 stillinger som lagermedarbejder op det seneste år"
    assert items[2].reason.startswith("har slået 1 stilling som lagermedarbejder op de seneste to år, senest i ")
    assert items[0].open_now == 6
    assert items[0].url == f"/{citizen.municipality.slug}/virksomheder/{items[0].organisation_id}/"
    assert [c.name for c in items[0].criteria] == ["volume", "recency", "trend", "size"]
    assert round(sum(c.points for c in items[0].criteria) / 100, 2) == round(items[0].score, 2)
    assert items[0].score > items[1].score > items[2].score


def test_likely_employers_are_empty_without_an_occupation_or_history(citizen, warehouse):
    with tenant_context(citizen.municipality):
        assert contracts.likely_employers(citizen) == []
    factories.postings("Gammel Lager", occupation=warehouse, days_ago=(800,))  # older than 24 months
    with tenant_context(citizen.municipality):
        assert contracts.likely_employers(citizen) == []


def test_a_place_can_be_given(citizen, warehouse):
    factories.postings("Fjern Lager", occupation=warehouse, days_ago=(5,), **COPENHAGEN)
    with tenant_context(citizen.municipality):
        items = contracts.likely_employers(citizen, occupation=warehouse.pk,
                                           place=contracts.Place(55.6761, 12.5683, 10, "1000 København K"))
    assert [i.name for i in items] == ["Fjern Lager"]


def test_follows_of_lists_the_citizens_own_follows_only(citizen, other_citizen):
    netto = factories.organisation("Netto")
    factories.follow(citizen, netto)
    factories.follow(other_citizen, factories.organisation("Fakta"))
    with tenant_context(citizen.municipality):
        items = contracts.follows_of(citizen)
    assert [(i.kind, i.label, i.notify, i.organisation_id) for i in items] == [("employer", "Netto", True, netto.pk)]


def test_followed_new_postings_are_newest_first_with_the_reason(citizen, warehouse):
    netto = factories.organisation("Netto", days_ago=(1,))
    factories.postings("Netto", days_ago=(20,))  # too old to be new
    factories.postings("Andet Lager", occupation=warehouse, days_ago=(0,))
    factories.follow(citizen, netto)
    Follow.all_tenants.create(municipality=citizen.municipality, citizen=citizen, kind="occupation_field",
                              isco_code="933")
    with tenant_context(citizen.municipality):
        found = selectors.followed_new_postings(citizen_id=citizen.pk)
    assert [f.reason_da for f in found] == ["Du følger faggruppen 933", "Du følger Netto"]


def test_history_per_month_by_occupation(citizen, warehouse):
    now = timezone.now()
    organisation = factories.organisation("Netto", occupation=warehouse, days_ago=(0, 0))
    factories.postings("Netto", days_ago=(0,))
    with translation.override("da"):
        rows = selectors.posting_history(organisation=organisation, now=now + datetime.timedelta(minutes=1))
    assert [(r.total, r.by_occupation) for r in rows] == [(3, (("lagermedarbejder", 2), ("Stilling ikke angivet", 1)))]


@pytest.mark.django_db
def test_followers_of_postings_find_followers_by_the_posting_itself(citizen, other_citizen, warehouse):
    # given a citizen following Netto (with notices) and one in another municipality following its field
    factories.follow(citizen, factories.organisation("Netto A/S"))
    Follow.all_tenants.create(municipality=other_citizen.municipality, citizen=other_citizen,
                              kind="occupation_field", isco_code="9334")
    muted = factories.organisation("Fakta")
    factories.follow(citizen, muted, notify=False)
    # when new postings come (not indexed yet)
    from jobunivers.jobs.tests.factories import JobPostingFactory

    netto = JobPostingFactory(employer_name="NETTO a/s", occupation=warehouse, isco_code="9334")
    fakta = JobPostingFactory(employer_name="Fakta")
    # then fan-out learns who follows each, and the muted follow is left out
    found = selectors.followers_of_postings(posting_ids=[netto.pk, fakta.pk])
    assert found == {netto.pk: [(citizen.pk, "Du følger Netto A/S"),
                                (other_citizen.pk, "Du følger faggruppen Lagerarbejdere")]}


def test_size_counts_every_occupation_and_follows_new_postings_and_only_open_ones_count_as_open(citizen, warehouse):
    # given an employer with 2 warehouse jobs and 3 driver jobs in the last two years, one driver job withdrawn
    from jobunivers.jobs.models import PostingStatus
    from jobunivers.taxonomy.tests.factories import OccupationFactory

    driver = OccupationFactory(preferred_label="lorry driver", preferred_label_da="lastbilchauffør", isco_code="8332")
    factories.postings("Netto", occupation=warehouse, days_ago=(10, 40))
    drivers = factories.postings("Netto", occupation=driver, days_ago=(20, 30, 900))
    drivers[0].status = PostingStatus.WITHDRAWN
    drivers[0].save()

    def netto():
        with tenant_context(citizen.municipality), translation.override("da"):
            return contracts.likely_employers(citizen)[0]

    # when the list is read: size counts the 4 jobs of the last 24 months in all occupations; open are the 4
    # still active (the withdrawn one is not; the 900-day-old one is still open)
    first = netto()
    assert (first.name, first.postings_24_months, first.open_now) == ("Netto", 2, 4)
    assert [c for c in first.criteria if c.name == "size"][0].explanation.startswith("4 opslag i alle fag i hele landet")
    # and after a new driver job is linked, the next read counts it (without waiting for the memo to expire)
    factories.postings("Netto", occupation=driver, days_ago=(1,))
    again = netto()
    assert (again.open_now, [c for c in again.criteria if c.name == "size"][0].explanation.split(" ")[0]) == (5, "5")
