import csv
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from jobunivers.core.errors import ValidationFailed
from jobunivers.taxonomy import embeddings, selectors
from jobunivers.taxonomy.models import DanishJobTitle, Embedding, IscoGroup, Occupation, Skill, SkillGroup
from jobunivers.taxonomy.services import danish_titles_import, esco_import

ESCO = Path(settings.REFERENCE_DATA_DIR) / "esco"
CARPENTER = "http://data.europa.eu/esco/occupation/2a22ff9e-de3b-408d-b312-5034896cc4f4"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def official_download(folder: Path, *, carpenter_label="tømrer", with_joiner=True) -> Path:
    """A small ESCO download in the official shape (lower-case columns, Danish labels, URIs)."""
    _write(folder / "ISCOGroups_da.csv", ["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "description"], [
        ["ISCOGroup", "http://data.europa.eu/esco/isco/C7", "7", "Håndværkere", "", ""],
        ["ISCOGroup", "http://data.europa.eu/esco/isco/C711", "711", "Bygningshåndværkere", "", ""],
        ["ISCOGroup", "http://data.europa.eu/esco/isco/C7115", "7115", "Tømrere og snedkere", "", ""],
    ])
    occupations = [["Occupation", CARPENTER, "http://data.europa.eu/esco/isco/C7115", carpenter_label,
                    "bygningstømrer\nforskallingstømrer", "released", "Tømrere bygger ...", "7115.1"]]
    if with_joiner:
        occupations.append(["Occupation", "http://data.europa.eu/esco/occupation/joiner", "http://data.europa.eu/esco/isco/C7115",
                            "bygningssnedker", "", "released", "", "7115.2"])
    _write(folder / "occupations_da.csv", ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
                                           "status", "description", "code"], occupations)
    _write(folder / "skills_da.csv", ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel",
                                      "altLabels", "status", "description"], [
        ["KnowledgeSkillCompetence", "http://data.europa.eu/esco/skill/saw", "skill/competence", "sector-specific",
         "betjene sav", "save", "released", "Bruge en sav."],
        ["KnowledgeSkillCompetence", "http://data.europa.eu/esco/skill/wood", "knowledge", "cross-sector",
         "træsorter", "", "released", ""],
    ])
    _write(folder / "skillGroups_da.csv", ["conceptType", "conceptUri", "preferredLabel", "altLabels", "description", "code"], [
        ["SkillGroup", "http://data.europa.eu/esco/skill/S6", "håndtering", "", "", "S6"],
    ])
    _write(folder / "broaderRelationsSkillPillar_da.csv", ["conceptType", "conceptUri", "broaderType", "broaderUri"], [
        ["KnowledgeSkillCompetence", "http://data.europa.eu/esco/skill/saw", "SkillGroup", "http://data.europa.eu/esco/skill/S6"],
    ])
    _write(folder / "skillSkillRelations_da.csv", ["originalSkillUri", "originalSkillType", "relationType",
                                                   "relatedSkillType", "relatedSkillUri"], [
        ["http://data.europa.eu/esco/skill/saw", "", "optional", "", "http://data.europa.eu/esco/skill/wood"],
    ])
    _write(folder / "occupationSkillRelations_da.csv", ["occupationUri", "relationType", "skillType", "skillUri"], [
        [CARPENTER, "essential", "skill/competence", "http://data.europa.eu/esco/skill/saw"],
        [CARPENTER, "optional", "knowledge", "http://data.europa.eu/esco/skill/unknown"],
    ])
    return folder


def test_official_download_imports_concepts_and_relations(db, tmp_path):
    # when the official-shape files are imported
    report = esco_import(directory=official_download(tmp_path))
    # then occupations, ISCO groups with their hierarchy, skills, groups and relations exist
    carpenter = Occupation.objects.get(uri=CARPENTER)
    assert (carpenter.preferred_label, carpenter.alt_labels, carpenter.isco_code, carpenter.esco_code) == (
        "tømrer", ["bygningstømrer", "forskallingstømrer"], "7115", "7115.1")
    assert carpenter.isco_group.parent.parent.code == "7"
    saw = Skill.objects.get(uri="http://data.europa.eu/esco/skill/saw")
    assert (saw.skill_type, saw.reuse_level, saw.alt_labels) == ("skill/competence", "sector-specific", ["save"])
    assert list(saw.groups.values_list("code", flat=True)) == ["S6"]
    assert list(saw.requires.values_list("required__preferred_label", "relation_type")) == [("træsorter", "optional")]
    assert list(carpenter.skill_relations.values_list("skill__uri", "relation_type")) == [
        ("http://data.europa.eu/esco/skill/saw", "essential")]
    assert report.counts["occupations"] == {"created": 2, "updated": 0}
    assert report.skipped == ["1 relations refer to concepts that are not in these files and were left out."]


def test_reimport_updates_in_place_and_deprecates_missing_concepts(db, tmp_path):
    # given an imported version with a joiner, and a posting-like reference to the joiner
    esco_import(directory=official_download(tmp_path / "v1" if (tmp_path / "v1").mkdir() is None else tmp_path))
    joiner_id = Occupation.objects.get(uri="http://data.europa.eu/esco/occupation/joiner").pk
    # when a newer version renames the carpenter and no longer has the joiner
    (tmp_path / "v2").mkdir()
    report = esco_import(directory=official_download(tmp_path / "v2", carpenter_label="tømrer (bygning)", with_joiner=False))
    # then the carpenter's Danish label is updated in place and the joiner is deprecated but still resolvable
    carpenter = Occupation.objects.get(uri=CARPENTER)
    assert (carpenter.preferred_label_da, carpenter.labels_da_source) == ("tømrer (bygning)", "esco")
    assert report.counts["occupations"] == {"created": 0, "updated": 1}
    assert report.deprecated["occupations"] == 1
    joiner = selectors.get_occupation_by_uri(uri="http://data.europa.eu/esco/occupation/joiner")
    assert (joiner.pk, joiner.status) == (joiner_id, "deprecated")
    # and the look-up leaves deprecated concepts out unless asked
    assert joiner_id not in [m.id for m in selectors.search_occupations("bygningssnedker", semantic=False)]
    assert [m.id for m in selectors.search_occupations("bygningssnedker", semantic=False, include_deprecated=True)][:1] == [joiner_id]


def test_broken_file_changes_nothing(db, tmp_path):
    # given an imported version and a new occupations file with a broken quote
    esco_import(directory=official_download(tmp_path))
    before = list(Occupation.objects.values_list("uri", "preferred_label", "status"))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "occupations_da.csv").write_bytes(b"conceptUri,preferredLabel\n\xff\xfe,broken\n")
    # when it is imported
    with pytest.raises(ValidationFailed):
        esco_import(directory=broken)
    # then nothing changed
    assert list(Occupation.objects.values_list("uri", "preferred_label", "status")) == before


def test_a_directory_without_esco_files_is_refused(db, tmp_path):
    with pytest.raises(ValidationFailed, match="No ESCO files were found"):
        esco_import(directory=tmp_path)


def test_shared_tabiya_files_import_in_full(db):
    # when the shared reference data (Tabiya conversion of ESCO v1.1.1) is imported
    report = esco_import(directory=ESCO)
    titles = danish_titles_import()
    # then every concept of the files is there, with the ISCO and skill-group hierarchies
    assert (IscoGroup.objects.count(), Occupation.objects.count(), SkillGroup.objects.count(), Skill.objects.count()) == (
        619, 3007, 640, 13939)
    carpenter = Occupation.objects.get(uri=CARPENTER)
    assert (carpenter.preferred_label, carpenter.isco_code, carpenter.isco_group.code) == ("carpenter", "7115", "7115")
    assert Occupation.objects.filter(broader__isnull=False).count() == 1247
    assert SkillGroup.parents.through.objects.count() == 636
    assert report.counts["occupations"]["created"] == 3007
    # and every Danish job title resolves to an ESCO occupation
    assert titles == DanishJobTitle.objects.count() == DanishJobTitle.objects.filter(occupation__isnull=False).count()
    # and a skill's display label is cut from skills_text before the description
    skill = Skill.objects.get(uri="http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab")
    assert skill.preferred_label == "manage musical staff"
    assert skill.description.startswith("Assign and manage staff tasks")


def test_import_esco_command(db, tmp_path, capsys):
    call_command("import_esco", str(official_download(tmp_path)))
    assert "occupations: 2 created, 0 updated" in capsys.readouterr().out


def test_danish_input_finds_english_occupations(db):
    # given ESCO in English with the project's Danish labels and titles (English pages)
    esco_import(directory=ESCO)
    danish_titles_import()
    # when citizens type Danish titles
    tomrer = selectors.search_occupations("tømrer", semantic=False)
    sygeplejerske = selectors.search_occupations("sygepl", semantic=False)
    # then the right ESCO occupations come first, shown with their English label on an English page
    # (the Danish preferred label is the name matched where a title of the list is the same name)
    assert (tomrer[0].label, tomrer[0].matched_label, tomrer[0].method) == ("carpenter", "tømrer", "label")
    assert (sygeplejerske[0].label, sygeplejerske[0].matched_label) == ("nurse responsible for general care", "sygeplejerske")
    # and English labels and alternative labels are found too, exact matches first
    joiner = selectors.search_occupations("joiner", semantic=False)
    assert joiner[0].method == "label"
    assert all(m.method == "label" for m in joiner)


def test_semantic_lookup_uses_cached_vectors(db, monkeypatch):
    # given three occupations with cached vectors
    from jobunivers.taxonomy.tests.factories import OccupationFactory

    OccupationFactory(preferred_label="carpenter", alt_labels=["joiner", "wood worker"], description="Carpenters cut wood.")
    OccupationFactory(preferred_label="nurse", alt_labels=["hospital nurse"], description="Nurses care for patients.")
    OccupationFactory(preferred_label="software developer", alt_labels=["programmer"], description="Developers write code.")
    assert selectors.embed_occupations() == 3
    calls = []
    real = embeddings.compute
    monkeypatch.setattr(embeddings, "compute", lambda texts, kind: calls.append((tuple(texts), kind)) or real(texts, kind=kind))
    # when a Danish word with no label match is looked up twice
    first = selectors.search_occupations("programmør til webshop", limit=1)
    second = selectors.search_occupations("programmør til webshop", limit=1)
    # then the semantic neighbour is found, and the query is embedded only once (then cached)
    assert first[0].label == "software developer"
    assert first[0].method == "semantic"
    assert second == first
    assert calls == [(("programmør til webshop",), "query")]


def test_embedding_cache_is_keyed_by_text_and_model_version(db, monkeypatch):
    vectors = selectors.embed_texts(["tømrer", "kok", "tømrer"])
    assert vectors.shape == (3, 384)
    assert np.allclose(vectors[0], vectors[2])
    assert abs(float(np.linalg.norm(vectors[1])) - 1.0) < 1e-3
    assert Embedding.objects.count() == 2
    # a new model version does not reuse old vectors
    monkeypatch.setattr(embeddings, "model_version", lambda: "other-model")
    selectors.embed_texts(["tømrer"])
    assert Embedding.objects.count() == 3


def test_places_resolve_to_points(db):
    from jobunivers.taxonomy.tests.factories import PostcodeFactory

    PostcodeFactory(code="8000", name="Aarhus C", latitude=56.15, longitude=10.2, municipality_code="0751")
    assert selectors.resolve_place("8000").label == "8000 Aarhus C"
    assert selectors.resolve_place("Banegårdspladsen 1, 8000 Aarhus C").municipality_code == "0751"
    assert selectors.resolve_place("aarhus c").postcode == "8000"
    assert selectors.resolve_place("9999") is None
    assert selectors.resolve_place("") is None


def test_skill_label_from_text_stops_where_the_first_alternative_label_begins():
    # given skills_text.csv rows, whose text runs the preferred label, alternative labels and description together
    from jobunivers.taxonomy.esco import label_from_skill_text

    texts = {
        "hunting truck detector hunting-truck detector hunting railway truck detector The hunting truck detector, which":
            "hunting truck detector",
        "teach languages teaching languages Instruct students": "teach languages",
        "install locks fitting locks lock fitting Install locks": "install locks",
        "maintain test equipment test equipment maintenance Test": "maintain test equipment",
        "manage musical staff manage staff of music Assign": "manage musical staff",
    }
    # then each label is the preferred label alone, with no word of an alternative label
    assert {text: label_from_skill_text(text)[0] for text in texts} == texts
