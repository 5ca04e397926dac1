EXEMPT = {
    "accounts:landing": "public start page: the municipality's own branding only",
    "accounts:login": "login choices, no personal data",
    "accounts:logout": "ends the session",
    "accounts:home": "redirects to the user's own start page",
    "accounts:demo_personas": "demo personas of the municipality in the URL only (DEMO=1)",
    "accounts:demo_login": "demo login (DEMO=1)",
    "accounts:vendor_home": "national vendor page, no municipal data",
    "accounts:mitid_login": "starts a MitID login for the municipality in the URL; shows nothing",
    "accounts:saml_acs": "national assertion consumer: signs in the citizen the IdP vouched for",
    "accounts:saml_metadata": "our public SAML metadata",
    "accounts:saml_sls": "single logout answers and requests from the IdP",
    "accounts:saml_logout": "ends the signed-in user's own session",
}
