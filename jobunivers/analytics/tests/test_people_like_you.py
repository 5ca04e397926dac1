"""What worked for people like you (ADR 0130): the national aggregate (19 people make no figure, 20 do; keys are
disjoint; courses count only before the job), the start page's slot behind its own consent, its query cost,
the occupation of the job found in the import and the forms, and GDPR."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobunivers.analytics import services
from jobunivers.analytics.models import FigureKind, PeopleLikeYouFigure, UnemploymentSpell
from jobunivers.analytics.peoplelikeyou import figures_for, people_like_you_build
from jobunivers.audit.models import Consent
from jobunivers.citizens.models import Profile
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.taxonomy.tests.factories import IscoGroupFactory, OccupationFactory

from .factories import SpellFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 5)
JOB_DAY = datetime.date(2026, 10, 1)
ONBOARDED = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)  # past the welcome and the questionnaire


@pytest.fixture
def developer():
    IscoGroupFactory(code="2512", preferred_label="Software developers")
    IscoGroupFactory(code="251", uri="http://data.europa.eu/esco/isco/C251",
                     preferred_label="Software and applications developers and analysts")
    return OccupationFactory(preferred_label="software developer", preferred_label_da="softwareudvikler",
                             isco_code="2512", esco_code="2512.4")


@pytest.fixture
def tester():
    return OccupationFactory(preferred_label="software tester", preferred_label_da="softwaretester", isco_code="2519",
                             esco_code="2519.2")


def seeker(municipality, *occupations):
    citizen = CitizenFactory(municipality=municipality, registered_on=datetime.date(2026, 1, 5),
                             welcome_seen_at=ONBOARDED, onboarding_completed_at=ONBOARDED)
    profile = Profile.all_tenants.create(citizen=citizen, municipality=municipality)
    for occupation in occupations:
        profile.occupations.add(occupation)
    return citizen


def found_job(citizen, occupation=None, *, day=JOB_DAY, source="register"):
    return SpellFactory(citizen=citizen, source=source, reference=f"R-{citizen.pk}" if source == "register" else "",
                        started_on=day - datetime.timedelta(days=60), ended_on=day,
                        exit_reason="job", job_occupation=occupation)


def cohort(municipality, size, *, seeks, found_as, day=JOB_DAY):
    people = [seeker(municipality, seeks) for _ in range(size)]
    for person in people:
        found_job(person, found_as, day=day)
    return people


def cells():
    return sorted(PeopleLikeYouFigure.objects.values_list("profile_key", "kind", "item", "people", "rank"))


# --- The aggregate -----------------------------------------------------------------------------------------


def test_nineteen_people_make_no_figure_and_twenty_do(municipality, developer):
    # given 19 people seeking software development who found a job as developers
    cohort(municipality, 19, seeks=developer, found_as=developer)
    # when the figures are built, then there are none
    assert people_like_you_build(today=TODAY).figures == 0
    assert cells() == []
    # and when a 20th person joins them
    cohort(municipality, 1, seeks=developer, found_as=developer)
    people_like_you_build(today=TODAY)
    # then the unit group has its figures, from 20 people
    assert cells() == [("2512", "occupation", f"occupation:{developer.pk}", 20, 1), ("2512", "people", "", 20, 0)]
    figure = PeopleLikeYouFigure.objects.get(kind=FigureKind.OCCUPATION)
    assert (figure.label_da, figure.label_en, figure.period_from, figure.period_to) == (
        "softwareudvikler", "software developer", datetime.date(2024, 12, 5), TODAY)


def test_the_people_of_both_municipalities_count_together_and_no_municipality_is_kept(
        municipality, other_municipality, developer):
    # given 10 people in Aarhus and 10 in København with the same profile and job
    cohort(municipality, 10, seeks=developer, found_as=developer)
    cohort(other_municipality, 10, seeks=developer, found_as=developer)
    # when the national figures are built
    people_like_you_build(today=TODAY)
    # then one national figure rests on the 20, and no cell can tell the municipalities apart
    assert cells() == [("2512", "occupation", f"occupation:{developer.pk}", 20, 1), ("2512", "people", "", 20, 0)]
    assert "municipality" not in {field.name for field in PeopleLikeYouFigure._meta.get_fields()}


def test_the_table_holds_no_personal_data(municipality, developer):
    # given figures built from 20 people
    people = cohort(municipality, 20, seeks=developer, found_as=developer)
    people_like_you_build(today=TODAY)
    # then no column refers to anything (no citizen, user or municipality), and no value is a person's
    fields = PeopleLikeYouFigure._meta.get_fields()
    assert [f.name for f in fields if f.is_relation] == []
    assert sorted(f.name for f in fields) == ["built_on", "id", "item", "kind", "label_da", "label_en", "people",
                                              "period_from", "period_to", "profile_key", "rank"]
    values = {str(v) for row in PeopleLikeYouFigure.objects.values_list("profile_key", "item", "label_da", "label_en")
              for v in row}
    names = {p.user.username for p in people} | {p.user.get_full_name() for p in people} - {""}
    assert values & names == set()
    # and the audit registry has nothing to export or erase for it (it is not scanned as personal data)
    from jobunivers.audit.privacy import personal_data_models

    assert PeopleLikeYouFigure not in set(personal_data_models())
    # and the database refuses a cell of fewer than 20 people
    with pytest.raises(IntegrityError), transaction.atomic():
        PeopleLikeYouFigure.objects.create(profile_key="9999", kind=FigureKind.PEOPLE, people=19,
                                           period_from=TODAY, period_to=TODAY, built_on=TODAY)


def test_building_twice_gives_the_same_table(municipality, developer):
    cohort(municipality, 21, seeks=developer, found_as=developer)
    people_like_you_build(today=TODAY)
    first = cells()
    people_like_you_build(today=TODAY)
    assert cells() == first and len(first) == 2


def test_a_unit_group_with_too_few_is_pooled_in_its_minor_group_only(municipality, developer, tester):
    # given 12 people seeking developer (2512) and 10 seeking tester (2519), all found a job as developers
    IscoGroupFactory(code="2519", uri="http://data.europa.eu/esco/isco/C2519", preferred_label="Other")
    cohort(municipality, 12, seeks=developer, found_as=developer)
    cohort(municipality, 10, seeks=tester, found_as=developer)
    # when the figures are built
    people_like_you_build(today=TODAY)
    # then neither unit group has figures, the minor group 251 holds all 22, and both see it
    assert cells() == [("251", "occupation", f"occupation:{developer.pk}", 22, 1), ("251", "people", "", 22, 0)]
    assert figures_for("2512").profile_key == figures_for("2519").profile_key == "251"
    assert figures_for("2512").is_minor_group is True
    assert figures_for("3111") is None


def test_a_unit_group_with_its_own_figures_is_not_also_in_the_minor_group(municipality, developer, tester):
    # given 20 developers (their own figure) and 19 testers (too few, even pooled)
    cohort(municipality, 20, seeks=developer, found_as=developer)
    cohort(municipality, 19, seeks=tester, found_as=developer)
    people_like_you_build(today=TODAY)
    # then only the unit group's figures exist: the minor group would be 39 - 20, a difference of small groups
    assert {key for key, *_rest in cells()} == {"2512"}
    assert figures_for("2519") is None


def test_a_course_counts_only_when_used_before_the_job(municipality, developer):
    from jobunivers.learning.models import ModuleEnrolment
    from jobunivers.learning.tests.helpers import make_module

    module = make_module("cv", title="Skriv et godt CV")
    local = make_module("lokal", title="Kommunens eget modul", municipality=municipality)
    people = cohort(municipality, 20, seeks=developer, found_as=developer)
    before = datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC)
    after = datetime.datetime(2026, 10, 20, 10, tzinfo=datetime.UTC)
    for number, person in enumerate(people):
        for course in (module, local):
            ModuleEnrolment.all_tenants.create(municipality=municipality, citizen=person, module=course,
                                               enrolled_at=after if number == 0 and course == module else before,
                                               last_activity_at=before)
    # when the figures are built: 19 started the national module before their job, one after it
    people_like_you_build(today=TODAY)
    # then the national module makes no figure, and a municipality's own module never does
    assert [c for c in cells() if c[1] == "course"] == []
    # and when the 20th started before the job as well
    ModuleEnrolment.all_tenants.filter(citizen=people[0], module=module).update(enrolled_at=before)
    people_like_you_build(today=TODAY)
    assert [c for c in cells() if c[1] == "course"] == [("2512", "course", f"module:{module.pk}", 20, 1)]
    assert PeopleLikeYouFigure.objects.get(kind="course").label_da == "Skriv et godt CV"


def test_the_registers_occupation_wins_over_a_persons_and_old_jobs_do_not_count(municipality, developer, tester):
    people = [seeker(municipality, developer) for _ in range(20)]
    for person in people:
        found_job(person, developer)
        found_job(person, tester, source="citizen")  # what the citizen said: the register's word counts
    old = cohort(municipality, 5, seeks=developer, found_as=developer, day=datetime.date(2024, 1, 1))
    people_like_you_build(today=TODAY)
    assert cells() == [("2512", "occupation", f"occupation:{developer.pk}", 20, 1), ("2512", "people", "", 20, 0)]
    assert len(old) == 5



def test_a_marketplace_offer_counts_across_municipalities_when_enrolled_before_the_job(
        municipality, other_municipality, developer):
    from jobunivers.marketplace.tests.factories import enabled, enrolment, offer

    course = offer(title="Truckcertifikat", kind="course")
    here, there = enabled(municipality, course), enabled(other_municipality, course)
    before = datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC)
    # given 10 + 10 people who enrolled before their job, in two municipalities, and 5 more who enrolled after
    for place, run in ((municipality, here), (other_municipality, there)):
        for person in cohort(place, 10, seeks=developer, found_as=developer):
            enrolment(person, run, enrolled_at=before)
    for person in cohort(municipality, 5, seeks=developer, found_as=developer):
        enrolment(person, here, enrolled_at=datetime.datetime(2026, 11, 1, 10, tzinfo=datetime.UTC))
    # when the figures are built, then the offer counts the 20 who used it before the job, nationally
    people_like_you_build(today=TODAY)
    assert [c for c in cells() if c[1] != "occupation"] == [("2512", "course", f"offer:{course.pk}", 20, 1),
                                                             ("2512", "people", "", 25, 0)]
    assert PeopleLikeYouFigure.objects.get(kind="course").label_da == "Truckcertifikat"

# --- The slot and its consent ----------------------------------------------------------------------------


def _slot(page: str) -> str:
    start = page.find('id="slot-people_like_you"')
    return "" if start < 0 else page[start:page.find("</section>", start)]


@pytest.fixture
def figures(municipality, developer):
    cohort(municipality, 20, seeks=developer, found_as=developer)
    people_like_you_build(today=TODAY)


def test_without_consent_the_slot_offers_it_and_after_yes_shows_the_figures(municipality, developer, figures):
    me = seeker(municipality, developer)
    client = client_for(me.user)
    home = murl(municipality, "citizens:home")
    # given no answer yet: the offer, with no figures
    slot = _slot(client.get(home).content.decode())
    assert "Vil du se, hvilke job andre" in slot and "softwareudvikler" not in slot
    # when the citizen says yes
    response = client.post(murl(municipality, "analytics:people_like_you_consent"), {"answer": "yes"})
    assert response.status_code == 302
    # then the slot shows the figures and why
    slot = _slot(client.get(home).content.decode())
    assert "Andre med en profil som din fik job som" in slot
    assert "softwareudvikler" in slot and "(20 personer)" in slot
    assert "Hvorfor ser jeg dette?" in slot and "Software developers" in slot
    assert "1. oktober 2026" not in slot and "5. december 2024" in slot and "5. december 2026" in slot
    assert "Det er ikke et råd" in slot
    assert list(Consent.objects.filter(user=me.user).values_list("purpose", "given")) == [("people_like_you", True)]


def test_after_no_the_slot_is_gone_and_my_data_can_turn_it_on_and_off(municipality, developer, figures):
    me = seeker(municipality, developer)
    client = client_for(me.user)
    home = murl(municipality, "citizens:home")
    client.post(murl(municipality, "analytics:people_like_you_consent"), {"answer": "no"})
    assert _slot(client.get(home).content.decode()) == ""
    # saving My data untouched keeps the no; ticking the box turns it on
    client.post(murl(municipality, "audit:my_consents"), {"people_like_you": "on"})
    assert "Andre med en profil som din" in _slot(client.get(home).content.decode())
    client.post(murl(municipality, "audit:my_consents"), {})
    assert _slot(client.get(home).content.decode()) == ""
    assert Consent.objects.get(user=me.user, purpose="people_like_you").given is False


def test_saving_my_data_untouched_does_not_answer_the_offer(municipality, developer, figures):
    me = seeker(municipality, developer)
    client = client_for(me.user)
    client.post(murl(municipality, "audit:my_consents"), {"personalisation": "on"})
    assert not Consent.objects.filter(user=me.user, purpose="people_like_you").exists()
    assert "Vil du se" in _slot(client.get(murl(municipality, "citizens:home")).content.decode())


def test_no_slot_without_figures_or_without_a_wished_occupation(municipality, developer, tester, figures):
    from jobunivers.audit.services import consent_set

    for person in (seeker(municipality, tester), seeker(municipality),
                   CitizenFactory(municipality=municipality, welcome_seen_at=ONBOARDED, onboarding_completed_at=ONBOARDED)):
        consent_set(user=person.user, purpose="people_like_you", given=True)
        assert _slot(client_for(person.user).get(murl(municipality, "citizens:home")).content.decode()) == ""


def test_a_bad_answer_or_another_municipalitys_citizen_writes_nothing(municipality, other_municipality, developer):
    me = seeker(municipality, developer)
    response = client_for(me.user).post(murl(municipality, "analytics:people_like_you_consent"), {"answer": "maybe"})
    assert response.status_code == 400
    elsewhere = seeker(other_municipality, developer)
    response = client_for(elsewhere.user).post(murl(municipality, "analytics:people_like_you_consent"),
                                               {"answer": "yes"})
    assert response.status_code == 404
    assert Consent.objects.count() == 0


def test_the_slot_costs_one_query_when_there_is_nothing_to_show_and_none_without_an_occupation(
        municipality, developer, tester, figures):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobunivers.analytics.home import register
    from jobunivers.citizens.registry import unregister_home_slot

    no_figures = seeker(municipality, tester)
    no_occupation = CitizenFactory(municipality=municipality, welcome_seen_at=ONBOARDED, onboarding_completed_at=ONBOARDED)

    def queries(person) -> int:
        client = client_for(person.user)
        home = murl(municipality, "citizens:home")
        client.get(home)
        with CaptureQueriesContext(connection) as captured:
            client.get(home)
        return len(captured.captured_queries)

    with_slot = [queries(no_figures), queries(no_occupation)]
    unregister_home_slot("people_like_you")
    try:
        without_slot = [queries(no_figures), queries(no_occupation)]
    finally:
        register()
    assert [a - b for a, b in zip(with_slot, without_slot, strict=True)] == [1, 0]


def test_the_consent_is_in_the_export_and_erased(municipality, developer):
    from jobunivers.audit.services import consent_set, personal_data_export

    me = seeker(municipality, developer)
    consent_set(user=me.user, purpose="people_like_you", given=True)
    sections = [s for s in personal_data_export(user=me.user)["sections"] if s["source"] == "audit.consent"]
    assert [(r["purpose"], r["given"]) for s in sections for r in s["records"]] == [("people_like_you", True)]
    from jobunivers.audit.privacy import registrations

    for registration in registrations():
        if registration.model_label == "audit.consent":
            registration.erase(me.user)
    assert Consent.objects.filter(user=me.user).count() == 0


# --- The occupation of the job found ------------------------------------------------------------------------

HEADER = "citizen_id,reference,started_on,ended_on,exit_reason,job_occupation\n"


def test_the_register_file_gives_the_occupation_by_its_esco_code(municipality, developer):
    person = CitizenFactory(municipality=municipality)
    services.outcomes_import(municipality_id=municipality.pk, file_format="csv", today=TODAY,
                             text=HEADER + f"{person.pk},R1,2026-01-05,2026-06-30,job,2512.4\n")
    assert list(UnemploymentSpell.all_tenants.values_list("reference", "job_occupation_id")) == [("R1", developer.pk)]


def test_an_unknown_occupation_code_writes_nothing_and_says_which_line(municipality, developer):
    person, other = CitizenFactory(municipality=municipality), CitizenFactory(municipality=municipality)
    text = HEADER + (f"{person.pk},R1,2026-01-05,2026-06-30,job,2512.4\n"
                     f"{other.pk},R2,2026-01-05,2026-06-30,job,9999.9\n"
                     f"{other.pk},R3,2026-07-05,2026-08-30,other,2512.4\n"
                     f"{other.pk},R4,2026-09-05,2026-09-30,job,{'x' * 41}\n")
    with pytest.raises(ValidationFailed) as raised:
        services.outcomes_import(municipality_id=municipality.pk, text=text, file_format="csv", today=TODAY)
    assert raised.value.messages == {"__all__": [
        "Linje 4: job_occupation er angivet, men exit_reason er ikke job",
        "Linje 5: job_occupation må højst være 40 tegn",
        "Linje 3: job_occupation 9999.9 er ingen kendt stillingskode (brug stillingens ESCO-kode, fx 2512.4)",
    ]}
    assert UnemploymentSpell.all_tenants.count() == 0


def test_the_citizen_and_staff_may_give_the_occupation(world, developer, tester):
    from jobunivers.citizens.models import Citizen

    citizen = Citizen.all_tenants.get(user=world.users["citizen"])
    Citizen.all_tenants.filter(pk=citizen.pk).update(registered_on=datetime.date(2026, 1, 5))
    Profile.all_tenants.create(citizen=citizen, municipality=world.home).occupations.add(developer)
    client = client_for(world.users["citizen"])
    page = client.get(murl(world.home, "analytics:own_job")).content.decode()
    # the wished occupation is offered at once, as a radio button; no list of every occupation
    assert f'type="radio" name="job_occupation" value="{developer.pk}"' in page
    assert "<option" not in page and "softwaretester" not in page and " checked" not in page
    day = timezone.localdate()
    response = client.post(murl(world.home, "analytics:own_job"), {"started_job_on": day.isoformat(),
                                                                   "job_occupation": str(developer.pk)})
    assert response.status_code == 302
    assert list(UnemploymentSpell.all_tenants.values_list("source", "job_occupation_id")) == [("citizen", developer.pk)]
    assert "Jobbet: softwareudvikler" in client.get(murl(world.home, "analytics:own_job")).content.decode()
    # a made-up occupation is refused and nothing changes
    response = client.post(murl(world.home, "analytics:own_job"), {"started_job_on": day.isoformat(),
                                                                   "job_occupation": "999999"})
    assert response.status_code == 400 and "Vælg en stilling fra listen." in response.content.decode()
    assert list(UnemploymentSpell.all_tenants.values_list("job_occupation_id", flat=True)) == [developer.pk]


def _radios(page: str) -> list[str]:
    import re

    return re.findall(r'type="radio" name="job_occupation" value="([^"]*)"', page)


def test_the_citizen_finds_another_occupation_by_words(world, developer, tester):
    from jobunivers.citizens.models import Citizen

    citizen = Citizen.all_tenants.get(user=world.users["citizen"])
    Citizen.all_tenants.filter(pk=citizen.pk).update(registered_on=datetime.date(2026, 1, 5))
    Profile.all_tenants.create(citizen=citizen, municipality=world.home).occupations.add(developer)
    client = client_for(world.users["citizen"])
    url = murl(world.home, "analytics:own_job")
    day = timezone.localdate().isoformat()
    # "Find stillingen" with the words: the occupations they name are offered below the wished one; the
    # date typed is kept, no error is shown and nothing is saved
    response = client.post(url, {"started_job_on": day, "job_occupation_query": "tester", "find": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert _radios(page) == ["none", str(developer.pk), str(tester.pk)]
    assert f'value="{day}"' in page and 'value="tester"' in page and "alert-error" not in page
    assert UnemploymentSpell.all_tenants.count() == 0
    # words without a choice: asked to choose, nothing saved
    response = client.post(url, {"started_job_on": day, "job_occupation_query": "tester"})
    assert response.status_code == 400
    assert "Vælg den stilling, der passer til jobbet, eller “Ikke angivet”." in response.content.decode()
    assert UnemploymentSpell.all_tenants.count() == 0
    # words nothing matches: said so, nothing saved
    response = client.post(url, {"started_job_on": day, "job_occupation_query": "xqzvw", "find": "1"})
    assert _radios(response.content.decode()) == ["none", str(developer.pk)]
    response = client.post(url, {"started_job_on": day, "job_occupation_query": "xqzvw"})
    assert response.status_code == 400
    assert "Vi fandt ingen stilling for “xqzvw”. Prøv et andet ord, eller lad feltet stå tomt." in response.content.decode()
    assert UnemploymentSpell.all_tenants.count() == 0
    # an occupation that was not offered for these words is refused
    response = client.post(url, {"started_job_on": day, "job_occupation_query": "xqzvw", "job_occupation": str(tester.pk)})
    assert response.status_code == 400 and "Vælg en stilling fra listen." in response.content.decode()
    # the match chosen is saved
    response = client.post(url, {"started_job_on": day, "job_occupation_query": "tester", "job_occupation": str(tester.pk)})
    assert response.status_code == 302
    assert list(UnemploymentSpell.all_tenants.values_list("source", "job_occupation_id")) == [("citizen", tester.pk)]


def test_not_given_by_hand_saves_no_occupation_whatever_the_words(world, developer):
    from jobunivers.citizens.models import Citizen

    citizen = Citizen.all_tenants.get(user=world.users["citizen"])
    Citizen.all_tenants.filter(pk=citizen.pk).update(registered_on=datetime.date(2026, 1, 5))
    client = client_for(world.users["citizen"])
    response = client.post(murl(world.home, "analytics:own_job"), {
        "started_job_on": timezone.localdate().isoformat(), "job_occupation_query": "softwareudvikler",
        "job_occupation": "none"})
    assert response.status_code == 302
    assert list(UnemploymentSpell.all_tenants.values_list("source", "job_occupation_id")) == [("citizen", None)]


@pytest.mark.parametrize(("words", "error"), [
    ("%%", "Vi fandt ingen stilling for “%%”. Prøv et andet ord, eller lad feltet stå tomt."),
    ("x" * 201, "Denne værdi må højst have 200 tegn (den har 201)."),
])
def test_bad_words_are_explained_and_nothing_is_saved(world, developer, words, error):
    from jobunivers.citizens.models import Citizen

    citizen = Citizen.all_tenants.get(user=world.users["citizen"])
    Citizen.all_tenants.filter(pk=citizen.pk).update(registered_on=datetime.date(2026, 1, 5))
    client = client_for(world.users["citizen"])
    response = client.post(murl(world.home, "analytics:own_job"), {
        "started_job_on": timezone.localdate().isoformat(), "job_occupation_query": words})
    page = response.content.decode()
    assert response.status_code == 400 and error in page
    assert page.count('class="form-error-message"') == 1  # one error, not also "no occupation" for the cut words
    assert UnemploymentSpell.all_tenants.count() == 0


def test_staff_find_the_occupation_by_words(world, developer):
    citizen = CitizenFactory(municipality=world.home)
    client = client_for(world.users["job_adviser"])
    url = murl(world.home, "analytics:citizen_spells", citizen_id=citizen.pk)
    page = client.get(url).content.decode()
    assert _radios(page) == ["none"] and "<option" in page  # the reason it ended is a short select; no occupations
    assert "softwareudvikler" not in page
    response = client.post(url, {"started_on": "2026-01-05", "ended_on": "2026-03-01", "exit_reason": "job",
                                 "job_occupation_query": "udvikler", "find": "1"})
    assert response.status_code == 200 and _radios(response.content.decode()) == ["none", str(developer.pk)]
    assert UnemploymentSpell.all_tenants.count() == 0
    response = client.post(url, {"started_on": "2026-01-05", "ended_on": "2026-03-01", "exit_reason": "job",
                                 "job_occupation_query": "udvikler", "job_occupation": str(developer.pk)})
    assert response.status_code == 302
    assert list(UnemploymentSpell.all_tenants.values_list("source", "job_occupation_id")) == [("staff", developer.pk)]


def test_staff_give_the_occupation_only_with_a_job(municipality, member, tester):
    adviser = member("job_adviser", municipality)
    person = CitizenFactory(municipality=municipality)
    with pytest.raises(ValidationFailed) as raised:
        services.staff_spell_record(actor=adviser, citizen=person, started_on=datetime.date(2026, 1, 5),
                                    ended_on=datetime.date(2026, 3, 1), exit_reason="education",
                                    job_occupation_id=tester.pk, today=TODAY)
    assert raised.value.messages == {"job_occupation": ["Angiv kun stillingen, når ledigheden sluttede med job."]}
    assert UnemploymentSpell.all_tenants.count() == 0
    spell = services.staff_spell_record(actor=adviser, citizen=person, started_on=datetime.date(2026, 1, 5),
                                        ended_on=datetime.date(2026, 3, 1), exit_reason="job",
                                        job_occupation_id=tester.pk, today=TODAY)
    assert spell.job_occupation_id == tester.pk


# --- Demo data ---------------------------------------------------------------------------------------------


def test_the_demo_gives_the_demo_citizen_figures(municipality, developer, tester):
    import io
    import random

    from jobunivers.accounts.tests.factories import UserFactory
    from jobunivers.analytics.demo import load
    from jobunivers.learning.tests.helpers import make_module
    from jobunivers.tenancy.models import Municipality

    # given a demo municipality with the demo citizen borger-001 (first wish: developer) and others seeking testers
    Municipality.objects.filter(pk=municipality.pk).update(is_demo=True)
    make_module("cv", title="Skriv et godt CV")
    people = {}
    for number in range(1, 26):
        user = UserFactory(username=f"demo-aarhus-borger-{number:03d}")
        people[number] = CitizenFactory(municipality=municipality, user=user, registered_on=datetime.date(2026, 9, 1),
                                        welcome_seen_at=ONBOARDED, onboarding_completed_at=ONBOARDED)
        profile = Profile.all_tenants.create(citizen=people[number], municipality=municipality)
        profile.occupations.add(developer if number == 1 else tester)
    # when the demo data is loaded
    load(rng=random.Random(1), stdout=io.StringIO())
    # then the demo register rows are labelled as demo, and the demo citizen sees the figures
    assert UnemploymentSpell.all_tenants.filter(reference__startswith="DEMO-LIGNER-DIG-").count() == 24
    assert cells()[:2] == [("2512", "course", cells()[0][2], 21, 1),
                           ("2512", "occupation", f"occupation:{developer.pk}", 21, 1)]
    page = client_for(people[1].user).get(murl(municipality, "citizens:home")).content.decode()
    assert "Andre med en profil som din fik job som" in _slot(page)
