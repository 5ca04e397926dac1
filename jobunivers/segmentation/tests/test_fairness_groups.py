"""Groups a municipality registers for the fairness figures (issue 21): only its administrator,
only in its own municipality, measured in the monthly review of its decided cases."""

import datetime
import re

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


# --- Groups defined by the platform's own attributes ------------------------------------------

OVER_50_WEST = {"postcode_from": "8210", "postcode_to": "8220", "age_bands": ["50-54", "55-59", "60+"]}


def test_an_administrator_defines_a_group_by_postcode_range_and_age_bands(municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    group = services.fairness_group_register(
        actor=admin, municipality_id=municipality.pk, key="over50_vest", name_da="Ledige over 50 i Vest",
        postcode_from="8210", postcode_to="8220", age_bands=["60+", "50-54", "55-59"],
        benefit_types=["kontanthjaelp"], education_levels=[])
    group.refresh_from_db()
    assert group.is_defined is True
    assert group.definition() == {"postcode_from": 8210, "postcode_to": 8220, "age_bands": ["50-54", "55-59", "60+"],
                                  "benefit_types": ["kontanthjaelp"], "education_levels": []}
    assert group.contains(postcode="8215", age_band="55-59", benefit_type="kontanthjaelp", education_level="")
    assert not group.contains(postcode="8230", age_band="55-59", benefit_type="kontanthjaelp", education_level="")
    assert not group.contains(postcode="8215", age_band="40-49", benefit_type="kontanthjaelp", education_level="")
    assert not group.contains(postcode="8215", age_band="55-59", benefit_type="dagpenge", education_level="")
    assert not group.contains(postcode=None, age_band="55-59", benefit_type="kontanthjaelp", education_level="")


@pytest.mark.parametrize(("definition", "field", "message"), [
    ({"postcode_from": "8210"}, "postcode_from", "Angiv både det første og det sidste postnummer i intervallet."),
    ({"postcode_from": "821", "postcode_to": "8220"}, "postcode_from", "Et postnummer er fire cifre, fx 8210."),
    ({"postcode_from": "82a0", "postcode_to": "8220"}, "postcode_from", "Et postnummer er fire cifre, fx 8210."),
    ({"postcode_from": "8220", "postcode_to": "8210"}, "postcode_from",
     "Det første postnummer må ikke ligge efter det sidste."),
    ({"age_bands": ["50+"]}, "age_bands", "Ukendt aldersgruppe: 50+."),
    ({"benefit_types": ["pension"]}, "benefit_types", "Ukendt ydelsestype: pension."),
    ({"education_levels": ["phd"]}, "education_levels", "Ukendt uddannelsesniveau: phd."),
    # a protected attribute is not among the attributes a group may be defined by
    ({"gender": ["female"]}, None, None),
])
def test_a_bad_definition_is_refused_in_danish_and_nothing_written(municipality, member, definition, field, message):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    if field is None:
        with pytest.raises(TypeError):
            services.fairness_group_register(actor=admin, municipality_id=municipality.pk, key="over50",
                                             name_da="Over 50", **definition)
    else:
        with pytest.raises(ValidationFailed) as refused:
            services.fairness_group_register(actor=admin, municipality_id=municipality.pk, key="over50",
                                             name_da="Over 50", **definition)
        assert refused.value.messages[field] == [message]
    assert FairnessGroup.all_tenants.count() == 0


def test_the_page_adds_a_defined_group_and_refuses_a_bad_one_in_danish(municipality, other_municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    client = client_for(admin)
    url = murl(municipality, "segmentation:fairness_groups")
    page = client.get(url).content.decode()
    assert 'data-testid="group-definition"' in page and 'name="age_bands" value="60+"' in page
    assert 'name="gender"' not in page and 'name="origin"' not in page
    # bad input: Danish error, status 400, the choices kept, nothing written
    bad = client.post(url, {"key": "over50_vest", "name_da": "Over 50 i Vest", "postcode_from": "8220",
                            "postcode_to": "8210", "age_bands": ["55-59"]})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Det første postnummer må ikke ligge efter det sidste." in html
    assert re.search(r'<input[^>]*value="55-59"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="60\+"[^>]*checked', html)
    assert FairnessGroup.all_tenants.count() == 0
    # a good one is stored for this municipality only and listed with its definition
    response = client.post(url, {"key": "over50_vest", "name_da": "Over 50 i Vest", **OVER_50_WEST})
    assert response.status_code == 302
    group = FairnessGroup.all_tenants.get()
    assert (group.municipality_id, group.postcode_from, group.postcode_to, group.age_bands) == (
        municipality.pk, 8210, 8220, ["50-54", "55-59", "60+"])
    listed = client.get(url).content.decode()
    assert "defineret ved postnumre 8210-8220; aldersgrupper: 50-54 år, 55-59 år, 60 år eller derover" in listed
    # the other municipality's administrator neither sees nor removes it
    other_client = client_for(member(Role.MUNICIPALITY_ADMIN, other_municipality))
    assert "Over 50 i Vest" not in other_client.get(murl(other_municipality, "segmentation:fairness_groups")
                                                    ).content.decode()
    assert other_client.post(murl(other_municipality, "segmentation:fairness_groups"),
                             {"remove": group.pk}).status_code == 404
    assert FairnessGroup.all_tenants.filter(pk=group.pk).exists()


def _postcode(code):
    from jobunivers.taxonomy.models import Postcode

    return Postcode.objects.get_or_create(code=code, defaults={"name": f"By {code}", "latitude": 56.15,
                                                               "longitude": 10.2, "municipality_code": "0751"})[0]


def test_the_municipal_review_compares_a_defined_group_with_the_rest(municipality, other_municipality, member,
                                                                     client):
    # given an active model, a group "over 50 in 8210-8220" in the municipality and 60 decided cases
    # with a known outcome: 20 are over 50 and live in 8210, 20 are over 50 in 8000, 20 are 30-39 in 8210
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    services.fairness_group_register(actor=admin, municipality_id=municipality.pk, key="over50_vest",
                                     name_da="Over 50 i Vest", name_en="Over 50 in the west", **OVER_50_WEST)
    # and the other municipality has a group of its own that must not reach this one
    services.fairness_group_register(actor=member(Role.MUNICIPALITY_ADMIN, other_municipality),
                                     municipality_id=other_municipality.pk, key="kontant",
                                     name_da="MARKER-B-DEFINERET", benefit_types=["kontanthjaelp"])
    version = RiskModelVersion.objects.create(version=1, status="active", model_card={}, artifact=b"x",
                                              artifact_sha256="0", is_synthetic=True)
    adviser = member(Role.JOB_ADVISER, municipality)
    today = datetime.date(2026, 11, 1)
    registered = today - datetime.timedelta(weeks=40)
    for index in range(60):
        citizen = member(Role.CITIZEN, municipality).citizen
        citizen.postcode = _postcode("8000" if 20 <= index < 40 else "8210")
        citizen.save(update_fields=["postcode"])
        left = registered + datetime.timedelta(weeks=8) if index % 3 else None  # 40 left unemployment
        register_data(citizen, registered_on=registered, outcome="job" if left else "", outcome_on=left,
                      age_band="55-59" if index < 40 else "30-39")
        # everyone in the group is flagged at 0.6, nobody else
        decision(suggestion(citizen, risk_score=0.7 if index < 20 else 0.2, model_version=version,
                            inputs={"register": {}, "answers": None}), by=adviser)
    # when the monthly review runs
    services.fairness_review_run(today=today)
    # then the municipality's review has the group against the rest, with sizes and rates
    result = FairnessReview.objects.get(municipality=municipality).report["high"]["fairness"]["over50_vest"]
    inside, rest = result["groups"]["in_group"], result["groups"]["rest"]
    assert (inside["n"], inside["n_not_unemployed"], rest["n"], rest["n_not_unemployed"]) == (20, 13, 40, 27)
    assert (inside["false_high_risk_rate"], rest["false_high_risk_rate"]) == (1.0, 0.0)
    assert inside["too_small"] is True and result["status"] == "not_measurable"
    assert "kontant" not in FairnessReview.objects.get(municipality=None).report["high"]["fairness"]
    # and the public register names it with its definition, says "too few to judge", and shows no
    # group of the other municipality
    html = client.get(f"/{municipality.slug}/algoritmer/").content.decode()
    cell = html.split('data-testid="municipal-review-table-high-over50_vest"')[1].split("</tr>")[0]
    assert "<td>Over 50 i Vest (postnumre 8210-8220; aldersgrupper: 50-54 år, 55-59 år, 60 år eller derover)</td>" in cell
    assert "<td>for få til at vurdere</td>" in cell and "personer i gruppen: 20, for få til at vurdere" in cell
    assert "MARKER-B-DEFINERET" not in html
    entry = client.get(f"/{municipality.slug}/algoritmer/segmentering.json").json()
    assert entry["municipal_groups"] == [{"key": "over50_vest", "name_da": "Over 50 i Vest",
                                          "name_en": "Over 50 in the west", "description": "",
                                          "definition": {"postcode_from": 8210, "postcode_to": 8220,
                                                         "age_bands": ["50-54", "55-59", "60+"],
                                                         "benefit_types": [], "education_levels": []}}]
