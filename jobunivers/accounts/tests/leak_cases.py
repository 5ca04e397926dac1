from jobunivers.core.testing import ListLeakCase
from jobunivers.tenancy.roles import Role


def _other_locked_staff_marker(world):
    from axes.models import AccessAttempt

    adviser = world.other_users[Role.JOB_ADVISER]
    adviser.first_name, adviser.last_name = "MARKER", "OTHER-LOCKED"
    adviser.save(update_fields=["first_name", "last_name"])
    AccessAttempt.objects.create(username=adviser.username, ip_address="192.0.2.9", user_agent="test",
                                 http_accept="*/*", path_info="/log-ind/medarbejder/", get_data="", post_data="",
                                 failures_since_start=3)
    return "MARKER OTHER-LOCKED", {}


def _other_staff_sso_marker(world):
    from jobunivers.accounts.models import StaffIdentityProvider, StaffRoleMapping

    StaffIdentityProvider.objects.create(municipality=world.other, kind="oidc", is_enabled=True,
                                         oidc_issuer="https://MARKER-OTHER-ISSUER.example", oidc_client_id="c",
                                         oidc_client_secret="MARKER-OTHER-SECRET")
    StaffRoleMapping.objects.create(municipality=world.other, claim_value="MARKER-OTHER-GROUP", role=Role.JOB_ADVISER)
    return "MARKER-OTHER", {}


LIST_URLS = [ListLeakCase("accounts:staff_lockouts", _other_locked_staff_marker),
             ListLeakCase("accounts:staff_sso_settings", _other_staff_sso_marker)]

EXEMPT = {
    "accounts:landing": "public start page: the municipality's own branding only",
    "accounts:login": "login choices, no personal data",
    "accounts:logout": "ends the session",
    "accounts:home": "redirects to the user's own start page",
    "accounts:demo_personas": "demo personas of the municipality in the URL only (DEMO=1)",
    "accounts:demo_login": "demo login (DEMO=1)",
    "accounts:vendor_home": "national vendor page, no municipal data",
    "accounts:staff_login": "staff sign-in form, no data",
    "accounts:staff_second_factor": "second factor for the pending sign-in in this session only",
    "accounts:mitid_login": "starts a MitID login for the municipality in the URL; shows nothing",
    "accounts:saml_acs": "national assertion consumer: signs in the citizen the IdP vouched for",
    "accounts:saml_metadata": "our public SAML metadata",
    "accounts:saml_sls": "single logout answers and requests from the IdP",
    "accounts:oidc_login": "starts an OIDC login for the municipality in the URL; shows nothing",
    "accounts:oidc_callback": "national OIDC callback: signs in the citizen the broker vouched for",
    "accounts:saml_logout": "ends the signed-in user's own session",
    "accounts:staff_sso_login": "starts the municipality's staff sign-in; shows nothing",
    "accounts:staff_saml_acs": "staff assertion consumer: signs in whom the municipality's IdP vouched for",
    "accounts:staff_saml_metadata": "our public SAML metadata for the municipality",
    "accounts:staff_oidc_callback": "staff OIDC callback: signs in whom the municipality's IdP vouched for",
}

NO_CITIZEN_DATA = {
    "accounts:staff_lockouts": "municipal admin: its own staff's sign-in lock-outs (tested in test_lockout.py)",
    "accounts:staff_sso_settings": "municipal admin: its own staff IdP, role mappings and break-glass accounts",
}
