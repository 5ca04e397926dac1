"""The module statistics staff page (issue 20): per advice module, citizens shown it now and the steps marked
done or "not for me"; 1 to 4 shown as "< 5"; staff and administrators of the municipality only, with the
permission checked in the selector; another municipality's figures never counted."""

import html
import re

import pytest
from django.utils import timezone

from jobunivers.advice import selectors
from jobunivers.advice.models import Diagnosis, StepResponse
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.errors import NotFound
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def _diagnosed(municipality, count: int, modules: list[str]) -> list:
    citizens = [CitizenFactory(municipality=municipality) for _n in range(count)]
    for citizen in citizens:
        Diagnosis.all_tenants.create(municipality=municipality, citizen=citizen, computed_at=timezone.now(),
                                     findings=[{"module": m} for m in modules], facts={})
    return citizens


def _answer(citizens, module: str, step: str, answer: str) -> None:
    for citizen in citizens:
        StepResponse.all_tenants.create(municipality=citizen.municipality, citizen=citizen, module=module, step=step,
                                        answer=answer)


def _rows(page: str) -> dict[str, list[str]]:
    rows = {}
    for key, cells in re.findall(r'<tr data-module="([a-z_]+)">(.*?)</tr>', page, re.S):
        rows[key] = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", cells, re.S)]
    return rows


@pytest.fixture
def figures(municipality, other_municipality):
    no_cv = _diagnosed(municipality, 6, ["no_cv", "no_skills"])
    _diagnosed(municipality, 3, ["no_skills"])
    _answer(no_cv, "no_cv", "upload_cv", "done")
    _answer(no_cv[:2], "no_skills", "add_skills", "not_for_me")
    theirs = _diagnosed(other_municipality, 20, ["no_cv", "no_interviews"])
    _answer(theirs, "no_interviews", "book_conversation", "not_for_me")


@pytest.mark.parametrize("role", [Role.MUNICIPALITY_ADMIN, Role.JOB_JOURNEY_ASSISTANT, Role.JOB_ADVISER,
                                  Role.PERSONAL_CONSULTANT])
def test_staff_and_administrators_see_their_own_municipalitys_counts_with_small_ones_suppressed(
        figures, municipality, member, role):
    page = client_for(member(role, municipality)).get(murl(municipality, "advice:module_statistics"))
    assert page.status_code == 200
    rows = _rows(page.content.decode())
    assert rows["no_cv"] == ["Intet CV", "CV og profil", "6", "6", "0"]
    assert rows["no_skills"] == ["Ingen kompetencer i profilen", "Kompetencer og kurser", "9", "0", "< 5"]
    assert rows["no_interviews"] == ["Ansøgninger uden samtaler", "Jobsamtaler", "0", "0", "0"]
    assert len(rows) == 12


def test_the_page_is_in_the_staff_menu_and_refused_to_citizens(figures, municipality, member):
    page = client_for(member(Role.JOB_JOURNEY_ASSISTANT, municipality)).get(murl(municipality, "caseworker:home"))
    assert f'href="{murl(municipality, "advice:module_statistics")}"' in page.content.decode()
    citizen = CitizenFactory(municipality=municipality)
    assert client_for(citizen.user).get(murl(municipality, "advice:module_statistics")).status_code == 403


def test_the_selector_checks_the_permission(figures, municipality, other_municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    assert [f.fired for f in selectors.module_statistics(actor=admin, municipality_id=municipality.pk)
            if f.module == "no_cv"] == [6]
    citizen = CitizenFactory(municipality=municipality)
    for actor, municipality_id in ((admin, other_municipality.pk), (citizen.user, municipality.pk),
                                   (member(Role.VENDOR, None), municipality.pk)):
        with pytest.raises(NotFound):
            selectors.module_statistics(actor=actor, municipality_id=municipality_id)


def test_another_municipalitys_staff_get_404_under_this_municipality(figures, municipality, other_municipality,
                                                                     member):
    theirs = member(Role.MUNICIPALITY_ADMIN, other_municipality)
    assert client_for(theirs).get(murl(municipality, "advice:module_statistics")).status_code == 404
    own = _rows(client_for(theirs).get(murl(other_municipality, "advice:module_statistics")).content.decode())
    assert own["no_cv"][2:] == ["20", "0", "0"] and own["no_interviews"][2:] == ["20", "0", "20"]


def test_a_diagnosis_that_does_not_hold_a_list_of_findings_is_skipped(municipality, member):
    # given five diagnoses with a CV finding, one whose findings are an object, one with a finding without a module
    _diagnosed(municipality, 5, ["no_cv"])
    odd = [CitizenFactory(municipality=municipality) for _n in range(2)]
    Diagnosis.all_tenants.create(municipality=municipality, citizen=odd[0], computed_at=timezone.now(),
                                 findings={"module": "no_cv"}, facts={})
    Diagnosis.all_tenants.create(municipality=municipality, citizen=odd[1], computed_at=timezone.now(),
                                 findings=[{"step": "x"}, {"module": "no_cv"}], facts={})
    # when the figures are counted
    figures = {f.module: f.fired for f in selectors.module_statistics(
        actor=member(Role.MUNICIPALITY_ADMIN, municipality), municipality_id=municipality.pk)}
    # then the object is skipped, and of the other only the finding that names its module counts
    assert figures["no_cv"] == 6
