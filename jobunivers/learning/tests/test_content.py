"""The national library's data files and the loader: every module is real and complete, bad files are
refused with a message naming the problem, and a second load changes nothing."""

import copy
import datetime

import pytest

from jobunivers.learning.content import ModuleFileError, load_modules, parse_module
from jobunivers.learning.models import Lesson, LessonProgress, Module, Question
from jobunivers.learning.services import enrol, modules_import, quiz_answer
from jobunivers.learning.tests.helpers import citizen_of, lesson, make_module, module_data, right_answers

REQUIRED_TOPICS = {"cv", "ansoegning", "linkedin-og-netvaerk", "ring-uopfordret", "jobsamtalen", "foerste-dag-i-job",
                   "rettigheder-og-pligter", "digitale-basisfaerdigheder", "jobsoegningsstrategi", "joblog"}
# Law texts and authorities named in docs/rules-sources.md (the only sources a rule may cite).
RULE_SOURCE_HOSTS = ("retsinformation.dk", "star.dk", "foa.dk", "krifa.dk", "ft.dk", "borger.dk", "a-kasser.dk")


def test_the_national_library_has_the_ten_modules_in_danish_with_sources():
    # when the data files are read
    modules = load_modules()
    # then the ten topics are there, each with lessons of at most 12 minutes and a quiz in every lesson
    assert {m.key for m in modules} == REQUIRED_TOPICS
    for module in modules:
        assert module.sources, module.key
        assert len(module.lessons) >= 2, module.key
        for item in module.lessons:
            assert 1 <= item.minutes <= 12
            assert len(item.questions) >= 2, (module.key, item.key)
            assert len(item.body_da) >= 400, (module.key, item.key)


def test_modules_that_state_rules_cite_the_law_and_an_allowed_source():
    modules = {m.key: m for m in load_modules()}
    for key in ("rettigheder-og-pligter", "joblog"):
        module = modules[key]
        assert any("LBK nr. 1077 af 28/8 2025" in ref for ref in module.legal_refs)
        hosts = [s["url"].split("/")[2] for s in module.sources]
        assert all(any(host.endswith(allowed) for allowed in RULE_SOURCE_HOSTS) for host in hosts), hosts


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["lesson"][0].update(minutes=13), "minutes must be a whole number from 1 to 12"),
    (lambda d: d["lesson"][0]["question"][0].update(correct=3), "correct must be the index"),
    (lambda d: d["module"].update(sources=[{"title": "x", "url": "http://example.org/"}]), "https://"),
    (lambda d: d["module"].update(key="Ikke Gyldig"), "key must be lower case"),
    (lambda d: d["lesson"][0].update(question=[]), "1 to 5 quiz questions"),
    (lambda d: d["lesson"].append(copy.deepcopy(d["lesson"][0])), "two lessons have the same key"),
    (lambda d: d["module"].update(last_reviewed="i går"), "last_reviewed must be a date"),
    (lambda d: d["lesson"][0].update(body_da=""), "body_da must be a non-empty text"),
])
def test_a_bad_module_file_is_refused_with_what_is_wrong(change, message):
    # given a module with one thing wrong
    data = module_data()
    change(data)
    # when it is parsed, then the error names the problem
    with pytest.raises(ModuleFileError, match=message):
        parse_module(data, where="proeve.toml")


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_a_missing_module_is_withdrawn():
    # given the national library loaded once
    first = modules_import(modules=load_modules())
    counts = (Module.objects.count(), Lesson.objects.count(), Question.objects.count())
    # when it is loaded again, and then without the CV module
    second = modules_import(modules=load_modules())
    third = modules_import(modules=[m for m in load_modules() if m.key != "cv"])
    # then nothing was duplicated, and the CV module is withdrawn (not deleted)
    assert first == {"created": 10, "updated": 0, "withdrawn": 0}
    assert second == {"created": 0, "updated": 10, "withdrawn": 0}
    assert third == {"created": 0, "updated": 9, "withdrawn": 1}
    assert (Module.objects.count(), Lesson.objects.count(), Question.objects.count()) == counts
    assert Module.objects.get(key="cv").status == "withdrawn"


@pytest.mark.django_db
def test_reloading_keeps_a_citizens_progress_in_a_lesson_whose_key_stays(municipality):
    # given a citizen who passed the first lesson
    module = make_module()
    citizen = citizen_of(municipality)
    enrolment = enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    first = module.lessons.get(key="en")
    quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=first.pk, answers=right_answers(first))
    # when the module is loaded again with a new lesson first and the old ones after it
    make_module(lessons=[lesson("nul"), lesson("en", title="Lektion en, ny udgave"), lesson("to")])
    # then the lesson kept its row and the progress; positions follow the file
    first.refresh_from_db()
    assert (first.position, first.title_da) == (2, "Lektion en, ny udgave")
    assert LessonProgress.all_tenants.get(enrolment=enrolment).lesson_id == first.pk
    assert list(module.lessons.order_by("position").values_list("key", flat=True)) == ["nul", "en", "to"]


@pytest.mark.django_db
def test_a_municipalitys_own_module_may_reuse_a_national_key(municipality):
    national = make_module("cv-ekstra", title="National")
    local = make_module("cv-ekstra", municipality=municipality, title="Lokal")
    assert national.pk != local.pk
    assert (national.owner_municipality_id, local.owner_municipality_id) == (None, municipality.pk)


@pytest.mark.django_db
def test_the_import_command_loads_a_municipalitys_own_module_file(municipality, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "lokal.toml"
    path.write_text('[module]\nkey = "aarhus-jobcafe"\ntitle_da = "Jobcaféen i Aarhus"\ntitle_en = "Job café"\n'
                    'summary_da = "Sådan bruger du jobcaféen."\nsummary_en = "Using the job café."\n'
                    'last_reviewed = 2026-12-01\nowner = "Jobcenter Aarhus"\n'
                    'sources = [{title = "Aarhus Kommune", url = "https://www.aarhus.dk/"}]\n\n'
                    '[[lesson]]\nkey = "aabningstider"\ntitle_da = "Åbningstider"\ntitle_en = "Opening hours"\n'
                    'minutes = 3\nbody_da = "Jobcaféen har åbent hver tirsdag."\n\n[[lesson.question]]\n'
                    'text_da = "Hvornår har jobcaféen åbent?"\nchoices_da = ["Tirsdag", "Søndag"]\ncorrect = 0\n'
                    'explanation_da = "Hver tirsdag."\n', encoding="utf-8")
    call_command("learning_import", str(path), municipality=municipality.slug)
    module = Module.objects.get(key="aarhus-jobcafe")
    assert (module.owner_municipality_id, module.lessons.count()) == (municipality.pk, 1)
    assert module.last_reviewed == datetime.date(2026, 12, 1)


@pytest.mark.django_db
def test_the_import_command_refuses_a_bad_file_and_writes_nothing(municipality, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "lokal.toml"
    path.write_text('[module]\nkey = "x"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="lokal.toml: last_reviewed must be a date"):
        call_command("learning_import", str(path), municipality=municipality.slug)
    assert Module.objects.count() == 0
