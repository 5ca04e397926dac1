import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.models import Municipality, MunicipalitySettings, Theme
from jobunivers.tenancy.services import municipalities_import, municipality_slug

SHARED_CSV = Path(settings.REFERENCE_DATA_DIR) / "geo" / "municipalities.csv"


def test_imports_all_98_municipalities_from_the_reference_csv(db):
    # when the command imports the shared reference file
    out = StringIO()
    call_command("import_municipalities", str(SHARED_CSV), stdout=out)
    # then every municipality exists with theme, settings and a Danish-safe slug
    assert Municipality.objects.count() == 98
    assert Theme.objects.count() == 98 and MunicipalitySettings.objects.count() == 98
    copenhagen = Municipality.objects.get(code="0101")
    assert (copenhagen.name, copenhagen.slug, copenhagen.region) == ("København", "koebenhavn", "Region Hovedstaden")
    assert copenhagen.latitude == pytest.approx(55.67574)
    assert "98 created" in out.getvalue()


def test_reimport_updates_in_place(db):
    call_command("import_municipalities", str(SHARED_CSV), stdout=StringIO())
    out = StringIO()
    call_command("import_municipalities", str(SHARED_CSV), stdout=out)
    assert Municipality.objects.count() == 98
    assert "0 created, 98 updated" in out.getvalue()


def test_imports_dawa_json(db):
    # given DAWA's /kommuner format
    text = json.dumps([
        {"kode": "0751", "navn": "Aarhus", "region": {"kode": "1082", "navn": "Region Midtjylland"},
         "visueltcenter": [10.1, 56.2]},
        {"kode": "0825", "navn": "Læsø", "region": {"navn": "Region Nordjylland"}, "visueltcenter": [11.0, 57.27]},
    ])
    # when imported
    report = municipalities_import(text=text, file_format="dawa")
    # then both exist with coordinates in the right order
    assert report.created == 2
    aarhus = Municipality.objects.get(code="0751")
    assert (aarhus.latitude, aarhus.longitude, aarhus.region) == (56.2, 10.1, "Region Midtjylland")
    assert Municipality.objects.get(code="0825").slug == "laesoe"


def test_bad_rows_are_reported_and_skipped_good_rows_imported(db):
    text = "code,name,region,lat,lon\n0101,København,Region Hovedstaden,55.6,12.5\nabc,,x,1,2\n0147,Frederiksberg,R,north,12\n"
    report = municipalities_import(text=text, file_format="csv")
    assert report.created == 1
    assert report.skipped == ["linje 3: kræver en firecifret kode og et navn", "linje 4: koordinaterne er ikke tal"]


def test_a_broken_file_changes_nothing(db, tmp_path):
    # given an existing municipality and a broken JSON file
    municipalities_import(text="code,name,region,lat,lon\n0101,København,R,55.6,12.5\n", file_format="csv")
    broken = tmp_path / "kommuner.json"
    broken.write_text('[{"kode": "0751", "navn": ', encoding="utf-8")
    # when it is imported
    with pytest.raises(CommandError, match="Filen kunne ikke læses"):
        call_command("import_municipalities", str(broken), stdout=StringIO())
    # then nothing changed
    assert list(Municipality.objects.values_list("code", flat=True)) == ["0101"]


def test_csv_without_required_columns_is_refused_with_a_clear_message(db):
    with pytest.raises(ValidationFailed, match="CSV-filen mangler kolonnerne: code"):
        municipalities_import(text="kode,name\n0101,København\n", file_format="csv")
    assert Municipality.objects.count() == 0


@pytest.mark.parametrize(("name", "slug"), [("København", "koebenhavn"), ("Ærø", "aeroe"), ("Høje-Taastrup", "hoeje-taastrup"), ("Læsø", "laesoe")])
def test_slugs_transliterate_danish_letters(name, slug):
    assert municipality_slug(name) == slug
