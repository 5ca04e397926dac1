"""The taxonomy is national reference data: its look-up shows no municipality's data."""

EXEMPT = {
    "api:occupations": "public ESCO occupation look-up (taxonomy/api.py); reference data only",
    "api:skills": "public ESCO skill look-up (taxonomy/api.py); reference data only",
}
