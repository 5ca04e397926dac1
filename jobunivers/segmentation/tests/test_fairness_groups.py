"""Groups a municipality registers for the fairness figures (issue 21): only its administrator,
only in its own municipality, measured in the monthly review of its decided cases."""

import datetime

import numpy as np
import pytest

from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.segmentation import services
from jobunivers.segmentation.models import FairnessGroup, FairnessReview, RegisterData, RiskModelVersion
from jobunivers.segmentation.tests.factories import decision, register_data, suggestion
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def test_an_administrator_registers_a_group(municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    group = services.fairness_group_register(actor=admin, municipality_id=municipality.pk, key=" District ",
                                             name_da="Bydel", name_en="District")
    assert (group.key, group.name_da, group.municipality_id) == ("district", "Bydel", municipality.pk)


@pytest.mark.parametrize("role", [Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT, Role.CITIZEN])
def test_only_the_administrator_registers_groups(municipality, member, role):
    with pytest.raises(NotFound):
        services.fairness_group_register(actor=member(role, municipality), municipality_id=municipality.pk,
                                         key="district", name_da="Bydel")
    assert FairnessGroup.all_tenants.count() == 0


def test_an_administrator_cannot_register_or_remove_in_another_municipality(municipality, other_municipality,
                                                                           member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    other_admin = member(Role.MUNICIPALITY_ADMIN, other_municipality)
    with pytest.raises(NotFound):
        services.fairness_group_register(actor=admin, municipality_id=other_municipality.pk, key="district",
                                         name_da="Bydel")
    theirs = services.fairness_group_register(actor=other_admin, municipality_id=other_municipality.pk,
                                              key="district", name_da="Bydel")
    with pytest.raises(NotFound):
        services.fairness_group_remove(actor=admin, group_id=theirs.pk)
    assert FairnessGroup.all_tenants.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(("key", "name", "field"), [
    ("1district", "Bydel", "key"), ("d", "Bydel", "key"), ("bydel-nord", "Bydel", "key"),
    ("origin", "Herkomst", "key"), ("district", "", "name_da"), ("district", "x" * 81, "name_da"),
])
def test_bad_input_is_refused_with_a_clear_error_and_nothing_written(municipality, member, key, name, field):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    with pytest.raises(ValidationFailed) as refused:
        services.fairness_group_register(actor=admin, municipality_id=municipality.pk, key=key, name_da=name)
    assert field in refused.value.messages
    assert FairnessGroup.all_tenants.count() == 0


def test_the_same_key_twice_is_refused(municipality, other_municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    services.fairness_group_register(actor=admin, municipality_id=municipality.pk, key="district", name_da="Bydel")
    with pytest.raises(ValidationFailed, match="allerede en gruppe district"):
        services.fairness_group_register(actor=admin, municipality_id=municipality.pk, key="district", name_da="Bydel")
    # another municipality may use the same key
    other_admin = member(Role.MUNICIPALITY_ADMIN, other_municipality)
    services.fairness_group_register(actor=other_admin, municipality_id=other_municipality.pk, key="district",
                                     name_da="Bydel")


def test_the_page_lists_adds_and_removes_only_the_municipalitys_own_groups(municipality, other_municipality,
                                                                           member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    other_admin = member(Role.MUNICIPALITY_ADMIN, other_municipality)
    theirs = services.fairness_group_register(actor=other_admin, municipality_id=other_municipality.pk,
                                              key="handicap_flag", name_da="MARKER-B-GRUPPE")
    client = client_for(admin)
    url = murl(municipality, "segmentation:fairness_groups")
    # when the administrator adds a group on the page (Danish)
    response = client.post(url, {"key": "district", "name_da": "Bydel", "name_en": "District"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Grupper i retfærdighedstallene" in html and 'data-testid="group-district"' in html
    assert "MARKER-B-GRUPPE" not in html
    # bad input: the error in Danish, status 400, nothing written
    bad = client.post(url, {"key": "1", "name_da": ""})
    assert bad.status_code == 400 and "Giv gruppen et dansk navn." in bad.content.decode()
    assert FairnessGroup.all_tenants.filter(municipality=municipality).count() == 1
    # removing another municipality's group by its id is not found, and it stays
    assert client.post(url, {"remove": theirs.pk}).status_code == 404
    assert FairnessGroup.all_tenants.filter(pk=theirs.pk).exists()
    own = FairnessGroup.all_tenants.get(municipality=municipality)
    assert client.post(url, {"remove": own.pk}).status_code == 302
    assert not FairnessGroup.all_tenants.filter(municipality=municipality).exists()
    # staff other than the administrator do not get the page
    assert client_for(member(Role.JOB_ADVISER, municipality)).get(url).status_code == 403


def test_register_import_takes_the_values_of_registered_groups(municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    services.fairness_group_register(actor=admin, municipality_id=municipality.pk, key="district", name_da="Bydel")
    citizen = member(Role.CITIZEN, municipality).citizen
    text = ("citizen_id,age_band,education_level,unemployment_weeks_last_3_years,unemployment_spells_last_3_years,"
            "benefit_type,weeks_since_last_job,previous_isco,origin,registered_on,outcome,outcome_on,district,other\n"
            f"{citizen.pk},30-39,vocational,10,1,dagpenge,4,7000,danish,2026-01-05,,,Nord,ignored\n")
    services.register_data_import(municipality_id=municipality.pk, text=text)
    assert RegisterData.all_tenants.get(citizen=citizen).groups == {"district": "Nord"}


def test_the_municipal_review_breaks_the_rates_down_by_the_registered_group(municipality, other_municipality,
                                                                            member):
    # given an active model, a group "district" in the municipality, and 60 decided cases with a known outcome
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    services.fairness_group_register(actor=admin, municipality_id=municipality.pk, key="district", name_da="Bydel",
                                     name_en="District")
    version = RiskModelVersion.objects.create(version=1, status="active", model_card={}, artifact=b"x",
                                              artifact_sha256="0", is_synthetic=True)
    adviser = member(Role.JOB_ADVISER, municipality)
    today = datetime.date(2026, 11, 1)
    rng = np.random.default_rng(0)
    for index in range(60):
        citizen = member(Role.CITIZEN, municipality).citizen
        registered = today - datetime.timedelta(weeks=40)
        left = registered + datetime.timedelta(weeks=8) if index < 40 else None
        register_data(citizen, registered_on=registered, outcome="job" if left else "", outcome_on=left,
                      groups={"district": "Nord" if index % 2 else "Syd"})
        made = suggestion(citizen, risk_score=round(float(rng.random()), 3), model_version=version,
                          inputs={"register": {}, "answers": None})
        decision(made, by=adviser)
    # and a case in another municipality with the same key, which has not registered it
    other = member(Role.CITIZEN, other_municipality).citizen
    register_data(other, registered_on=today - datetime.timedelta(weeks=40), groups={"district": "Nord"})
    decision(suggestion(other, risk_score=0.5, model_version=version), by=member(Role.JOB_ADVISER, other_municipality))
    # when the monthly review runs
    services.fairness_review_run(today=today)
    # then the municipality's review has the group, with each value's size; the other's and the national do not
    own = FairnessReview.objects.get(municipality=municipality)
    groups = own.report["medium"]["fairness"]["district"]["groups"]
    assert (groups["Nord"]["n"], groups["Syd"]["n"]) == (30, 30)
    assert "district" not in FairnessReview.objects.get(municipality=other_municipality).report["medium"]["fairness"]
    assert "district" not in FairnessReview.objects.get(municipality=None).report["medium"]["fairness"]
    # and the public register names the group in the municipality's own words
    html = client_for(admin).get(f"/{municipality.slug}/algoritmer/").content.decode()
    assert "<td>Bydel</td>" in html
