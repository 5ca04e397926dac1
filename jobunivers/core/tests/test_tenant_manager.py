import pytest
from django.urls import get_script_prefix, reverse

from jobunivers.citizens.models import Citizen
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import TenantContextMissing, current_municipality_id, tenant_context
from jobunivers.core.testing import client_for


def test_tenant_owned_models_refuse_to_query_without_a_tenant(db):
    # given a citizen and no tenant in context
    CitizenFactory()
    # when the default manager is asked
    # then it refuses instead of leaking every municipality's rows
    with pytest.raises(TenantContextMissing):
        list(Citizen.objects.all())


def test_tenant_context_scopes_the_default_manager(municipality, other_municipality):
    # given one citizen in each municipality
    mine = CitizenFactory(municipality=municipality)
    CitizenFactory(municipality=other_municipality)
    # when querying inside A's context
    with tenant_context(municipality):
        rows = list(Citizen.objects.all())
    # then only A's citizen comes back, and the context is cleared afterwards
    assert rows == [mine]
    assert current_municipality_id() is None
    assert Citizen.all_tenants.count() == 2


def test_request_prefix_becomes_the_script_prefix_only_during_the_request(municipality, member):
    # given a staff member of the municipality
    user = member("job_adviser", municipality)
    # when they open their start page under the prefix
    response = client_for(user).get(f"/{municipality.slug}/medarbejder/")
    # then links inside the page carry the prefix, and the prefix is reset after the request
    assert response.status_code == 200
    assert f'href="/{municipality.slug}/medarbejder/"' in response.content.decode()
    assert get_script_prefix() == "/"
    assert reverse("caseworker:home") == "/medarbejder/"


def test_unknown_first_segment_is_a_plain_404(client, db):
    assert client.get("/ingen-kommune/medarbejder/").status_code == 404
