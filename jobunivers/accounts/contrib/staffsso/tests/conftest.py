import pytest
from django.core.cache import cache
from saml2.metadata import create_metadata_string

from jobunivers.accounts.contrib.nemlogin.testing import LocalIdP, make_keypair
from jobunivers.accounts.contrib.oidc.testing import LocalOidcProvider
from jobunivers.accounts.contrib.staffsso import saml
from jobunivers.accounts.models import StaffIdentityProvider, StaffRoleMapping
from jobunivers.tenancy.roles import Role

CASEWORKER_ROLE = "http://jobunivers.dk/roles/usersystemrole/sagsbehandler/1"
ADMIN_ROLE = "http://jobunivers.dk/roles/usersystemrole/administrator/1"
ADVISER_GROUP = "6f1c1c7e-0000-4000-8000-000000000001"


@pytest.fixture(scope="session")
def _staff_saml_keys(tmp_path_factory):
    directory = tmp_path_factory.mktemp("staffsaml")
    sp_key, sp_cert = make_keypair(directory, "sp")
    return directory, sp_key, sp_cert


def _mappings(municipality, pairs):
    StaffRoleMapping.objects.bulk_create(
        [StaffRoleMapping(municipality=municipality, claim_value=v, role=r) for v, r in pairs])


@pytest.fixture
def staff_idp_factory(_staff_saml_keys, settings):
    """staff_idp_factory(municipality, kind) -> a local SAML IdP the municipality trusts, with mappings."""
    directory, sp_key, sp_cert = _staff_saml_keys
    settings.SITE_URL = "http://testserver"
    settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE = sp_key, sp_cert

    def build(municipality, kind="kombit", entity_id="https://kombit.local.test/"):
        local = LocalIdP(directory, entity_id=entity_id)
        StaffIdentityProvider.objects.create(municipality=municipality, kind=kind, is_enabled=True,
                                             saml_metadata=local.metadata())
        local.trust_sp(create_metadata_string(None, config=saml.sp_config(municipality.slug), sign=False).decode())
        _mappings(municipality, [(CASEWORKER_ROLE, Role.JOB_ADVISER), (ADMIN_ROLE, Role.MUNICIPALITY_ADMIN),
                                 (ADVISER_GROUP, Role.PERSONAL_CONSULTANT)])
        return local

    return build


@pytest.fixture
def kombit(staff_idp_factory, municipality):
    return staff_idp_factory(municipality, "kombit")


@pytest.fixture
def oidc_provider(settings, municipality):
    local = LocalOidcProvider()
    settings.SITE_URL = "http://testserver"
    StaffIdentityProvider.objects.create(municipality=municipality, kind="oidc", is_enabled=True,
                                         oidc_issuer=local.issuer, oidc_client_id=local.client_id,
                                         oidc_client_secret=local.client_secret)
    _mappings(municipality, [(ADVISER_GROUP, Role.PERSONAL_CONSULTANT), ("jobcenter-vejledere", Role.JOB_ADVISER)])
    cache.clear()
    yield local
    local.shutdown()
    cache.clear()
