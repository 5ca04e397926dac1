"""Outcomes: the register import writes all or nothing, and each source keeps its own rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobunivers.analytics import services
from jobunivers.analytics.models import ExitReason, OutcomeSource, UnemploymentSpell
from jobunivers.analytics.retention import outcomes_purge
from jobunivers.audit.models import AccessLogEntry
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.errors import NotFound, ValidationFailed

from .factories import SpellFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 5)
HEADER = "citizen_id,reference,started_on,ended_on,exit_reason\n"


def _rows():
    return list(UnemploymentSpell.all_tenants.order_by("reference").values_list(
        "citizen_id", "source", "reference", "started_on", "ended_on", "exit_reason"))


def test_a_register_file_is_loaded_and_a_later_file_closes_the_spell(municipality):
    # given two citizens of the municipality and a file with an open and a closed spell
    first, second = CitizenFactory(municipality=municipality), CitizenFactory(municipality=municipality)
    text = HEADER + f"{first.pk},R1,2026-01-05,,\n{second.pk},R2,2026-02-02,2026-05-01,education\n"
    # when it is imported, and then a later extract closes the first spell
    report = services.outcomes_import(municipality_id=municipality.pk, text=text, file_format="csv", today=TODAY)
    later = services.outcomes_import(municipality_id=municipality.pk, file_format="json", today=TODAY,
                                     text=f'{{"spells": [{{"citizen_id": {first.pk}, "reference": "R1", '
                                          f'"started_on": "2026-01-05", "ended_on": "2026-06-30", "exit_reason": "job"}}]}}')
    # then the rows are the register's, and the second import updated instead of adding
    assert (report.created, report.updated, later.created, later.updated) == (2, 0, 0, 1)
    assert _rows() == [
        (first.pk, "register", "R1", datetime.date(2026, 1, 5), datetime.date(2026, 6, 30), "job"),
        (second.pk, "register", "R2", datetime.date(2026, 2, 2), datetime.date(2026, 5, 1), "education"),
    ]


def test_one_bad_row_writes_nothing_and_every_error_is_named_in_danish(municipality, other_municipality):
    # given a file with good rows, a citizen of another municipality, an unknown citizen and a bad date
    here = CitizenFactory(municipality=municipality)
    there = CitizenFactory(municipality=other_municipality)
    text = HEADER + (f"{here.pk},R1,2026-01-05,,\n{there.pk},R2,2026-01-05,,\n"
                     f"999999,R3,2026-01-05,,\n{here.pk},R4,5. januar,,\n")
    # when it is imported
    with pytest.raises(ValidationFailed) as raised:
        services.outcomes_import(municipality_id=municipality.pk, text=text, file_format="csv", today=TODAY)
    # then nothing is written and each bad line is named
    assert raised.value.messages == {"__all__": [
        "Linje 5: started_on skal være en dato som 2026-01-31",
        f"Linje 3: der er ingen borger {there.pk} i denne kommune",
        "Linje 4: der er ingen borger 999999 i denne kommune",
    ]}
    assert UnemploymentSpell.all_tenants.count() == 0


def test_a_reference_of_another_citizen_is_refused(municipality):
    # given a loaded spell of one citizen
    first, second = CitizenFactory(municipality=municipality), CitizenFactory(municipality=municipality)
    SpellFactory(citizen=first, reference="R1")
    # when a file gives the same reference to another citizen
    with pytest.raises(ValidationFailed) as raised:
        services.outcomes_import(municipality_id=municipality.pk, text=HEADER + f"{second.pk},R1,2026-01-05,,\n",
                                 file_format="csv", today=TODAY)
    # then it is refused and the first row is unchanged
    assert raised.value.messages == {"__all__": ["Linje 2: referencen R1 hører til en anden borger"]}
    assert list(UnemploymentSpell.all_tenants.values_list("citizen_id", flat=True)) == [first.pk]


def test_an_empty_or_unreadable_file_is_refused(municipality):
    for text, file_format, message in [(HEADER, "csv", "Filen indeholder ingen perioder."),
                                       ("{", "json", "Filen er ikke gyldig JSON"),
                                       ("a,b\n1,2\n", "csv", "Filen mangler kolonnerne: citizen_id, reference, started_on"),
                                       ("x", "xml", "Ukendt format xml: brug csv eller json.")]:
        with pytest.raises(ValidationFailed) as raised:
            services.outcomes_import(municipality_id=municipality.pk, text=text, file_format=file_format, today=TODAY)
        assert raised.value.messages["__all__"][0].startswith(message)
    assert UnemploymentSpell.all_tenants.count() == 0


def test_only_an_administrator_or_the_operator_imports(world):
    # given a valid file
    citizen = CitizenFactory(municipality=world.home)
    text = HEADER + f"{citizen.pk},R1,2026-01-05,,\n"
    # when a job adviser tries, then it does not exist for them
    with pytest.raises(NotFound):
        services.outcomes_import(actor=world.users["job_adviser"], municipality_id=world.home.pk, text=text,
                                 file_format="csv", today=TODAY)
    assert UnemploymentSpell.all_tenants.count() == 0
    # and the administrator may
    report = services.outcomes_import(actor=world.users["municipality_admin"], municipality_id=world.home.pk,
                                      text=text, file_format="csv", today=TODAY)
    assert report.created == 1


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.integers(min_value=0, max_value=2), st.sampled_from(["", "2026-03-01", "x"]),
                               st.sampled_from(["", "job", "other", "boss"])), min_size=1, max_size=6))
def test_any_mix_of_rows_is_all_or_nothing_in_the_database(municipality, rows):
    # given citizens and a file of rows, some good and some bad
    UnemploymentSpell.all_tenants.all().delete()
    citizens = [CitizenFactory(municipality=municipality) for _n in range(3)]
    text = HEADER + "".join(f"{citizens[c].pk},R{i},2026-01-0{1 + i % 9},{end},{reason}\n"
                            for i, (c, end, reason) in enumerate(rows))
    # when it is imported
    try:
        report = services.outcomes_import(municipality_id=municipality.pk, text=text, file_format="csv", today=TODAY)
    except ValidationFailed as error:
        # then a refused file leaves nothing behind and names lines
        assert UnemploymentSpell.all_tenants.count() == 0
        assert all(m.startswith("Linje ") for m in error.messages["__all__"])
    else:
        # or every row is there
        assert report.created == len(rows) == UnemploymentSpell.all_tenants.count()


def test_the_command_prints_the_errors_in_danish_and_writes_nothing(municipality, tmp_path):
    # given a file with an unknown exit reason
    citizen = CitizenFactory(municipality=municipality)
    path = tmp_path / "spells.csv"
    path.write_text(HEADER + f"{citizen.pk},R1,2026-01-05,2026-02-01,fired\n", encoding="utf-8")
    # when the command runs
    with pytest.raises(CommandError) as raised:
        call_command("import_outcomes", str(path), municipality=municipality.slug)
    # then it says what is wrong, in Danish, and nothing is written
    assert str(raised.value) == ("Intet blev indlæst. Ret filen:\n"
                                 "Linje 2: exit_reason har den ukendte værdi fired (brug job, education eller other)")
    assert UnemploymentSpell.all_tenants.count() == 0


def test_the_command_loads_a_json_file(municipality, tmp_path, capsys):
    citizen = CitizenFactory(municipality=municipality)
    path = tmp_path / "spells.json"
    path.write_text(f'[{{"citizen_id": "{citizen.pk}", "reference": "R1", "started_on": "2026-01-05"}}]',
                    encoding="utf-8")
    call_command("import_outcomes", str(path), municipality=municipality.code)
    assert capsys.readouterr().out == "Indlæst: 1 nye perioder, 0 opdateret.\n"
    assert _rows()[0][:4] == (citizen.pk, "register", "R1", datetime.date(2026, 1, 5))


def test_the_citizen_reports_a_job_beside_the_registers_row(municipality):
    # given a citizen registered on 5 January with a register spell
    citizen = CitizenFactory(municipality=municipality, registered_on=datetime.date(2026, 1, 5))
    SpellFactory(citizen=citizen, reference="R1")
    # when the citizen says they start in a job on 1 March, and then corrects it to 15 March
    services.own_job_report(actor=citizen.user, citizen=citizen, started_job_on=datetime.date(2026, 3, 1), today=TODAY)
    services.own_job_report(actor=citizen.user, citizen=citizen, started_job_on=datetime.date(2026, 3, 15), today=TODAY)
    # then the register's row is untouched and the citizen's own row says job from 15 March
    assert _rows() == [
        (citizen.pk, "citizen", "", datetime.date(2026, 1, 5), datetime.date(2026, 3, 15), "job"),
        (citizen.pk, "register", "R1", datetime.date(2026, 1, 5), None, ""),
    ]


def test_a_job_before_registration_or_far_ahead_is_refused(municipality):
    citizen = CitizenFactory(municipality=municipality, registered_on=datetime.date(2026, 1, 5))
    for day, message in [(datetime.date(2026, 1, 4), "Datoen ligger før du blev tilmeldt som ledig (05.01.2026)."),
                         (TODAY + datetime.timedelta(days=93), "Datoen kan højst ligge tre måneder frem.")]:
        with pytest.raises(ValidationFailed) as raised:
            services.own_job_report(actor=citizen.user, citizen=citizen, started_job_on=day, today=TODAY)
        assert raised.value.messages == {"started_job_on": [message]}
    assert UnemploymentSpell.all_tenants.count() == 0


def test_staff_record_a_spell_labelled_as_theirs_and_it_is_access_logged(municipality, member):
    # given an adviser and a citizen
    adviser = member("job_adviser", municipality)
    citizen = CitizenFactory(municipality=municipality)
    # when the adviser records a spell that ended with a job
    services.staff_spell_record(actor=adviser, citizen=citizen, started_on=datetime.date(2026, 2, 1),
                                ended_on=datetime.date(2026, 4, 1), exit_reason=ExitReason.JOB, today=TODAY)
    # then it is the job centre's row, and the change is in the access log
    assert _rows() == [(citizen.pk, "staff", "", datetime.date(2026, 2, 1), datetime.date(2026, 4, 1), "job")]
    assert UnemploymentSpell.all_tenants.get().recorded_by == adviser
    assert list(AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk).values_list("action", "what")) == [
        ("change", "unemployment spells")]


def test_staff_input_that_contradicts_itself_writes_nothing(municipality, member):
    adviser = member("job_adviser", municipality)
    citizen = CitizenFactory(municipality=municipality)
    cases = [
        (None, None, "", {"started_on": ["Skriv den dag ledigheden begyndte."]}),
        (datetime.date(2026, 3, 1), datetime.date(2026, 2, 1), "job", {"ended_on": ["Slutningen ligger før starten."]}),
        (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1), "", {"exit_reason": ["Vælg hvorfor ledigheden sluttede."]}),
        (datetime.date(2026, 3, 1), None, "job",
         {"ended_on": ["Skriv den dag ledigheden sluttede, eller lad årsagen stå tom."]}),
        (TODAY + datetime.timedelta(days=1), None, "", {"started_on": ["Starten kan ikke ligge i fremtiden."]}),
    ]
    for started, ended, reason, expected in cases:
        with pytest.raises(ValidationFailed) as raised:
            services.staff_spell_record(actor=adviser, citizen=citizen, started_on=started, ended_on=ended,
                                        exit_reason=reason, today=TODAY)
        assert raised.value.messages == expected
    assert UnemploymentSpell.all_tenants.count() == 0
    assert AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk).count() == 0


def test_staff_of_another_municipality_and_citizens_cannot_record(municipality, other_municipality, member):
    citizen = CitizenFactory(municipality=municipality)
    for actor in (member("job_adviser", other_municipality), citizen.user, member("municipality_admin", municipality)):
        with pytest.raises(NotFound):
            services.staff_spell_record(actor=actor, citizen=citizen, started_on=datetime.date(2026, 2, 1),
                                        ended_on=None, exit_reason="", today=TODAY)
    assert UnemploymentSpell.all_tenants.count() == 0


def test_the_citizen_withdraws_only_their_own_report(municipality):
    citizen = CitizenFactory(municipality=municipality, registered_on=datetime.date(2026, 1, 5))
    register_row = SpellFactory(citizen=citizen)
    own = services.own_job_report(actor=citizen.user, citizen=citizen, started_job_on=TODAY, today=TODAY)
    with pytest.raises(NotFound):
        services.own_job_report_withdraw(actor=citizen.user, citizen=citizen, spell_id=register_row.pk)
    services.own_job_report_withdraw(actor=citizen.user, citizen=citizen, spell_id=own.pk)
    assert list(UnemploymentSpell.all_tenants.values_list("pk", flat=True)) == [register_row.pk]


def test_retention_deletes_spells_ended_before_the_period_and_keeps_open_ones(municipality, other_municipality):
    # given spells ended 400 and 300 days ago, an open one from long ago, and one in another municipality
    here = CitizenFactory(municipality=municipality)
    old = SpellFactory(citizen=here, started_on=TODAY - datetime.timedelta(days=500),
                       ended_on=TODAY - datetime.timedelta(days=400), exit_reason="job")
    recent = SpellFactory(citizen=here, started_on=TODAY - datetime.timedelta(days=350),
                          ended_on=TODAY - datetime.timedelta(days=300), exit_reason="job")
    still_open = SpellFactory(citizen=here, started_on=TODAY - datetime.timedelta(days=2000))
    elsewhere = SpellFactory(citizen=CitizenFactory(municipality=other_municipality),
                             started_on=TODAY - datetime.timedelta(days=500),
                             ended_on=TODAY - datetime.timedelta(days=400), exit_reason="job")
    # when the purge runs with a 365-day period, twice
    first = outcomes_purge(municipality_id=municipality.pk, retention_days=365, today=TODAY)
    second = outcomes_purge(municipality_id=municipality.pk, retention_days=365, today=TODAY)
    # then only the old ended spell of this municipality is gone
    assert (first, second) == (1, 0)
    assert set(UnemploymentSpell.all_tenants.values_list("pk", flat=True)) == {recent.pk, still_open.pk, elsewhere.pk}
    assert not UnemploymentSpell.all_tenants.filter(pk=old.pk).exists()


def test_the_citizen_sees_and_erases_their_spells_in_my_data(municipality):
    from jobunivers.audit.services import personal_data_export

    citizen = CitizenFactory(municipality=municipality)
    SpellFactory(citizen=citizen, reference="R9", ended_on=datetime.date(2026, 3, 1), exit_reason="job")
    # when the citizen exports their data
    sections = [s for s in personal_data_export(user=citizen.user)["sections"]
                if s["source"] == "analytics.unemploymentspell"]
    # then the spell is there with its source
    assert [s["records"] for s in sections] == [[{"source": OutcomeSource.REGISTER, "started_on": "2026-01-05",
                                                 "ended_on": "2026-03-01", "exit_reason": "job", "reference": "R9",
                                                 "job_occupation": ""}]]
    # and erasure removes it
    from jobunivers.audit.privacy import registrations

    for registration in registrations():
        if registration.model_label == "analytics.unemploymentspell":
            registration.erase(citizen.user)
    assert UnemploymentSpell.all_tenants.count() == 0
