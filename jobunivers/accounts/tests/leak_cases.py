EXEMPT = {
    "accounts:landing": "public start page: the municipality's own branding only",
    "accounts:login": "login choices, no personal data",
    "accounts:logout": "ends the session",
    "accounts:home": "redirects to the user's own start page",
    "accounts:demo_personas": "demo personas of the municipality in the URL only (DEMO=1)",
    "accounts:demo_login": "demo login (DEMO=1)",
    "accounts:vendor_home": "national vendor page, no municipal data",
}
