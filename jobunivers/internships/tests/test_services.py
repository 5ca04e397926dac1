"""Services of internships: the place's rules (with nothing written on bad input), offering to those who fit, one
application per card with its snapshot, the caseworker's decision putting the agreement in the plan, the plan
item moved by the system on the first and after the last day with the nudges within the cap, and the outcome
"got the job" reaching analytics as its own source."""

import datetime

import pytest

from jobunivers.analytics.models import UnemploymentSpell
from jobunivers.audit.models import AccessLogEntry
from jobunivers.citizens.models import PlanItem, PlanItemVersion
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.internships import services
from jobunivers.internships.models import Application, FunnelEvent, Place, Suggestion
from jobunivers.notifications.models import Notification
from jobunivers.tenancy.roles import Role

from .helpers import cook, employer, place_data, seeker

pytestmark = pytest.mark.django_db


def _steps(place):
    return sorted(FunnelEvent.all_tenants.filter(place=place).values_list("step", flat=True))


# --- the place -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"ends_on_offset": -1}, "ends_on", "Den sidste dag kan ikke ligge før den første dag."),
    ({"start_offset": -1}, "starts_on", "Første dag er overstået. Vælg en dag fra i dag."),
    ({"hours_per_week": 0}, "hours_per_week", "Timer om ugen skal være et helt tal fra 1 til 37."),
    ({"hours_per_week": 38}, "hours_per_week", "Timer om ugen skal være et helt tal fra 1 til 37."),
    ({"places": 0}, "places", "Antallet af praktikanter skal være fra 1 til 20."),
    ({"postcode": "9999"}, "postcode", "Vi kender ikke postnummeret 9999."),
    ({"description": ""}, "description", "Beskriv opgaverne, og hvad praktikanten lærer (højst 3.000 tegn)."),
    ({"occupation": "x"}, "occupation", "Vælg stillingsbetegnelsen på listen."),
    ({"ends_on_offset": 26 * 7}, "ends_on", "En praktikplads på Jobunivers kan højst vare 26 uger. Jobcentret "
                                            "afgør varigheden af den enkelte praktik."),
])
def test_a_bad_place_is_refused_with_its_reason_and_nothing_is_written(boss, occupation, today, changes, field,
                                                                       message):
    # given place data with one thing wrong
    user, membership = boss
    data = place_data(occupation, today=today)
    if "start_offset" in changes:
        data["starts_on"] = today + datetime.timedelta(days=changes.pop("start_offset"))
    if "ends_on_offset" in changes:
        data["ends_on"] = data["starts_on"] + datetime.timedelta(days=changes.pop("ends_on_offset"))
    data.update(changes)
    # when it is published
    with pytest.raises(ValidationFailed) as error:
        services.place_publish(actor=user, membership=membership, data=data, today=today)
    # then the reason is on its field and no place exists
    assert error.value.messages == {field: [message]}
    assert Place.objects.count() == 0


def test_a_person_who_does_not_act_for_an_employer_cannot_publish(occupation, member, municipality, today):
    user = member(Role.JOB_ADVISER, municipality)
    with pytest.raises(ValidationFailed):
        services.place_publish(actor=user, membership=None, data=place_data(occupation, today=today), today=today)
    assert Place.objects.count() == 0


def test_offering_makes_one_card_per_citizen_who_fits_in_their_municipality_once(
        boss, occupation, sara, other_municipality, today):
    # given a carpenter in Aarhus, a carpenter in København, and a cook in Aarhus
    bo = seeker(other_municipality, occupation, first_name="Bo", postcode="1050")
    chef = seeker(sara.municipality, cook(), first_name="Kim")
    user, membership = boss
    place = services.place_publish(actor=user, membership=membership, data=place_data(occupation, today=today),
                                   today=today)
    # when the place is offered twice
    assert services.place_offer(place_id=place.pk, today=today) == 2
    assert services.place_offer(place_id=place.pk, today=today) == 0
    # then each carpenter has one card in their own municipality, the cook none, each with "shown" and a notice
    cards = {s.citizen_id: s.municipality_id for s in Suggestion.all_tenants.filter(place=place)}
    assert cards == {sara.pk: sara.municipality_id, bo.pk: other_municipality.pk}
    assert chef.pk not in cards
    assert _steps(place) == ["shown", "shown"]
    notice = Notification.all_tenants.get(recipient=sara.user, kind="internship")
    assert notice.title == "En praktik hos Byggesen Tømrer ApS?"
    assert notice.link == "/aarhus/min-side/praktik/"


def test_a_withdrawn_place_is_not_offered_and_cannot_be_withdrawn_twice(boss, occupation, sara, today):
    user, membership = boss
    place = services.place_publish(actor=user, membership=membership, data=place_data(occupation, today=today),
                                   today=today)
    services.place_withdraw(actor=user, membership=membership, place_id=place.pk)
    assert services.place_offer(place_id=place.pk, today=today) == 0
    with pytest.raises(ConflictError):
        services.place_withdraw(actor=user, membership=membership, place_id=place.pk)


def test_another_employer_cannot_edit_or_withdraw_the_place(published, occupation, today):
    place, _card = published
    other_user, other_membership = employer("Anden Virksomhed ApS", first_name="Ole")
    with pytest.raises(NotFound):
        services.place_withdraw(actor=other_user, membership=other_membership, place_id=place.pk)
    with pytest.raises(NotFound):
        services.place_update(actor=other_user, membership=other_membership, place_id=place.pk,
                              data=place_data(occupation, today=today, title="Kapret"), today=today)
    place.refresh_from_db()
    assert (place.status, place.title) == ("open", "Tømrerhjælper")


def test_editing_checks_the_same_rules_and_writes_nothing_on_bad_input(published, boss, occupation, today):
    place, _card = published
    user, membership = boss
    with pytest.raises(ValidationFailed):
        services.place_update(actor=user, membership=membership, place_id=place.pk,
                              data=place_data(occupation, today=today, hours_per_week=40), today=today)
    services.place_update(actor=user, membership=membership, place_id=place.pk,
                          data=place_data(occupation, today=today, hours_per_week=30), today=today)
    place.refresh_from_db()
    assert place.hours_per_week == 30


# --- the application -------------------------------------------------------------------------------------

def test_applying_keeps_a_snapshot_of_exactly_the_chosen_fields(applied, sara):
    place, application = applied
    assert application.shared == {"name": "Sara Jensen", "occupations": ["tømrer"]}
    assert (application.status, application.motivation) == ("applied", "Jeg vil gerne lære faget.")
    assert _steps(place) == ["applied", "shown"]


def test_applying_twice_is_refused_and_nothing_more_is_written(applied, sara, today):
    place, application = applied
    with pytest.raises(ConflictError) as error:
        services.application_submit(actor=sara.user, citizen=sara, suggestion_id=application.suggestion_id,
                                    motivation="Igen", fields=[], today=today)
    assert str(error.value) == "Du har allerede søgt denne praktik."
    assert Application.all_tenants.count() == 1
    assert _steps(place) == ["applied", "shown"]


def test_applying_to_a_withdrawn_place_is_refused(published, boss, sara, today):
    place, card = published
    user, membership = boss
    services.place_withdraw(actor=user, membership=membership, place_id=place.pk)
    with pytest.raises(ValidationFailed) as error:
        services.application_submit(actor=sara.user, citizen=sara, suggestion_id=card.pk, motivation="Hej",
                                    fields=[], today=today)
    assert error.value.messages == {"__all__": ["Praktikpladsen er ikke længere åben for ansøgninger."]}
    assert Application.all_tenants.count() == 0


@pytest.mark.parametrize(("motivation", "fields", "errors"), [
    ("", [], {"motivation": ["Skriv en kort motivation (højst 1000 tegn)."]}),
    ("x" * 1001, [], {"motivation": ["Skriv en kort motivation (højst 1000 tegn)."]}),
    ("Hej", ["cpr"], {"fields": ["Vælg fra listen, hvad arbejdsgiveren må se."]}),
])
def test_a_bad_application_is_refused_and_nothing_is_written(published, sara, today, motivation, fields, errors):
    _place, card = published
    with pytest.raises(ValidationFailed) as error:
        services.application_submit(actor=sara.user, citizen=sara, suggestion_id=card.pk, motivation=motivation,
                                    fields=fields, today=today)
    assert error.value.messages == errors
    assert Application.all_tenants.count() == 0


def test_another_citizens_card_is_not_found(published, municipality, occupation, today):
    _place, card = published
    other = seeker(municipality, occupation, first_name="Per")
    with pytest.raises(NotFound):
        services.application_submit(actor=other.user, citizen=other, suggestion_id=card.pk, motivation="Hej",
                                    fields=[], today=today)
    assert Application.all_tenants.count() == 0


def test_the_citizen_withdraws_an_undecided_application_once(applied, sara):
    _place, application = applied
    services.application_withdraw(actor=sara.user, citizen=sara, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == "withdrawn"
    with pytest.raises(ConflictError):
        services.application_withdraw(actor=sara.user, citizen=sara, application_id=application.pk)


# --- the decision ----------------------------------------------------------------------------------------

def test_approval_puts_the_agreement_in_the_plan_and_tells_citizen_and_employer(
        applied, sara, adviser, municipality, today, django_capture_on_commit_callbacks, mailoutbox):
    place, application = applied
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(actor=adviser, municipality_id=municipality.pk, application_id=application.pk,
                                    decision="approve", today=today)
    application.refresh_from_db()
    assert (application.status, application.decided_by) == ("approved", adviser)
    item = PlanItem.all_tenants.get(pk=application.plan_item_id)
    assert (item.item_type, item.status, item.title, item.starts_on, item.due_on, item.agreed_with_job_centre,
            item.citizen_id) == ("internship", "planned", "Praktik: Tømrerhjælper hos Byggesen Tømrer ApS",
                                 place.starts_on, place.ends_on, True, sara.pk)
    assert "25 timer om ugen" in item.description
    notice = Notification.all_tenants.get(recipient=sara.user, subject_key=f"internship-application:{application.pk}:approved")
    assert notice.title == "Din praktik hos Byggesen Tømrer ApS er godkendt"
    assert [m.to for m in mailoutbox if m.subject == "Nyt om din praktikplads"] == [["bente@example.dk"]]
    assert _steps(place) == ["applied", "approved", "shown"]
    assert AccessLogEntry.all_tenants.filter(citizen_id=sara.pk, what="internships.application",
                                             action="change").count() == 1


def test_a_decline_needs_a_reason_and_nothing_is_written_without_one(applied, adviser, municipality, today, sara):
    _place, application = applied
    with pytest.raises(ValidationFailed) as error:
        services.application_decide(actor=adviser, municipality_id=municipality.pk, application_id=application.pk,
                                    decision="decline", reason="nej", today=today)
    assert error.value.messages == {"reason": ["Skriv, hvorfor ansøgningen afvises (mindst 10 tegn)."]}
    application.refresh_from_db()
    assert application.status == "applied"
    services.application_decide(actor=adviser, municipality_id=municipality.pk, application_id=application.pk,
                                decision="decline", reason="Praktikken passer ikke til din plan nu.", today=today)
    application.refresh_from_db()
    assert (application.status, application.plan_item_id) == ("declined", None)
    notice = Notification.all_tenants.get(recipient=sara.user, subject_key=f"internship-application:{application.pk}:declined")
    assert notice.body == "Praktikken passer ikke til din plan nu."


def test_only_a_caseworker_of_the_citizens_municipality_decides(applied, member, municipality, other_municipality,
                                                                today):
    _place, application = applied
    assistant = member(Role.JOB_JOURNEY_ASSISTANT, municipality)
    stranger = member(Role.JOB_ADVISER, other_municipality)
    with pytest.raises(NotFound):
        services.application_decide(actor=assistant, municipality_id=municipality.pk, application_id=application.pk,
                                    decision="approve", today=today)
    with pytest.raises(NotFound):
        services.application_decide(actor=stranger, municipality_id=other_municipality.pk,
                                    application_id=application.pk, decision="approve", today=today)
    application.refresh_from_db()
    assert application.status == "applied" and PlanItem.all_tenants.count() == 0


def test_approval_is_refused_when_the_places_are_taken_or_the_place_withdrawn(
        applied, boss, adviser, municipality, occupation, today):
    place, application = applied
    other = seeker(municipality, occupation, first_name="Per")
    services.place_offer(place_id=place.pk, today=today)
    card = Suggestion.all_tenants.get(citizen=other)
    second = services.application_submit(actor=other.user, citizen=other, suggestion_id=card.pk, motivation="Hej",
                                         fields=[], today=today)
    services.application_decide(actor=adviser, municipality_id=municipality.pk, application_id=application.pk,
                                decision="approve", today=today)
    with pytest.raises(ValidationFailed) as error:
        services.application_decide(actor=adviser, municipality_id=municipality.pk, application_id=second.pk,
                                    decision="approve", today=today)
    assert error.value.messages == {"__all__": ["Alle 1 pladser i denne praktik er besat."]}
    user, membership = boss
    services.place_withdraw(actor=user, membership=membership, place_id=place.pk)
    with pytest.raises(ValidationFailed):
        services.application_decide(actor=adviser, municipality_id=municipality.pk, application_id=second.pk,
                                    decision="approve", today=today)
    second.refresh_from_db()
    assert second.status == "applied" and PlanItem.all_tenants.count() == 1


# --- during and after ------------------------------------------------------------------------------------

@pytest.fixture
def approved(applied, adviser, municipality, today):
    place, application = applied
    services.application_decide(actor=adviser, municipality_id=municipality.pk, application_id=application.pk,
                                decision="approve", today=today)
    application.refresh_from_db()
    return place, application


def test_the_system_moves_the_plan_item_on_the_first_and_after_the_last_day_and_nudges(approved, sara):
    place, application = approved
    # before the first day nothing happens
    assert services.internships_advance(today=place.starts_on - datetime.timedelta(days=1))["started"] == 0
    # on the first day: in progress, as the system, "started", and one nudge towards jobs
    figures = services.internships_advance(today=place.starts_on)
    assert (figures["started"], figures["nudged"]) == (1, 1)
    item = PlanItem.all_tenants.get(pk=application.plan_item_id)
    assert item.status == "in_progress"
    assert PlanItemVersion.all_tenants.filter(plan_item=item).order_by("-version").first().changed_by_kind == "system"
    during = Notification.all_tenants.get(subject_key=f"internship-application:{application.pk}:during")
    assert during.title == "Job hos Byggesen Tømrer ApS og lignende job"
    # again the same day: nothing new
    assert services.internships_advance(today=place.starts_on) == {"started": 0, "completed": 0, "nudged": 0,
                                                                    "offered": 0}
    # the day after the last: done, "completed", and the "after" nudge
    figures = services.internships_advance(today=place.ends_on + datetime.timedelta(days=1))
    assert (figures["completed"], figures["nudged"]) == (1, 1)
    item.refresh_from_db()
    assert item.status == "done"
    assert Notification.all_tenants.filter(subject_key=f"internship-application:{application.pk}:after").count() == 1
    assert _steps(place) == ["applied", "approved", "completed", "shown", "started"]


def test_the_nudge_waits_while_the_citizen_is_at_the_daily_cap_of_job_notices(approved, sara, municipality):
    from jobunivers.notifications.services import notify
    from jobunivers.tenancy.models import MunicipalitySettings

    place, application = approved
    MunicipalitySettings.objects.update_or_create(municipality=municipality, defaults={"job_notices_per_day": 1})
    notify(municipality_id=municipality.pk, citizen_id=sara.pk, kind="job_match", subject_key="posting:1",
           title="Et job")
    figures = services.internships_advance(today=place.starts_on)
    assert (figures["started"], figures["nudged"]) == (1, 0)
    assert not Notification.all_tenants.filter(subject_key__endswith=":during").exists()


# --- the outcome -----------------------------------------------------------------------------------------

def test_got_the_job_by_the_employer_counts_in_the_funnel_and_in_analytics_as_the_employers_word(
        approved, boss, sara, django_capture_on_commit_callbacks):
    place, application = approved
    user, membership = boss
    services.internships_advance(today=place.starts_on)
    with django_capture_on_commit_callbacks(execute=True):
        services.outcome_by_employer(actor=user, membership=membership, place_id=place.pk,
                                     application_id=application.pk, outcome="job", today=place.ends_on)
    application.refresh_from_db()
    assert (application.outcome, application.outcome_by_kind) == ("job", "employer")
    assert _steps(place) == ["applied", "approved", "completed", "job", "shown", "started"]
    spell = UnemploymentSpell.all_tenants.get(citizen=sara)
    assert (spell.source, spell.exit_reason, spell.ended_on, spell.recorded_by_id) == (
        "employer", "job", place.ends_on, user.pk)
    with pytest.raises(ConflictError):
        services.outcome_by_employer(actor=user, membership=membership, place_id=place.pk,
                                     application_id=application.pk, outcome="no_job", today=place.ends_on)


def test_the_outcome_waits_for_the_start_and_belongs_to_the_place_s_employer(approved, boss, today):
    place, application = approved
    user, membership = boss
    with pytest.raises(ValidationFailed):
        services.outcome_by_employer(actor=user, membership=membership, place_id=place.pk,
                                     application_id=application.pk, outcome="job", today=today)
    other_user, other_membership = employer("Anden Virksomhed ApS", first_name="Ole")
    with pytest.raises(NotFound):
        services.outcome_by_employer(actor=other_user, membership=other_membership, place_id=place.pk,
                                     application_id=application.pk, outcome="job", today=place.starts_on)
    with pytest.raises(ValidationFailed):
        services.outcome_by_employer(actor=user, membership=membership, place_id=place.pk,
                                     application_id=application.pk, outcome="promoted", today=place.starts_on)
    application.refresh_from_db()
    assert application.outcome == ""


def test_got_the_job_by_the_caseworker_is_the_job_centre_s_word(approved, adviser, municipality, sara,
                                                                django_capture_on_commit_callbacks):
    place, application = approved
    with django_capture_on_commit_callbacks(execute=True):
        services.outcome_by_staff(actor=adviser, municipality_id=municipality.pk, application_id=application.pk,
                                  outcome="job", today=place.starts_on + datetime.timedelta(days=3))
    spell = UnemploymentSpell.all_tenants.get(citizen=sara)
    assert (spell.source, spell.ended_on) == ("staff", place.starts_on + datetime.timedelta(days=3))
