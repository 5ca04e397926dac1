""""Til dig" from the municipality's snapshot in process memory (issue 17): what the services change is
recommended (or no longer) on the next visit, each municipality keeps its own snapshot, and the result is
the one of scoring every offer the citizen may see, read afresh from the database."""

import datetime
import random

import pytest
from django.db.models import F
from django.utils import timezone, translation

from jobunivers.core.context import tenant_context
from jobunivers.marketplace import selectors, services, snapshots
from jobunivers.marketplace.models import MunicipalOffer, Offer
from jobunivers.marketplace.selectors import CitizenContext, Occupation
from jobunivers.marketplace.snapshots import Candidate
from jobunivers.tenancy.roles import Role

from . import factories

pytestmark = pytest.mark.django_db

COURSE = {"title_da": "Truckcertifikat på 3 uger", "summary_da": "Bliv klar til lagerjob med truckkort.",
          "body_da": "Kurset giver dig certifikat B.", "format": "blended", "launch_method": "in_platform",
          "target_isco": "93", "target_situations": ["over_3_months"], "languages": ["da"]}


@pytest.fixture
def admin(member, municipality):
    return member(Role.MUNICIPALITY_ADMIN, municipality)


def _til_dig(citizen) -> list[tuple[int, str]]:
    with tenant_context(citizen.municipality):
        return [(r.entry.id, r.reason) for r in selectors.for_you(citizen=citizen)]


def test_a_withdrawal_by_the_municipality_or_the_provider_is_seen_at_once(citizen, municipality, admin, member):
    local = factories.enabled(municipality, factories.offer(title="Truckkursus", target_isco=["93"]))
    national = factories.enabled(municipality, factories.offer(title="Lagerarbejde for begyndere",
                                                               target_isco=["9334"]))
    reason = "fordi du søger job som lagermedarbejder"
    assert _til_dig(citizen) == [(national.pk, reason), (local.pk, reason)]
    services.municipal_offer_withdraw(actor=admin, municipal_offer=local, reason="Kurset er aflyst.")
    assert _til_dig(citizen) == [(national.pk, reason)]
    services.offer_withdraw(actor=member(Role.PLATFORM_OPERATOR), offer=national.offer, reason="Forældet.")
    assert _til_dig(citizen) == []


def test_aiming_promoting_and_rewording_are_seen_at_once(citizen, municipality, admin):
    truck = factories.enabled(municipality, factories.offer(title="Truckkursus", target_isco=["93"]))
    club = factories.enabled(municipality, factories.offer(title="Jobklub"))
    assert _til_dig(citizen) == [(truck.pk, "fordi du søger job som lagermedarbejder")]
    # the job club is promoted from today: recommended at once, first (priority 100 / 25 = 4 > 3)
    values = {"audience": "everyone", "promotion_priority": 100, "promoted_from": timezone.localdate()}
    services.municipal_offer_update(actor=admin, municipal_offer=club, expected_version=club.version, values=values)
    assert _til_dig(citizen) == [(club.pk, "fordi jobcentret anbefaler det"),
                                 (truck.pk, "fordi du søger job som lagermedarbejder")]
    # the truck course is shown only on a track the citizen is not on: gone at once
    services.municipal_offer_update(actor=admin, municipal_offer=truck, expected_version=truck.version,
                                    values={"audience": "tracks", "audience_tracks": ["ressource"]})
    assert _til_dig(citizen) == [(club.pk, "fordi jobcentret anbefaler det")]
    # and shown to warehouse workers only, with the municipality's own title: back, under that title
    truck.refresh_from_db()
    services.municipal_offer_update(actor=admin, municipal_offer=truck, expected_version=truck.version,
                                    values={"audience": "occupations", "audience_isco": "93",
                                            "local_title": "Truckkort på tre uger"})
    with tenant_context(municipality):
        found = selectors.for_you(citizen=citizen)
    assert [(r.entry.id, r.entry.title, r.reason) for r in found] == [
        (club.pk, "Jobklub", "fordi jobcentret anbefaler det"),
        (truck.pk, "Truckkort på tre uger", "fordi du søger job som lagermedarbejder")]


def test_a_newly_published_version_is_scored_at_once(citizen, municipality, member):
    vendor = factories.vendor("Kursushuset ApS")
    vendor_actor = factories.vendor_user(member, vendor)
    offer = factories.offer(provider_kind="vendor", vendor_=vendor, title="Kontorarbejde", target_isco=["41"])
    curated = factories.enabled(municipality, offer)
    assert _til_dig(citizen) == []
    services.offer_version_save(actor=vendor_actor, offer=offer, values=COURSE)
    services.offer_submit(actor=vendor_actor, offer=offer)
    assert _til_dig(citizen) == []  # version 2 waits for its review
    services.offer_review(actor=member(Role.PLATFORM_OPERATOR), offer=offer, approve=True)
    assert _til_dig(citizen) == [(curated.pk, "fordi du søger job som lagermedarbejder og har været ledig i 3 måneder")]


def test_a_promotion_period_is_compared_with_today_at_every_visit(citizen, municipality, monkeypatch):
    today = timezone.localdate()
    starts = factories.enabled(municipality, factories.offer(title="Jobmesse"), promotion_priority=50,
                               promoted_from=today + datetime.timedelta(days=1),
                               promoted_until=today + datetime.timedelta(days=2))
    assert _til_dig(citizen) == []
    snapshot = snapshots.current(municipality.pk)
    for days, expected in ((1, [(starts.pk, "fordi jobcentret anbefaler det")]), (2, [(starts.pk, "fordi jobcentret anbefaler det")]),
                           (3, [])):
        monkeypatch.setattr(timezone, "localdate", lambda days=days: today + datetime.timedelta(days=days))
        assert _til_dig(citizen) == expected
    assert snapshots.current(municipality.pk) is snapshot  # nothing changed: the same snapshot, not read again


def test_each_municipality_has_its_own_snapshot_and_sees_only_its_own_offers(citizen, municipality,
                                                                             other_municipality, member):
    from jobunivers.citizens.tests.factories import CitizenFactory

    offer = factories.offer(title="Jobklub")
    here = factories.enabled(municipality, offer)
    there = factories.enabled(other_municipality, offer, promotion_priority=80)
    other_only = factories.enabled(other_municipality, factories.offer(title="Truckkursus", target_isco=["93"]))
    neighbour = CitizenFactory(municipality=other_municipality)
    assert _til_dig(citizen) == []  # not promoted here, and the truck course is not shown here
    assert _til_dig(neighbour) == [(there.pk, "fordi jobcentret anbefaler det")]
    # a change in the other municipality does not touch this one's snapshot
    mine = snapshots.current(municipality.pk)
    services.municipal_offer_withdraw(actor=member(Role.MUNICIPALITY_ADMIN, other_municipality),
                                      municipal_offer=there, reason="Ikke mere.")
    assert snapshots.current(municipality.pk) is mine
    assert _til_dig(neighbour) == []
    assert {o.id for o in mine.offers} == {here.pk}
    assert {o.id for o in snapshots.current(other_municipality.pk).offers} == {other_only.pk}


def test_the_token_moves_with_a_version_whatever_the_order_of_commits(municipality):
    curated = factories.enabled(municipality, factories.offer(title="Jobklub"))
    before = snapshots.current(municipality.pk)
    # a transaction that committed after a later one: its updated_at is not the newest, its version moved
    MunicipalOffer.all_tenants.filter(pk=curated.pk).update(
        version=F("version") + 1, withdrawn_at=timezone.now(), updated_at=curated.updated_at)
    after = snapshots.current(municipality.pk)
    assert (after is before, after.offers) == (False, ())
    Offer.objects.filter(pk=curated.offer_id).update(version=F("version") + 1)
    assert snapshots.current(municipality.pk) is not after


def test_a_change_the_token_cannot_see_is_read_within_the_maximum_age(municipality, settings):
    curated = factories.enabled(municipality, factories.offer(title="Jobklub"))
    first = snapshots.current(municipality.pk)
    assert snapshots.current(municipality.pk) is first
    MunicipalOffer.all_tenants.filter(pk=curated.pk).update(promotion_priority=50, updated_at=curated.updated_at)
    assert snapshots.current(municipality.pk).offers[0].promotion_priority == 0
    settings.MARKETPLACE_CATALOGUE_MAX_AGE = 0
    assert snapshots.current(municipality.pk).offers[0].promotion_priority == 50


def test_at_most_the_configured_number_of_municipalities_is_kept(municipality, other_municipality, settings,
                                                               django_assert_num_queries):
    settings.MARKETPLACE_CATALOGUE_CACHE = 1
    factories.enabled(municipality, factories.offer(title="Jobklub"))
    snapshots.current(municipality.pk)
    with django_assert_num_queries(1):  # the token only
        snapshots.current(municipality.pk)
    snapshots.current(other_municipality.pk)
    assert list(snapshots._snapshots) == [other_municipality.pk]
    with django_assert_num_queries(2):  # the token, then the municipality read again
        snapshots.current(municipality.pk)


# --- The same recommendations as scoring every visible offer ----------------------------------------

TRACKS = ["selvbetjening", "jobraadgiver", "personlig", "ressource"]
CODES = ["2", "21", "2512", "4", "43", "4321", "7", "71", "7115", "8", "83", "8332", "9", "93", "9334"]
SITUATIONS = ["newly_unemployed", "over_3_months", "over_6_months", "over_12_months", "under_30", "over_50"]
TITLES = ["Truckcertifikat", "truckcertifikat", "Skriv en ansøgning", "ærlig talt", "Éclair-kursus", "Lagerlogistik og scannere", "Jobklub for faglærte",
          "Excel for begyndere", "Kørekort til lastbil", "Ærlig snak om løn", "Øvelse i jobsamtalen",
          "Åbent værksted", "CV-værksted"]
PLANS = ["Tag truckcertifikat", "Skriv en uopfordret ansøgning", "Lær Excel", "Søg job på lageret",
         "Deltag i jobklub", "Forbered jobsamtalen", "ÅBENT VÆRKSTED på torsdag"]


def _random_offers(rng: random.Random, municipality, other_municipality) -> None:
    today = timezone.localdate()
    for number in range(70):
        title = f"{rng.choice(TITLES)} {number}"
        offer = factories.offer(
            title=title, title_en=rng.choice(["", f"Course {number}"]),
            summary_da=rng.choice(["Kort og godt.", "Til lager og logistik.", "Bliv klar til jobsamtalen.",
                                   "Med certifikat til sidst."]),
            target_isco=rng.sample(CODES, rng.choice([0, 0, 1, 2])),
            target_tracks=rng.sample(TRACKS, rng.choice([0, 0, 0, 1])),
            target_situations=rng.sample(SITUATIONS, rng.choice([0, 0, 1, 2])))
        if rng.random() < 0.1:
            offer.status = "withdrawn"
            offer.save()
        for place in (municipality, other_municipality):
            if rng.random() < 0.2:
                continue
            roll = rng.random()
            audience = "tracks" if roll < 0.15 else "occupations" if roll < 0.3 else "everyone"
            start = today + datetime.timedelta(days=rng.randint(-10, 5)) if rng.random() < 0.5 else None
            factories.enabled(
                place, offer, audience=audience,
                audience_tracks=rng.sample(TRACKS, rng.choice([1, 2])) if audience == "tracks" or rng.random() < 0.1 else [],
                audience_isco=rng.sample(CODES, rng.choice([1, 2])) if audience == "occupations" or rng.random() < 0.1 else [],
                promotion_priority=rng.choice([0, 0, 0, 0, 10, 50, 100]), promoted_from=start,
                promoted_until=start + datetime.timedelta(days=rng.randint(0, 8)) if start and rng.random() < 0.7 else None,
                local_title=rng.choice(["", "", "", f"Jobcentrets valg {number}"]),
                withdrawn_at=timezone.now() if rng.random() < 0.1 else None)


def _random_context(rng: random.Random, citizen_id: int, offer_ids: list[int]) -> CitizenContext:
    months = rng.choice([None, 1, 3, 7, 14])
    situations = set(rng.sample(SITUATIONS, rng.choice([0, 1, 2, 3])))
    return CitizenContext(
        citizen_id=citizen_id, track_key=rng.choice(["", *TRACKS]), track_name="Selvbetjening",
        occupations=[Occupation(code, f"Fag {code}") for code in rng.sample(["2512", "4321", "7115", "8332", "9334",
                                                                               "5120", ""], rng.choice([0, 1, 2]))],
        situations=situations, months_unemployed=months, plan_titles=rng.sample(PLANS, rng.choice([0, 1, 2])),
        enrolled_offer_ids=set(rng.sample(offer_ids, rng.choice([0, 0, 2]))))


def _scored_from_the_database(citizen, context: CitizenContext, limit: int) -> list[tuple[int, float, str]]:
    """Every offer the citizen may see (audience decided in SQL), scored: what "Til dig" must answer."""
    english = (translation.get_language() or "").startswith("en")
    today = timezone.localdate()
    plan = [(title, snapshots.words(title)) for title in context.plan_titles]
    scored = []
    for entry in selectors.catalogue(citizen=citizen, context=context):
        if entry.offer.pk in context.enrolled_offer_ids:
            continue
        curated, version = entry.curated, entry.version
        candidate = Candidate(
            id=curated.pk, offer_id=curated.offer_id, audience=curated.audience, local_title=curated.local_title,
            title_da=version.title_da, title_en=version.title_en,
            words_da=frozenset(snapshots.words(f"{version.title_da} {version.summary_da}")),
            promotion_priority=curated.promotion_priority, promoted_from=curated.promoted_from,
            promoted_until=curated.promoted_until,
            audience_tracks=tuple(curated.audience_tracks) if curated.audience == "tracks" else (),
            audience_isco=tuple(curated.audience_isco), target_tracks=tuple(version.target_tracks),
            target_isco=tuple(version.target_isco), target_situations=tuple(version.target_situations))
        score, matched = selectors._matches(candidate, context, plan, today)
        if matched:
            scored.append((-score, candidate.title(english).lower(), curated.pk, selectors._reason(matched, context)))
    return [(pk, -order, reason) for order, _title, pk, reason in sorted(scored)[:limit]]


@pytest.mark.parametrize(("language", "limit"), [("da", selectors.FOR_YOU_LIMIT), ("da", 100), ("en", 100)])
def test_til_dig_is_what_scoring_every_visible_offer_gives(citizen, municipality, other_municipality, language,
                                                          limit):
    rng = random.Random(17)
    _random_offers(rng, municipality, other_municipality)
    offer_ids = list(Offer.objects.values_list("id", flat=True))
    compared = recommended = 0
    with translation.override(language), tenant_context(municipality):
        for number in range(60):
            context = _random_context(rng, citizen.pk, offer_ids)
            expected = _scored_from_the_database(citizen, context, limit)
            found = [(r.entry.id, r.score, r.reason)
                     for r in selectors.for_you(citizen=citizen, context=context, limit=limit)]
            assert (number, found) == (number, expected)
            compared, recommended = compared + 1, recommended + len(found)
    assert (compared, recommended > 100) == (60, True)  # the comparison is not of empty lists
    # (with the whole list, every kind of reason is compared, not only the strongest six)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_front_page_is_the_catalogue_page_the_database_orders(citizen, municipality, other_municipality,
                                                                  language):
    rng = random.Random(18)
    _random_offers(rng, municipality, other_municipality)
    offer_ids = list(Offer.objects.values_list("id", flat=True))
    with translation.override(language), tenant_context(municipality):
        for number in range(40):
            context = _random_context(rng, citizen.pk, offer_ids)
            wanted = rng.choice([1, 1, 2, 3, 4, 9, 0])
            expected = selectors.catalogue_page(citizen=citizen, context=context, number=wanted, size=9)
            page, recommended = selectors.front_page(citizen=citizen, context=context, number=wanted, size=9)
            assert (number, [e.id for e in page.entries], page.number, page.pages, page.total) == (
                number, [e.id for e in expected.entries], expected.number, expected.pages, expected.total)
            til_dig = selectors.for_you(citizen=citizen, context=context) if page.number == 1 else []
            assert [(r.entry.id, r.reason) for r in recommended] == [(r.entry.id, r.reason) for r in til_dig]


def test_the_front_page_sees_a_withdrawal_and_a_new_title_at_once(citizen, municipality, admin):
    first = factories.enabled(municipality, factories.offer(title="A-kasse og dig"))
    second = factories.enabled(municipality, factories.offer(title="Bliv klar til jobsamtalen"))
    with tenant_context(municipality):
        assert [e.id for e in selectors.front_page(citizen=citizen)[0].entries] == [first.pk, second.pk]
        services.municipal_offer_update(actor=admin, municipal_offer=first, expected_version=first.version,
                                        values={"audience": "everyone", "local_title": "Økonomi som ledig"})
        assert [e.title for e in selectors.front_page(citizen=citizen)[0].entries] == [
            "Bliv klar til jobsamtalen", "Økonomi som ledig"]
        services.municipal_offer_withdraw(actor=admin, municipal_offer=second, reason="Aflyst.")
        page = selectors.front_page(citizen=citizen)[0]
        assert ([e.id for e in page.entries], page.total) == ([first.pk], 1)
