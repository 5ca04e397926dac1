"""Jobs are national: postings are visible to citizens of every municipality, and employers'
pages are national. No URL here shows one municipality's data."""

EXEMPT = {
    "jobs:employer_home": "national employer page, the employer's own postings only",
    "jobs:employer_create": "national employer page, creates the employer's own posting",
    "jobs:employer_edit": "national employer page; another organisation's posting is 404 (tested in jobs/tests)",
    "jobs:employer_withdraw": "national employer page; another organisation's posting is 404 (tested in jobs/tests)",
    "jobs:search": "public job search over national postings; no municipal data",
    "jobs:map": "public job map over national postings; no municipal data",
    "jobs:markers": "public marker data of national postings; no municipal data",
    "jobs:detail": "a national job posting, the same for every municipality",
    "api:search": "public JSON search over national postings (jobs/api.py); no municipal data",
    "api:posting": "one national posting as JSON (jobs/api.py); no municipal data",
}
