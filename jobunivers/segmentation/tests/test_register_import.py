"""Register data import: all or nothing, errors by line, translated."""

import pytest
from django.core.management import CommandError, call_command

from jobunivers.core.errors import ValidationFailed
from jobunivers.segmentation.models import RegisterData
from jobunivers.segmentation.services import REGISTER_COLUMNS, register_data_import
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db

HEADER = ",".join(REGISTER_COLUMNS)


def _row(citizen_id, **overrides):
    values = {"citizen_id": citizen_id, "age_band": "30-39", "education_level": "vocational",
              "unemployment_weeks_last_3_years": "10", "unemployment_spells_last_3_years": "1",
              "benefit_type": "dagpenge", "weeks_since_last_job": "", "previous_isco": "7115",
              "origin": "", "registered_on": "2026-09-01", "outcome": "", "outcome_on": ""}
    values.update(overrides)
    return ",".join(str(values[c]) for c in REGISTER_COLUMNS)


def test_import_creates_and_updates(municipality, member):
    citizen = member(Role.CITIZEN, municipality).citizen
    report = register_data_import(municipality_id=municipality.pk, text=f"{HEADER}\n{_row(citizen.pk)}\n")
    assert (report.created, report.updated) == (1, 0)
    report = register_data_import(municipality_id=municipality.pk,
                                  text=f"{HEADER}\n{_row(citizen.pk, outcome='job', outcome_on='2026-10-01')}\n")
    assert (report.created, report.updated) == (0, 1)
    stored = RegisterData.all_tenants.get(citizen=citizen)
    assert (stored.weeks_since_last_job, stored.outcome, str(stored.outcome_on)) == (None, "job", "2026-10-01")


def test_one_bad_line_writes_nothing_and_names_every_error(municipality, other_municipality, member):
    good = member(Role.CITIZEN, municipality).citizen
    foreign = member(Role.CITIZEN, other_municipality).citizen
    text = "\n".join([HEADER, _row(good.pk), _row(foreign.pk), _row(good.pk, benefit_type="løn",
                                                                  registered_on="1/9")])
    with pytest.raises(ValidationFailed) as error:
        register_data_import(municipality_id=municipality.pk, text=text)
    messages = error.value.messages["__all__"]
    assert messages[0] == f"Linje 3: der er ingen borger {foreign.pk} i denne kommune"
    assert "Linje 4: benefit_type har den ukendte værdi løn" in messages
    assert "Linje 4: registered_on skal være en dato som 2026-01-31" in messages
    assert RegisterData.all_tenants.count() == 0


def test_the_command_reports_a_missing_column(municipality, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("citizen_id\n1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Filen mangler kolonnerne"):
        call_command("segmentation_import_register", "--municipality", municipality.slug, str(path))
