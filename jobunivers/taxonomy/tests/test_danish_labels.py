"""The project's Danish labels, the official Danish ESCO labels winning over them, label choice by
language and the Danish look-up (issue 13)."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from jobunivers.core.errors import ValidationFailed
from jobunivers.taxonomy import selectors
from jobunivers.taxonomy.labels import ConceptLabel, label_of
from jobunivers.taxonomy.models import IscoGroup, LabelSource, Occupation, Skill, SkillGroup
from jobunivers.taxonomy.services import (
    DANISH_LABELS,
    danish_labels_import,
    danish_titles_import,
    esco_import,
)
from jobunivers.taxonomy.tests.factories import OccupationFactory

ESCO = Path(settings.REFERENCE_DATA_DIR) / "esco"
NURSE = "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50"  # nurse responsible for general care
CARPENTER = "http://data.europa.eu/esco/occupation/2a22ff9e-de3b-408d-b312-5034896cc4f4"


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def english(tmp_path) -> Path:
    """The reference data's occupations, ISCO groups and skill groups (not its 14,000 skills: fast)."""
    folder = tmp_path / "en"
    folder.mkdir()
    for name in ("occupations.csv", "ISCOGroups.csv", "skillGroups.csv"):
        (folder / name).symlink_to(ESCO / name)
    return folder


def _official_danish(folder: Path) -> Path:
    """The official Danish download's occupations and ISCO files for the carpenter and the nurse."""
    folder.mkdir(exist_ok=True)
    _write(folder / "occupations_da.csv", ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
                                          "status", "description", "code"], [
        ["Occupation", CARPENTER, "http://data.europa.eu/esco/isco/C7115", "tømrer (officiel)", "bygningstømrer",
         "released", "Tømrere bygger.", "7115.1"],
        ["Occupation", NURSE, "http://data.europa.eu/esco/isco/C2221", "sygeplejerske (officiel)", "",
         "released", "", "2221.2"],
    ])
    _write(folder / "ISCOGroups_da.csv", ["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "description"], [
        ["ISCOGroup", "http://data.europa.eu/esco/isco/C7115", "7115", "Tømrere og snedkere (officiel)", "", ""],
    ])
    return folder


# --- the data files ----------------------------------------------------------------------------------


def test_the_danish_files_cover_every_concept_of_the_reference_data():
    # given the ESCO reference data and the project's Danish files
    def uris(path, column="ORIGINURI"):
        with path.open(encoding="utf-8-sig") as handle:
            return [row[column] for row in csv.DictReader(handle)]

    def rows(name):
        with (DANISH_LABELS / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    occupations, groups, skill_groups = rows("occupations_da.csv"), rows("isco_groups_da.csv"), rows("skill_groups_da.csv")
    # then every occupation, ISCO group and skill group has exactly one row with a Danish label
    assert sorted(r["conceptUri"] for r in occupations) == sorted(uris(ESCO / "occupations.csv"))
    assert sorted(r["conceptUri"] for r in groups) == sorted(uris(ESCO / "ISCOGroups.csv"))
    assert sorted(r["conceptUri"] for r in skill_groups) == sorted(uris(ESCO / "skillGroups.csv"))
    assert all(r["preferredLabel"].strip() for r in occupations + groups + skill_groups)
    # and no two occupations share a Danish preferred label
    labels = [r["preferredLabel"].lower() for r in occupations]
    assert len(labels) == len(set(labels)) == 3007


def test_the_danish_skill_labels_name_reference_skills_once_each():
    # given the project's Danish skill labels (the skills citizens most often name, not all 13,939)
    with (DANISH_LABELS / "skills_da.csv").open(encoding="utf-8") as handle:
        skills = list(csv.DictReader(handle))
    with (ESCO / "skills_text.csv").open(encoding="utf-8") as handle:
        reference = {row["id"] for row in csv.DictReader(handle)}
    # then each row names a reference skill, once, with a Danish label no other row has
    uris = [r["conceptUri"] for r in skills]
    assert len(uris) == len(set(uris)) == 113
    assert set(uris) <= reference
    labels = [r["preferredLabel"].strip().lower() for r in skills]
    assert all(labels) and len(labels) == len(set(labels))


# --- import ------------------------------------------------------------------------------------------


def test_import_without_official_danish_files_loads_the_projects_labels(db, english):
    # when the English reference data is imported (no official Danish file)
    report = esco_import(directory=english)
    # then every occupation, ISCO group and skill group has the project's Danish label
    assert report.danish_labels == {"occupations": 3007, "isco_groups": 619, "skill_groups": 640, "skills": 0}
    nurse = Occupation.objects.get(uri=NURSE)
    assert (nurse.preferred_label, nurse.preferred_label_da, nurse.labels_da_source) == (
        "nurse responsible for general care", "sygeplejerske", "project")
    assert "hjemmesygeplejerske" in nurse.alt_labels_da
    assert "sygeplejerske" in nurse.search_labels.split("\n")
    assert IscoGroup.objects.get(code="2221").preferred_label_da == "Sygeplejersker"
    assert not Occupation.objects.filter(preferred_label_da="").exists()
    assert not SkillGroup.objects.filter(preferred_label_da="").exists()
    # and importing them again changes nothing
    assert danish_labels_import() == {"occupations": 0, "isco_groups": 0, "skill_groups": 0, "skills": 0}


def test_skills_get_the_projects_danish_labels_and_are_found_by_them(db, tmp_path):
    # given two reference skills, one with a Danish label of the project's (operate forklift) and one without
    rows = {}
    with (ESCO / "skills_text.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["description"].startswith(("operate forklift use a forklift", "hunting truck detector")):
                rows[row["description"].split()[0]] = row
    folder = tmp_path / "skills"
    folder.mkdir()
    _write(folder / "skills_text.csv", ["id", "description"], [[r["id"], r["description"]] for r in rows.values()])
    # when they are imported
    report = esco_import(directory=folder, deprecate_missing=False)
    # then the forklift skill has its Danish label and the other stays English (marked so on a Danish page)
    assert report.danish_labels["skills"] == 1
    forklift, detector = Skill.objects.get(uri=rows["operate"]["id"]), Skill.objects.get(uri=rows["hunting"]["id"])
    assert (forklift.preferred_label_da, forklift.labels_da_source) == ("køre gaffeltruck", "project")
    assert "truckcertifikat" in forklift.alt_labels_da
    with translation.override("da"):
        assert label_of(forklift) == ConceptLabel("køre gaffeltruck", "da")
        assert label_of(detector) == ConceptLabel("hunting truck detector", "en")
        # and skill search finds the skill by its Danish names, shown once by its Danish label
        found = selectors.search_skills("truckcertifikat", semantic=False)
    assert [(m.uri, m.label, m.label_lang) for m in found] == [(forklift.uri, "køre gaffeltruck", "da")]


def test_official_danish_labels_win_over_the_projects_when_imported_later(db, english, tmp_path):
    # given the English data with the project's Danish labels
    esco_import(directory=english)
    # when the official Danish files are imported
    esco_import(directory=_official_danish(tmp_path / "da"), deprecate_missing=False)
    # then the official labels replace the project's, and the English label stays
    carpenter = Occupation.objects.get(uri=CARPENTER)
    assert (carpenter.preferred_label, carpenter.preferred_label_da, carpenter.alt_labels_da,
            carpenter.labels_da_source) == ("carpenter", "tømrer (officiel)", ["bygningstømrer"], "esco")
    assert carpenter.description.startswith("Carpenters cut")
    assert IscoGroup.objects.get(code="7115").preferred_label_da == "Tømrere og snedkere (officiel)"
    # and loading the project's labels again does not overwrite them
    danish_labels_import()
    assert Occupation.objects.get(uri=NURSE).preferred_label_da == "sygeplejerske (officiel)"
    assert Occupation.objects.get(uri=CARPENTER).labels_da_source == LabelSource.ESCO
    # while occupations without an official label keep the project's
    assert Occupation.objects.get(esco_code="7121.1").preferred_label_da == "tagdækker"


def test_official_danish_labels_win_when_imported_first(db, english, tmp_path):
    # given only the official Danish files (new concepts take the Danish label as ESCO's label too)
    esco_import(directory=_official_danish(tmp_path / "da"))
    assert Occupation.objects.get(uri=CARPENTER).preferred_label == "tømrer (officiel)"
    # when the English reference data is imported afterwards, with the project's labels
    esco_import(directory=english)
    # then the English label arrives and the official Danish label stays
    carpenter = Occupation.objects.get(uri=CARPENTER)
    assert (carpenter.preferred_label, carpenter.preferred_label_da, carpenter.labels_da_source) == (
        "carpenter", "tømrer (officiel)", "esco")


def test_a_broken_danish_labels_file_changes_nothing(db, english, tmp_path):
    # given imported occupations with the project's labels
    esco_import(directory=english)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "occupations_da.csv").write_bytes(b"conceptUri,preferredLabel\n\xff\xfe,broken\n")
    # when a broken labels file is loaded
    with pytest.raises(ValidationFailed):
        danish_labels_import(directory=broken)
    # then the labels are unchanged
    assert Occupation.objects.get(uri=NURSE).preferred_label_da == "sygeplejerske"


# --- labels by language ------------------------------------------------------------------------------


def test_label_follows_the_active_language(db):
    # given an occupation with a Danish label and one with only ESCO's English label
    nurse = OccupationFactory(preferred_label="nurse responsible for general care", preferred_label_da="sygeplejerske")
    english_only = OccupationFactory(preferred_label="membership manager", preferred_label_da="")
    # then Danish shows the Danish label, English the English one, and English-only is marked English
    with translation.override("da"):
        assert label_of(nurse) == ConceptLabel("sygeplejerske", "da")
        assert label_of(english_only) == ConceptLabel("membership manager", "en")
        assert str(label_of(english_only)) == "membership manager"
    with translation.override("en"):
        assert label_of(nurse) == ConceptLabel("nurse responsible for general care", "en")
    assert label_of(nurse, language="da").text == "sygeplejerske"


def test_template_filter_marks_labels_of_another_language(db):
    nurse = OccupationFactory(preferred_label="nurse", preferred_label_da="sygeplejerske")
    english_only = OccupationFactory(preferred_label="membership <manager>", preferred_label_da="")
    template = Template("{% load taxonomy %}{{ a|concept_label }}|{{ b|concept_label }}|{{ b|concept_label_text }}")
    with translation.override("da"):
        html = template.render(Context({"a": nurse, "b": english_only}))
    assert html == ('sygeplejerske|<span lang="en">membership &lt;manager&gt;</span>|membership &lt;manager&gt;')
    with translation.override("en"):
        assert template.render(Context({"a": nurse, "b": english_only})).startswith("nurse|membership")


def test_staff_choose_occupations_from_a_sorted_danish_list(db):
    # given occupations with Danish labels (one starting with æ) and one with only English
    OccupationFactory(preferred_label="ecologist", preferred_label_da="økolog")
    OccupationFactory(preferred_label="zoo keeper", preferred_label_da="dyrepasser i zoo")
    OccupationFactory(preferred_label="abc manager", preferred_label_da="")
    OccupationFactory(preferred_label="carpenter", preferred_label_da="Tømrer")
    # when the choices are read in Danish
    with translation.override("da"):
        choices = [(label.text, label.lang) for _, label in selectors.occupation_choices()]
    # then they are the Danish labels in Danish order (ø after z), English only marked English
    assert choices == [("abc manager", "en"), ("dyrepasser i zoo", "da"), ("Tømrer", "da"), ("økolog", "da")]


# --- look-up -------------------------------------------------------------------------------------------


EXAMPLES = [
    ("tolk", "2643", "tolk"),
    ("oversætter", "2643", "oversætter"),
    ("tagdækker", "7121", "tagdækker"),
    ("sygeplejerske", "2221", "sygeplejerske"),
    ("sosu-assistent", "5321", "social- og sundhedsassistent"),
    ("lagermedarbejder", "9333", "lagermedarbejder"),
    ("HK'er", "4110", "kontorassistent"),
    ("taxachauffør", "8322", "taxachauffør"),
    # the authorised electrical contractor is an electrician, not an electrical engineering technician
    ("elinstallatør", "7411", "elektriker"),
    ("elektrotekniker", "3113", "elektrotekniker"),
    # a Danish optiker examines eyes and prescribes lenses (ESCO's optometrist), not only dispenses them
    ("optiker", "2267", "optiker"),
    ("ejendomsservicetekniker", "5153", "ejendomsfunktionær"),
    ("flisesætter", "7122", "flisemurer"),
    ("IT-sikkerhedskonsulent", "2529", "IT-sikkerhedsingeniør"),
    ("lagerforvalter", "4321", "lagerkoordinator"),
    ("testspecialist", "2519", "softwaretester"),
    ("ungdomsvejleder", "2359", "skolevejleder"),
    # both spellings of "-maskin(e)operatør" name the same occupation
    ("papirmaskinoperatør", "8171", "papirmaskineoperatør"),
    ("papirmaskineoperatør", "8171", "papirmaskineoperatør"),
    # the deep-sea fishery worker is a "havfisker" (the generic "fisker" is the title list's, below)
    ("havfisker", "6223", "havfisker"),
    # Danish names of ESCO concepts whose English labels say so ("operations manager", "quality specialist")
    ("driftsleder", "1321", "driftschef"),
    ("kvalitetsmedarbejder", "3119", "kvalitetstekniker"),
]


def test_danish_titles_find_the_right_occupation_first(db, english):
    # given ESCO in English with the project's Danish labels
    esco_import(directory=english)
    # when Danish titles are looked up (labels only, no vectors)
    with translation.override("da"):
        firsts = [selectors.search_occupations(query, semantic=False, limit=3)[0] for query, _, _ in EXAMPLES]
    # then the right occupation comes first, shown with its Danish label
    assert [(m.isco_code, m.label, m.label_lang) for m in firsts] == [(code, label, "da") for _, code, label in EXAMPLES]
    # and with the project's Danish job titles loaded, the generic "fisker" is the list's coastal fisher
    # (no Danish label of another occupation claims it)
    danish_titles_import()
    with translation.override("da"):
        first = selectors.search_occupations("fisker", semantic=False, limit=1)[0]
    assert (first.isco_code, first.label, first.matched_label) == ("6222", "bådfører i fiskeri", "Fisker")


def test_danish_labels_rank_before_english_labels(db):
    # given a Danish label and an unrelated English label with the same word
    chef = OccupationFactory(preferred_label="chef", preferred_label_da="mesterkok", isco_code="3434")
    manager = OccupationFactory(preferred_label="kitchen manager", preferred_label_da="køkkenchef", isco_code="3434")
    # when "køkkenchef" is typed
    with translation.override("da"):
        matches = selectors.search_occupations("køkkenchef", semantic=False)
    # then the Danish label is first
    assert [m.id for m in matches][:1] == [manager.pk]
    assert chef.pk not in [m.id for m in matches][:1]


def test_a_danish_name_typed_in_full_ranks_first_whatever_the_meaning(db):
    # given the occupation whose Danish name is typed, and another that only shares a word with it
    chief = OccupationFactory(preferred_label="chief executive officer", preferred_label_da="direktør", isco_code="1120")
    OccupationFactory(preferred_label="finance director", preferred_label_da="økonomidirektør", isco_code="1211",
                      alt_labels_da=["direktør for økonomi"])
    # when the name is typed in full
    with translation.override("da"):
        matches = selectors.search_occupations("direktør", semantic=False)
    # then its occupation is first
    assert matches[0].id == chief.pk


@pytest.mark.parametrize(("accept_language", "expected"), [("da", ("sygeplejerske", "da")),
                                                            ("en", ("specialist nurse", "en"))])
def test_the_lookup_api_says_which_language_each_label_is_in(db, client, accept_language, expected):
    OccupationFactory(preferred_label="specialist nurse", preferred_label_da="sygeplejerske",
                      search_labels="specialist nurse\nsygeplejerske")
    OccupationFactory(preferred_label="membership manager", search_labels="membership manager")
    for query, answer in (("sygeplejerske", expected), ("membership manager", ("membership manager", "en"))):
        with translation.override("da"):  # the request activates its language; later tests expect Danish
            body = client.get("/api/v1/taxonomy/occupations", {"q": query, "limit": 1},
                              HTTP_ACCEPT_LANGUAGE=accept_language).json()
        assert [(m["label"], m["label_lang"]) for m in body] == [answer]


def test_the_setting_after_a_preposition_orders_but_does_not_outweigh_the_occupation(db):
    # given a cook, a restaurant manager and a bank adviser whose full Danish name has a setting in it
    cook = OccupationFactory(preferred_label="cook", preferred_label_da="kok", isco_code="5120")
    OccupationFactory(preferred_label="restaurant manager", preferred_label_da="restaurantchef", isco_code="1412")
    adviser = OccupationFactory(preferred_label="bank account manager", preferred_label_da="kunderådgiver i bank",
                                isco_code="3312")
    OccupationFactory(preferred_label="customer service representative", preferred_label_da="kunderådgiver",
                      isco_code="4225")
    # when a title names the occupation, then its setting
    # then the occupation comes first; a name typed in full, setting and all, still wins
    assert selectors.search_occupations("Kok til restaurant", semantic=False)[0].id == cook.pk
    assert selectors.search_occupations("kunderådgiver i bank", semantic=False)[0].id == adviser.pk
