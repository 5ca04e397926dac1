EXEMPT = {
    "core:accessibility": "static accessibility statement",
    "core:privacy": "static privacy page",
    "core:health": "health check, no data",
    "core:liveness": "liveness probe, no data",
    "core:readiness": "readiness probe: check names and results, no data",
    "core:bare": "constant benchmark baseline page",
    "core:favicon": "the theme's colour and initial, public",
}
