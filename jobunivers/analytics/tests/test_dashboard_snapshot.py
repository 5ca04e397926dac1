"""The results dashboard reads a stored snapshot (ADR 0155): the snapshot holds exactly the live figures,
the first visit computes one, later visits read it without the heavy counts, a stale one says when it is
from, staff may ask for a new one, and the beat task refreshes each municipality on its own."""

from __future__ import annotations

import datetime
import json
import uuid
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobunivers.analytics import snapshots
from jobunivers.analytics.models import DashboardSnapshot
from jobunivers.analytics.services import _refresh_lock_key, dashboard_snapshot_refresh
from jobunivers.analytics.tasks import refresh_dashboards
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.errors import NotFound
from jobunivers.core.testing import client_for, murl

from .factories import SpellFactory

pytestmark = pytest.mark.django_db
COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
# The tables the live computation aggregates: a visit that reads the snapshot touches none of them.
HEAVY_TABLES = ("analytics_unemploymentspell", "booking_booking", "dialogue_thread", "segmentation_decision",
                "marketplace_enrolment", "feedback_pulseanswer", "citizens_citizen")


@pytest.fixture(autouse=True)
def _no_lock_left():
    cache.clear()
    yield
    cache.clear()


def _figures(municipality, staff):
    """Every kind of figure on the page: register spells (shares, median, jobs), a reported job, citizens on
    two tracks and undecided ones, bookings booked and held with 5 pulse ratings, threads, and an offer."""
    from jobunivers.booking.models import Booking
    from jobunivers.dialogue.tests.factories import thread_for
    from jobunivers.feedback.tests.helpers import answered
    from jobunivers.marketplace.tests.factories import enabled, enrolment, offer
    from jobunivers.segmentation.tests.factories import decision, suggestion

    today = timezone.localdate()
    citizens = [CitizenFactory(municipality=municipality) for _n in range(12)]
    for index, citizen in enumerate(citizens[:10]):
        started = today - datetime.timedelta(days=200)
        SpellFactory(citizen=citizen, started_on=started,
                     ended_on=started + datetime.timedelta(days=20 + 3 * index) if index < 7 else None,
                     exit_reason="job" if index < 7 else "")
    SpellFactory(citizen=citizens[10], source="citizen", reference="", started_on=today - datetime.timedelta(days=50),
                 ended_on=today, exit_reason="job")
    for index, citizen in enumerate(citizens[:8]):
        decision(suggestion(citizen, level=1 + index % 2), by=staff)
    for index, citizen in enumerate(citizens[:7]):
        starts = timezone.now() - datetime.timedelta(days=10 + index)
        Booking.all_tenants.create(municipality=municipality, uid=uuid.uuid4(), citizen=citizen, adviser=staff,
                                   starts_at=starts, ends_at=starts + datetime.timedelta(minutes=15), channel="phone",
                                   purpose="job_search", status="held" if index < 6 else "booked",
                                   booked_by_kind="citizen", idempotency_key=f"snapshot-{index}")
    for score, citizen in zip((5, 4, 3, 4, 3), citizens, strict=False):
        answered(citizen, score=score, service_key="booking:phone")
    for citizen in citizens[:3]:
        thread_for(citizen)
    course = enabled(municipality, offer(title="Kursus i CV"))
    for citizen in citizens[:6]:
        enrolment(citizen, course)
    return citizens


def _comparable(dashboard: snapshots.Dashboard) -> dict:
    return {**snapshots.to_dict(dashboard), "figures": dashboard.figures}


# --- The figures ------------------------------------------------------------------------------------------


def test_the_snapshot_round_trips_through_json_to_exactly_the_live_figures(world):
    # given a municipality with every kind of figure
    _figures(world.home, world.users["job_adviser"])
    # when the figures are computed live and sent through JSON
    live = snapshots.dashboard_compute(municipality_id=world.home.pk)
    data = json.loads(json.dumps(snapshots.to_dict(live)))
    back = snapshots.from_dict(data, format_version=snapshots.FORMAT_VERSION, municipality_id=world.home.pk,
                               computed_at=live.computed_at)
    # then the dataclasses are equal, field for field, and every kind of figure was there to compare
    assert back == live
    assert (live.figures.citizens, live.figures.bookings, live.figures.held, live.figures.threads) == (13, 7, 6, 3)
    assert live.figures.outcomes.median_weeks is not None and live.undecided == 5
    assert {s.key: (s.citizens, s.rating, s.ratings) for s in live.services}["booking"] == (6, 3.8, 5)
    assert len(live.tracks) == 2


def test_a_stored_snapshot_reads_back_as_the_live_computation(world):
    # given a municipality with every kind of figure, and a snapshot stored through the database
    _figures(world.home, world.users["job_adviser"])
    stored = snapshots.snapshot_store(municipality_id=world.home.pk)
    # when it is read back, and the figures are computed live again
    read = snapshots.dashboard_from_snapshot(DashboardSnapshot.all_tenants.get(pk=stored.pk))
    live = snapshots.dashboard_compute(municipality_id=world.home.pk)
    # then they are the same figures
    assert read is not None
    assert _comparable(read) == _comparable(live)
    assert (stored.format_version, stored.computed_on, stored.municipality_id) == (
        snapshots.FORMAT_VERSION, live.today, world.home.pk)


def test_only_the_newest_three_snapshots_are_kept_per_municipality(world):
    # given five refreshes of A and one of B
    made = [snapshots.snapshot_store(municipality_id=world.home.pk).pk for _n in range(5)]
    other = snapshots.snapshot_store(municipality_id=world.other.pk).pk
    # then A keeps its newest 3, and B's stays
    assert sorted(DashboardSnapshot.all_tenants.values_list("pk", flat=True)) == sorted([*made[2:], other])


def test_the_snapshot_holds_no_personal_data():
    from jobunivers.audit.privacy import exemptions, personal_data_models

    fields = DashboardSnapshot._meta.get_fields()
    assert [f.name for f in fields if f.is_relation] == ["municipality"]
    assert DashboardSnapshot not in set(personal_data_models())
    assert "analytics.dashboardsnapshot" in exemptions()


# --- The page -----------------------------------------------------------------------------------------------


def test_the_first_visit_computes_and_stores_a_snapshot(world):
    # given figures and no snapshot
    _figures(world.home, world.users["job_adviser"])
    # when an assistant opens the dashboard
    response = client_for(world.users["job_journey_assistant"]).get(murl(world.home, "analytics:dashboard"))
    # then the page shows the figures, and one snapshot of A is stored
    text = response.content.decode()
    assert response.status_code == 200
    assert "13 borgere på platformen" in text
    assert list(DashboardSnapshot.all_tenants.values_list("municipality_id", "format_version")) == [
        (world.home.pk, snapshots.FORMAT_VERSION)]


def test_the_second_visit_reads_the_snapshot_without_the_heavy_queries(world, django_assert_num_queries):
    # given figures and a first visit that stored the snapshot
    _figures(world.home, world.users["job_adviser"])
    client = client_for(world.users["job_journey_assistant"])
    first = client.get(murl(world.home, "analytics:dashboard")).content.decode()
    # when the dashboard is opened again
    with CaptureQueriesContext(connection) as queries, django_assert_num_queries(6):
        second = client.get(murl(world.home, "analytics:dashboard")).content.decode()
    # then it shows the same figures from 6 queries (municipality, session, user, memberships, settings, the
    # snapshot; the role check answers from the memberships read), none on the tables the live computation counts
    assert [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in HEAVY_TABLES)] == []
    assert _main(second) == _main(first)
    assert DashboardSnapshot.all_tenants.count() == 1


def _main(text: str) -> str:
    """The page's <main> without the form's CSRF token, which is masked afresh on every response."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text[text.index("<main"):text.index("</main>")])


def test_a_stale_snapshot_is_shown_with_the_time_it_was_computed(world):
    # given a snapshot from 6 December 2026 at 06.15 Copenhagen time of 7 citizens (6 and the world's own),
    # and 3 citizens who came since
    for _n in range(6):
        CitizenFactory(municipality=world.home)
    stored = snapshots.snapshot_store(municipality_id=world.home.pk)
    DashboardSnapshot.all_tenants.filter(pk=stored.pk).update(
        computed_at=datetime.datetime(2026, 12, 6, 6, 15, tzinfo=COPENHAGEN))
    for _n in range(3):
        CitizenFactory(municipality=world.home)
    client = client_for(world.users["job_journey_assistant"])
    # when the dashboard is opened in Danish and in English
    danish = client.get(murl(world.home, "analytics:dashboard")).content.decode()
    client.cookies["jobunivers_language"] = "en"
    english = client.get(murl(world.home, "analytics:dashboard")).content.decode()
    # then it shows the stored figures (7 citizens, not 10) and says when they are from
    assert ('Tallene er opdateret <time datetime="2026-12-06T06:15:00+01:00">6. december 2026 kl. 06.15</time>.'
            in danish)
    assert "7 borgere på platformen" in danish
    assert 'The figures were updated on <time datetime="2026-12-06T06:15:00+01:00">6 December 2026, 06:15</time>.' in english
    assert DashboardSnapshot.all_tenants.count() == 1


def test_fixed_service_labels_are_shown_in_the_readers_language(world):
    # given a snapshot computed in Danish with the booked conversations' service
    _figures(world.home, world.users["job_adviser"])
    stored = snapshots.snapshot_store(municipality_id=world.home.pk)
    client = client_for(world.users["job_journey_assistant"])
    client.cookies["jobunivers_language"] = "en"
    # when an English reader opens the dashboard
    text = client.get(murl(world.home, "analytics:dashboard")).content.decode()
    # then the label is English; the stored one is Danish
    assert {s["key"]: s["label"] for s in stored.figures["services"]}["booking"] == "Booket samtale (holdt)"
    assert "Booked conversation (held)" in text


def test_a_snapshot_of_an_unknown_format_is_computed_again_and_never_shown(world):
    # given 7 citizens (6 and the world's own) and a snapshot of a format this code does not know, claiming 4242
    for _n in range(6):
        CitizenFactory(municipality=world.home)
    DashboardSnapshot.all_tenants.create(municipality=world.home, computed_at=timezone.now(),
                                         computed_on=timezone.localdate(), format_version=99,
                                         figures={"citizens": 4242}, duration_ms=1)
    # when the dashboard is opened
    text = client_for(world.users["municipality_admin"]).get(murl(world.home, "analytics:dashboard")).content.decode()
    # then the figures are computed again: 7 citizens, never 4242, and the new snapshot is the newest
    assert "7 borgere på platformen" in text
    assert "4242" not in text
    assert snapshots.latest_snapshot(world.home.pk).format_version == snapshots.FORMAT_VERSION


# --- "Opdater tallene nu" ---------------------------------------------------------------------------------


def test_staff_and_administrators_can_ask_for_new_figures(world, django_capture_on_commit_callbacks):
    # given a stored snapshot with 7 citizens (6 and the world's own), and 2 more since
    for _n in range(6):
        CitizenFactory(municipality=world.home)
    snapshots.snapshot_store(municipality_id=world.home.pk)
    CitizenFactory(municipality=world.home)
    CitizenFactory(municipality=world.home)
    for role in ("job_journey_assistant", "municipality_admin"):
        client = client_for(world.users[role])
        # when they press "Opdater tallene nu"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(murl(world.home, "analytics:dashboard_refresh"))
        # then they are back on the page, told that it is under way, and the refresh ran (eagerly here)
        assert response.status_code == 302
        assert response["Location"] == murl(world.home, "analytics:dashboard")
        text = client.get(response["Location"]).content.decode()
        assert ('<div class="alert alert-info" role="status">\n          <div class="alert-body"><p class="alert-text">'
                "Tallene bliver opdateret.") in text
        assert "9 borgere på platformen" in text


def test_others_cannot_ask_for_new_figures_and_nothing_is_scheduled(world, django_capture_on_commit_callbacks):
    # given members of A without access to the dashboard, and every member of B
    askers = [world.users[role] for role in ("citizen", "vendor", "employer", "platform_operator")]
    askers += list(world.other_users.values())
    url = murl(world.home, "analytics:dashboard_refresh")
    for user in askers:
        # when they post to A's refresh
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client_for(user).post(url)
        # then it does not exist for them, and nothing is scheduled or stored
        assert response.status_code == 404, user
        assert callbacks == []
    assert DashboardSnapshot.all_tenants.count() == 0
    # and staff of B cannot read A's dashboard either (as before)
    assert client_for(world.other_users["job_journey_assistant"]).get(
        murl(world.home, "analytics:dashboard")).status_code == 404


def test_the_refresh_is_post_only(world):
    client = client_for(world.users["job_journey_assistant"])
    assert client.get(murl(world.home, "analytics:dashboard_refresh")).status_code == 405
    assert DashboardSnapshot.all_tenants.count() == 0


def test_the_refresh_service_checks_the_actor(world):
    with pytest.raises(NotFound):
        dashboard_snapshot_refresh(actor=world.other_users["municipality_admin"], municipality_id=world.home.pk)
    assert DashboardSnapshot.all_tenants.count() == 0


def test_two_refreshes_of_one_municipality_do_not_run_at_once(world):
    # given a refresh of A that is running (it holds A's lock)
    cache.add(_refresh_lock_key(world.home.pk), "running", 60)
    # when another refresh of A starts, and one of B
    skipped = dashboard_snapshot_refresh(municipality_id=world.home.pk)
    other = dashboard_snapshot_refresh(municipality_id=world.other.pk)
    # then A's is skipped and writes nothing; B's runs and lets go of its lock
    assert skipped is None
    assert list(DashboardSnapshot.all_tenants.values_list("municipality_id", flat=True)) == [world.other.pk]
    assert other is not None
    assert cache.get(_refresh_lock_key(world.other.pk)) is None
    assert cache.get(_refresh_lock_key(world.home.pk)) == "running"


# --- The schedule -----------------------------------------------------------------------------------------


def test_the_refresh_is_in_the_beat_schedule_every_15_minutes():
    from celery.schedules import crontab

    from config.celery import app
    from config.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["analytics.refresh_dashboards"]
    assert entry["task"] == "jobunivers.analytics.tasks.refresh_dashboards"
    assert entry["schedule"] == crontab(minute="*/15")
    assert app.conf.beat_schedule["analytics.refresh_dashboards"] == entry


def test_the_task_refreshes_each_municipality_with_citizens_and_one_failing_does_not_stop_the_others(
        world, monkeypatch, caplog):
    # given citizens in A and B, and A's computation failing
    CitizenFactory(municipality=world.home)
    CitizenFactory(municipality=world.other)
    store = snapshots.snapshot_store

    def failing_for_home(*, municipality_id, today=None):
        if municipality_id == world.home.pk:
            raise RuntimeError("the database went away")
        return store(municipality_id=municipality_id, today=today)

    monkeypatch.setattr(snapshots, "snapshot_store", failing_for_home)
    # when the beat task runs
    result = refresh_dashboards.apply().get()
    # then B is refreshed, A's failure is logged with its id, and A's lock is let go for the next run
    assert result == {"municipalities": 2, "failed": 1}
    assert list(DashboardSnapshot.all_tenants.values_list("municipality_id", flat=True)) == [world.other.pk]
    assert f"dashboard refresh failed: municipality_id={world.home.pk}" in caplog.text
    assert cache.get(_refresh_lock_key(world.home.pk)) is None
    # and when A works again, the next run refreshes both
    monkeypatch.setattr(snapshots, "snapshot_store", store)
    assert refresh_dashboards.apply().get() == {"municipalities": 2, "failed": 0}
    assert sorted(DashboardSnapshot.all_tenants.values_list("municipality_id", flat=True)) == sorted(
        [world.home.pk, world.other.pk, world.other.pk])


# --- The national comparison and the open data read the same snapshots -----------------------------------


def test_the_national_figures_use_todays_snapshots_and_compute_the_rest(world):
    from jobunivers.analytics import selectors

    # given A with a snapshot of today and B with none, and then one more citizen in each
    _figures(world.home, world.users["job_adviser"])
    snapshots.snapshot_store(municipality_id=world.home.pk)
    CitizenFactory(municipality=world.other)
    CitizenFactory(municipality=world.home)
    CitizenFactory(municipality=world.other)
    # when the national figures are built with an empty cache
    cache.clear()
    by_id = {f.municipality_id: f for _code, _name, f in selectors.open_data()}
    # then A's are its dashboard's (13 citizens, not the 14 there are now) and B's are counted live
    assert by_id[world.home.pk].citizens == 13
    assert by_id[world.other.pk].citizens == snapshots.dashboard_compute(municipality_id=world.other.pk).figures.citizens


def test_a_snapshot_from_yesterday_or_of_an_unknown_format_is_not_used_nationally(world):
    from jobunivers.analytics import selectors

    # given A's only snapshots are yesterday's and one of today in an unknown format
    _figures(world.home, world.users["job_adviser"])
    yesterday = snapshots.snapshot_store(municipality_id=world.home.pk)
    DashboardSnapshot.all_tenants.filter(pk=yesterday.pk).update(
        computed_on=timezone.localdate() - datetime.timedelta(days=1))
    unknown = snapshots.snapshot_store(municipality_id=world.home.pk)
    DashboardSnapshot.all_tenants.filter(pk=unknown.pk).update(format_version=snapshots.FORMAT_VERSION + 1)
    CitizenFactory(municipality=world.home)
    # when the national figures are built with an empty cache
    cache.clear()
    by_id = {f.municipality_id: f for _code, _name, f in selectors.open_data()}
    # then A is counted live: 14 citizens
    assert by_id[world.home.pk].citizens == 14
