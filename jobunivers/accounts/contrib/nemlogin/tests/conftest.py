import pytest
from saml2.metadata import create_metadata_string

from jobunivers.accounts.contrib.nemlogin import config
from jobunivers.accounts.contrib.nemlogin.testing import LocalIdP, make_keypair


@pytest.fixture(scope="session")
def _saml_keys(tmp_path_factory):
    directory = tmp_path_factory.mktemp("saml")
    sp_key, sp_cert = make_keypair(directory, "sp")
    return directory, sp_key, sp_cert


@pytest.fixture
def idp(_saml_keys, settings):
    """A real pysaml2 IdP trusted by our SP, and our SP configured to trust it."""
    directory, sp_key, sp_cert = _saml_keys
    local = LocalIdP(directory)
    settings.SITE_URL = "http://testserver"
    settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE = sp_key, sp_cert
    settings.SAML_IDP_METADATA_FILE = ""
    settings.SAML_IDP_METADATA = local.metadata()
    local.trust_sp(create_metadata_string(None, config=config.sp_config(), sign=False).decode())
    return local
