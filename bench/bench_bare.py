"""Baseline sanity: the constant page against itself (ratio ~1), and the municipal start page."""

from bench.harness import bare_baseline, database_label, emit, p95, setup, summary, timed_requests


def main() -> None:
    setup()
    from django.test import Client

    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    municipality = MunicipalityFactory(code="0751", name="Aarhus", slug="aarhus")
    client = Client()
    base = bare_baseline(client, n=500)
    landing = timed_requests(client, [f"/{municipality.slug}/"] * 500)
    emit("bare", {"db": database_label(), **summary(base, prefix="bare"), **summary(landing, prefix="landing"),
                  "ratio_p95": round(p95(landing) / p95(base), 3)})


if __name__ == "__main__":
    main()
