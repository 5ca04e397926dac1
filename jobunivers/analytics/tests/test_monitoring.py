"""Monitoring: the figures are exact, counts under 5 are suppressed everywhere they leave the database,
and the pages answer in a fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from jobunivers.analytics.monitoring import kaplan_meier_median, outcome_figures
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl

from .factories import SpellFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def _spell(municipality, started_days_ago: int, ended_after: int | None = None, reason: str = "job", **kwargs):
    citizen = CitizenFactory(municipality=municipality)
    started = TODAY - datetime.timedelta(days=started_days_ago)
    ended = started + datetime.timedelta(days=ended_after) if ended_after is not None else None
    return SpellFactory(citizen=citizen, started_on=started, ended_on=ended, exit_reason=reason if ended else "",
                        **kwargs)


def test_shares_in_a_job_count_spells_old_enough_and_jobs_within_the_months(municipality, other_municipality):
    # given spells 200 days old: 4 ended in a job after 20 days, 2 after 80, 1 after 150, 1 for another
    # reason after 10, 2 still open; one spell 40 days old with a job after 20; and one in another municipality
    for after in (20, 20, 20, 20, 80, 80, 150):
        _spell(municipality, 200, after)
    _spell(municipality, 200, 10, reason="other")
    _spell(municipality, 200)
    _spell(municipality, 200)
    _spell(municipality, 40, 20)
    _spell(other_municipality, 200, 20)
    SpellFactory(citizen=CitizenFactory(municipality=municipality), source="citizen", reference="",
                 started_on=TODAY - datetime.timedelta(days=100), ended_on=TODAY, exit_reason="job")
    # when the figures are computed
    found = outcome_figures(today=TODAY, municipality_ids=[municipality.pk])[municipality.pk]
    # then 1 month counts 11 spells with 5 in a job, 3 months 10 with 6, 6 months 10 with 7
    assert (found.spells, found.jobs, found.reported_jobs) == (11, 8, 1)
    assert {m: (s.eligible, s.in_job) for m, s in found.shares.items()} == {1: (11, 5), 3: (10, 6), 6: (10, 7)}
    # and half had a job after 20 days (2.9 weeks): after the other exit on day 10 is censored, 5 of the
    # 10 still at risk find a job on day 20
    assert found.median_weeks == 2.9


def test_the_kaplan_meier_median_censors_and_needs_half():
    assert kaplan_meier_median([(1.0, 1, 2), (2.0, 0, 2), (3.0, 1, 2)]) == 3.0
    assert kaplan_meier_median([(1.0, 1, 1), (5.0, 0, 9)]) is None
    assert kaplan_meier_median([]) is None


def test_the_open_data_suppresses_counts_under_five(municipality, other_municipality, django_assert_max_num_queries):
    # given Aarhus with 6 citizens and a spell, and København with 3 citizens
    for _n in range(5):
        CitizenFactory(municipality=municipality)
    _spell(municipality, 200, 20)
    for _n in range(3):
        CitizenFactory(municipality=other_municipality)
    client = client_for(CitizenFactory(municipality=municipality).user)
    # when anyone fetches the open data
    with django_assert_max_num_queries(20):
        data = json.loads(client.get("/aabne-data/resultater.json").content)
    table = list(csv.DictReader(io.StringIO(client.get("/aabne-data/resultater.csv").content.decode())))
    # then København's 3 citizens and every count under 5 are null (empty in CSV), never the number
    rows = {row["municipality_code"]: row for row in data["municipalities"]}
    assert rows["0101"]["citizens"] is None
    assert rows["0751"]["citizens"] == 7
    assert (rows["0751"]["register_spells"], rows["0751"]["jobs"], rows["0751"]["share_in_job_1m"]) == (None, None, None)
    by_code = {row["municipality_code"]: row for row in table}
    assert (by_code["0101"]["citizens"], by_code["0751"]["citizens"], by_code["0751"]["jobs"]) == ("", "7", "")
    assert "3" not in {value for row in table for value in row.values()}


def test_the_dashboard_shows_the_figures_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    # given 6 spells 200 days old that ended in a job after 20 days, and 4 still open
    today = timezone.localdate()
    for index in range(10):
        citizen = CitizenFactory(municipality=world.home)
        started = today - datetime.timedelta(days=200)
        SpellFactory(citizen=citizen, started_on=started,
                     ended_on=started + datetime.timedelta(days=20) if index < 6 else None,
                     exit_reason="job" if index < 6 else "")
    client = client_for(world.users["job_journey_assistant"])
    # when a job-journey assistant opens the dashboard (the first visit computes and stores the snapshot,
    # ADR 0155; later visits read it in 7 queries, test_dashboard_snapshot.py)
    with django_assert_max_num_queries(35):
        response = client.get(murl(world.home, "analytics:dashboard"))
    text = response.content.decode()
    # then the shares and the median are there, and the charts with their tables
    assert response.status_code == 200
    assert '<tr><th scope="row">1 måned</th><td>10</td><td>6</td><td>60,0 %</td></tr>' in text
    assert "Halvdelen havde fundet job efter 2,9 uger" in text
    assert text.count('role="img"') == 2
    # and the chart writes the share as the table does
    chart = text[text.index('id="chart-in-job-title"'):]
    chart = chart[:chart.index("</svg>")]
    assert '<desc id="chart-in-job-desc">1 måned: Procent i job 60,0 %' in chart
    assert ">60,0 %</text>" in chart


def test_the_national_comparison_lists_every_municipality_and_hides_small_counts(world):
    for _n in range(3):
        CitizenFactory(municipality=world.other)
    text = client_for(world.users["municipality_admin"]).get(murl(world.home, "analytics:national")).content.decode()
    assert '<tr data-municipality="0101"><th scope="row">København</th><td>færre end 5</td>' in text
    assert 'data-municipality="0751"' in text


def test_citizens_and_other_roles_do_not_see_the_dashboard(world):
    for role in ("citizen", "vendor", "platform_operator"):
        assert client_for(world.users[role]).get(murl(world.home, "analytics:dashboard")).status_code == 404
        assert client_for(world.users[role]).get(murl(world.home, "analytics:national")).status_code == 404
