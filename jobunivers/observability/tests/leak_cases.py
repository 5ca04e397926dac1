EXEMPT = {
    "observability:metrics": "national operator figures behind a token or network list, no personal data",
}
