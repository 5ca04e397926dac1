"""Retention of behavioural data: each purge task deletes what is older than the municipality's
period, keeps what is recent, and leaves other municipalities (with their own periods) alone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.matching.models import Feed, Interaction
from jobunivers.matching.tasks import purge_behaviour
from jobunivers.matching.tests.helpers import posting
from jobunivers.notifications.contracts import Kind
from jobunivers.notifications.models import Notification, OutboxMessage
from jobunivers.notifications.services import notify
from jobunivers.notifications.tasks import purge_old_notices
from jobunivers.taxonomy.models import Embedding
from jobunivers.taxonomy.tasks import purge_query_embeddings
from jobunivers.tenancy.models import MunicipalitySettings

pytestmark = pytest.mark.django_db


def _age(model, pk, days):
    manager = getattr(model, "all_tenants", model._default_manager)
    manager.filter(pk=pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


@pytest.fixture
def periods(municipality, other_municipality):
    # Aarhus keeps 30 days of everything; København keeps the defaults (longer).
    MunicipalitySettings.objects.update_or_create(municipality=municipality, defaults={
        "feed_retention_days": 30, "interaction_retention_days": 30, "notification_retention_days": 30})
    return municipality, other_municipality


def test_feeds_and_interactions_older_than_the_period_go(periods):
    # given feeds and interactions in both municipalities, some 40 days old, some 10
    here, there = periods
    rows = {}
    for municipality in (here, there):
        citizen = CitizenFactory(municipality=municipality)
        job = posting("Tømrer")
        for age in (40, 10):
            feed = Feed.all_tenants.create(municipality=municipality, citizen=citizen, model_version="v1",
                                           posting_ids=[job.pk], scores=[0.5])
            interaction = Interaction.all_tenants.create(municipality=municipality, citizen=citizen, posting=job,
                                                         kind="impression", feed=feed, position=1)
            _age(Feed, feed.pk, age)
            _age(Interaction, interaction.pk, age)
            rows[(municipality.pk, age)] = (feed.pk, interaction.pk)
    # when the purge runs
    result = purge_behaviour.apply().get()
    # then only Aarhus's 40-day-old rows are gone; København's period (90/365 days) keeps its rows
    assert result == {here.pk: {"feeds": 1, "interactions": 1}, there.pk: {"feeds": 0, "interactions": 0}}
    assert set(Feed.all_tenants.values_list("pk", flat=True)) == {
        rows[(here.pk, 10)][0], rows[(there.pk, 40)][0], rows[(there.pk, 10)][0]}
    assert set(Interaction.all_tenants.values_list("pk", flat=True)) == {
        rows[(here.pk, 10)][1], rows[(there.pk, 40)][1], rows[(there.pk, 10)][1]}


def test_old_notices_go_with_their_deliveries_but_not_while_a_delivery_is_under_way(periods):
    # given notices 40 and 10 days old in both municipalities, and an old one still waiting for its digest
    here, there = periods
    made = {}
    for municipality in (here, there):
        citizen = CitizenFactory(municipality=municipality)
        for age in (40, 10):
            notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=Kind.GENERAL,
                   subject_key=f"news:{age}", title="Nyhed", channels=["in_app"])
            notice = Notification.all_tenants.get(recipient=citizen.user, subject_key=f"news:{age}")
            _age(Notification, notice.pk, age)
            made[(municipality.pk, age)] = notice.pk
    waiting_citizen = CitizenFactory(municipality=here)
    notify(municipality_id=here.pk, citizen_id=waiting_citizen.pk, kind=Kind.GENERAL, subject_key="news:digest",
           title="Nyhed", channels=["in_app", "email"])
    waiting = Notification.all_tenants.get(recipient=waiting_citizen.user)
    OutboxMessage.all_tenants.filter(notification=waiting, channel="email").update(status="digest")
    _age(Notification, waiting.pk, 40)
    # when the purge runs
    result = purge_old_notices.apply().get()
    # then Aarhus's old notice and its delivery are gone; the one waiting for a digest and the rest stay
    assert result == {here.pk: 1, there.pk: 0}
    assert set(Notification.all_tenants.values_list("pk", flat=True)) == {
        made[(here.pk, 10)], made[(there.pk, 40)], made[(there.pk, 10)], waiting.pk}
    assert not OutboxMessage.all_tenants.filter(notification_id=made[(here.pk, 40)]).exists()


def test_old_query_vectors_go_and_reference_vectors_stay(settings):
    # given query vectors 100 and 10 days old, an old passage vector and an old one from before kinds
    settings.EMBEDDING_QUERY_RETENTION_DAYS = 90
    rows = {}
    for name, kind, age in (("old query", "query", 100), ("new query", "query", 10),
                            ("old passage", "passage", 100), ("legacy", "", 100)):
        row = Embedding.objects.create(text_hash=name, model_version="m", vector=b"\0" * 4, kind=kind)
        _age(Embedding, row.pk, age)
        rows[name] = row.pk
    # when the purge runs
    purged = purge_query_embeddings.apply().get()
    # then the old query vector and the old one without a kind (either kind; recomputed when needed) are gone
    assert purged == 2
    assert set(Embedding.objects.values_list("text_hash", flat=True)) == {"new query", "old passage"}


@pytest.fixture
def access_periods(municipality, other_municipality):
    # Aarhus keeps its access log (and records of the same kind) 30 days; København the default 183.
    MunicipalitySettings.objects.update_or_create(municipality=municipality,
                                                  defaults={"access_log_retention_days": 30})
    return municipality, other_municipality


def test_opened_marks_older_than_the_access_log_period_go(access_periods, member):
    from jobunivers.caseworker.models import CitizenOpened
    from jobunivers.caseworker.tasks import purge_opened_marks

    here, there = access_periods
    kept = set()
    for municipality in (here, there):
        staff = member("job_adviser", municipality)
        for age in (40, 10):
            citizen = CitizenFactory(municipality=municipality)
            mark = CitizenOpened.all_tenants.create(municipality=municipality, staff_user=staff, citizen=citizen,
                                                    opened_at=timezone.now() - datetime.timedelta(days=age))
            if municipality != here or age == 10:
                kept.add(mark.pk)
    result = purge_opened_marks.apply().get()
    assert result == {here.pk: 1, there.pk: 0}
    assert set(CitizenOpened.all_tenants.values_list("pk", flat=True)) == kept


def test_sign_in_records_and_staff_unlocks_go_after_their_periods(access_periods, member):
    from jobunivers.accounts.models import SamlRequest, SamlSession, SeenAssertion, StaffUnlock
    from jobunivers.accounts.tasks import purge_sign_in_records

    here, there = access_periods
    user = member("citizen", here)
    now = timezone.now()
    for name, age in (("old", 2), ("new", 0)):
        request = SamlRequest.objects.create(request_id=name, provider="mitid", municipality=here,
                                             browser_binding="x")
        _age(SamlRequest, request.pk, age)
        session = SamlSession.objects.create(user=user, provider="mitid", name_id="n", session_key=name)
        SamlSession.objects.filter(pk=session.pk).update(created_at=now - datetime.timedelta(days=age * 2))
    SeenAssertion.objects.create(assertion_id="expired", not_on_or_after=now - datetime.timedelta(minutes=1))
    SeenAssertion.objects.create(assertion_id="valid", not_on_or_after=now + datetime.timedelta(minutes=5))
    unlocks = {}
    for municipality in (here, there):
        for age in (40, 10):
            unlock = StaffUnlock.objects.create(municipality=municipality, actor_user_id=1, staff_user_id=2,
                                                attempts_cleared=3)
            _age(StaffUnlock, unlock.pk, age)
            unlocks[(municipality.pk, age)] = unlock.pk
    result = purge_sign_in_records.apply().get()
    assert result == {"sign_in": {"requests": 1, "assertions": 1, "sessions": 1},
                      "staff_unlocks": {here.pk: 1, there.pk: 0}, "break_glass": {here.pk: 0, there.pk: 0},
                      "staff_identities": {here.pk: 0, there.pk: 0}}
    assert list(SamlRequest.objects.values_list("request_id", flat=True)) == ["new"]
    assert list(SamlSession.objects.values_list("session_key", flat=True)) == ["new"]
    assert list(SeenAssertion.objects.values_list("assertion_id", flat=True)) == ["valid"]
    assert set(StaffUnlock.objects.values_list("pk", flat=True)) == {
        unlocks[(here.pk, 10)], unlocks[(there.pk, 40)], unlocks[(there.pk, 10)]}


def test_fanout_marks_of_postings_no_longer_active_go_after_30_days(db):
    from jobunivers.matching.models import PostingFanout
    from jobunivers.matching.tasks import purge_fanout_marks

    old = timezone.now() - datetime.timedelta(days=40)
    marks = {}
    for name, status, fanned_out_at in (("active old", "active", old), ("expired old", "expired", old),
                                        ("expired new", "expired", timezone.now())):
        job = posting(name, status=status)
        PostingFanout.objects.create(posting=job, fanned_out_at=fanned_out_at, notices=1)
        marks[name] = job.pk
    assert purge_fanout_marks.apply().get() == 1
    assert set(PostingFanout.objects.values_list("posting_id", flat=True)) == {marks["active old"],
                                                                             marks["expired new"]}


def test_fairness_reviews_older_than_five_years_go_but_the_newest_of_a_model_stays(municipality):
    from jobunivers.segmentation.models import FairnessReview, RiskModelVersion
    from jobunivers.segmentation.tasks import purge_fairness_reviews

    version = RiskModelVersion.objects.create(version=1, model_card={}, artifact=b"x", artifact_sha256="0",
                                              is_synthetic=True)
    day = datetime.date(2020, 1, 1)
    made = []
    for age in (2200, 2000, 100):
        review = FairnessReview.objects.create(model_version=version, period_from=day, period_to=day, cases=10)
        _age(FairnessReview, review.pk, age)
        made.append(review.pk)
    older = RiskModelVersion.objects.create(version=2, model_card={}, artifact=b"x", artifact_sha256="0",
                                            is_synthetic=True)
    only = FairnessReview.objects.create(model_version=older, period_from=day, period_to=day, cases=10)
    _age(FairnessReview, only.pk, 2200)
    local = FairnessReview.objects.create(model_version=version, municipality=municipality, period_from=day,
                                          period_to=day, cases=10)
    _age(FairnessReview, local.pk, 2200)
    assert purge_fairness_reviews.apply().get() == 2
    assert set(FairnessReview.objects.values_list("pk", flat=True)) == {made[2], only.pk, local.pk}


def test_bookings_and_minutes_older_than_the_municipalitys_period_go(municipality, other_municipality):
    # given Aarhus keeps bookings 30 days, København the default (5 years); a 40-day-old booking and
    # minutes with a correction in each, and a booking from last week
    from jobunivers.accounts.tests.factories import UserFactory
    from jobunivers.booking.models import Booking, BookingSettings, Minutes
    from jobunivers.booking.tasks import purge_old_bookings

    BookingSettings.all_tenants.create(municipality=municipality, retention_days=30)
    kept = {}
    for place in (municipality, other_municipality):
        citizen = CitizenFactory(municipality=place)
        adviser = UserFactory()
        for age in (40, 7):
            start = timezone.now() - datetime.timedelta(days=age)
            booking = Booking.all_tenants.create(
                municipality=place, citizen=citizen, adviser=adviser, starts_at=start,
                ends_at=start + datetime.timedelta(minutes=15), channel="phone", purpose="plan",
                booked_by_kind="citizen", idempotency_key=f"k{age}")
            original = Minutes.all_tenants.create(municipality=place, citizen=citizen, talked_about="x",
                                                  status="shared", booking=booking)
            correction = Minutes.all_tenants.create(municipality=place, citizen=citizen, talked_about="y",
                                                    corrects=original)
            for row in (original, correction):
                _age(Minutes, row.pk, age)
            kept[(place.pk, age)] = booking.pk
    # when the purge runs
    result = purge_old_bookings.apply().get()
    # then only Aarhus's 40-day-old booking and minutes are gone
    assert result[municipality.pk] == 3 and result[other_municipality.pk] == 0
    assert set(Booking.all_tenants.values_list("pk", flat=True)) == {
        kept[(municipality.pk, 7)], kept[(other_municipality.pk, 40)], kept[(other_municipality.pk, 7)]}
    assert Minutes.all_tenants.count() == 6


def test_message_threads_without_a_message_for_the_period_go_with_their_files_unless_waiting_for_us(
        municipality, other_municipality, member, settings, tmp_path):
    from jobunivers.dialogue import services as dialogue
    from jobunivers.dialogue.models import Attachment, Message, Thread
    from jobunivers.dialogue.tasks import purge_old_threads
    from jobunivers.dialogue.tests.factories import PNG, thread_for, upload

    # given Aarhus keeps threads 60 days, København the default (730)
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    MunicipalitySettings.objects.update_or_create(municipality=municipality,
                                                  defaults={"dialogue_retention_days": 60})
    threads = {}
    for place in (municipality, other_municipality):
        citizen = CitizenFactory(municipality=place)
        adviser = member("job_adviser", place)
        for age, answered in ((90, True), (90, False), (10, True)):
            thread = thread_for(citizen, subject=f"{age}-{answered}", attachments=[upload("a.png", PNG)])
            if answered:
                dialogue.message_send(actor=adviser, thread=thread, text="Svar")
            Thread.all_tenants.filter(pk=thread.pk).update(
                last_message_at=timezone.now() - datetime.timedelta(days=age))
            threads[(place.pk, age, answered)] = thread.pk
    files_before = {p.name for p in (tmp_path / "dialogue").iterdir()}
    # when the purge runs
    result = purge_old_threads.apply().get()
    # then only Aarhus's answered 90-day-old thread is gone, with its messages and file;
    # the one still waiting for the job centre stays, and København keeps everything
    assert result == {municipality.pk: 1, other_municipality.pk: 0}
    gone = threads[(municipality.pk, 90, True)]
    assert not Thread.all_tenants.filter(pk=gone).exists()
    assert Thread.all_tenants.count() == 5
    assert not Message.all_tenants.filter(thread_id=gone).exists()
    files_after = {p.name for p in (tmp_path / "dialogue").iterdir()}
    assert len(files_before - files_after) == 1 and Attachment.all_tenants.count() == 5


def test_break_glass_sign_ins_go_after_the_access_log_period(access_periods, member):
    from jobunivers.accounts.models import BreakGlassSignIn
    from jobunivers.accounts.tasks import purge_sign_in_records

    here, there = access_periods
    kept = set()
    for municipality in (here, there):
        operator = member("job_adviser", municipality)
        for age in (40, 10):
            sign_in = BreakGlassSignIn.all_tenants.create(municipality=municipality, user=operator)
            _age(BreakGlassSignIn, sign_in.pk, age)
            if municipality != here or age == 10:
                kept.add(sign_in.pk)
    result = purge_sign_in_records.apply().get()
    assert result["break_glass"] == {here.pk: 1, there.pk: 0}
    assert set(BreakGlassSignIn.all_tenants.values_list("pk", flat=True)) == kept


def test_idp_links_of_former_staff_go_after_the_period_and_active_staff_keep_theirs(access_periods, member):
    from jobunivers.accounts.models import StaffIdentity
    from jobunivers.accounts.tasks import purge_sign_in_records
    from jobunivers.tenancy.models import Membership

    here, there = access_periods
    now = timezone.now()

    def identity(municipality, name, *, active, days_ago):
        user = member("job_adviser", municipality)
        if not active:
            Membership.objects.filter(user=user).update(is_active=False)
        return StaffIdentity.all_tenants.create(municipality=municipality, user=user, provider="kombit",
                                                subject_hash=name.ljust(64, "0"),
                                                last_sign_in_at=now - datetime.timedelta(days=days_ago)).pk

    made = {
        "former, long ago": identity(here, "a", active=False, days_ago=40),
        "former, recently": identity(here, "b", active=False, days_ago=10),
        "active, long ago": identity(here, "c", active=True, days_ago=400),
        "former elsewhere, long ago": identity(there, "d", active=False, days_ago=40),  # København keeps 183 days
    }
    # a former staff member who never signed in: the link's own age counts
    never = identity(here, "e", active=False, days_ago=0)
    StaffIdentity.all_tenants.filter(pk=never).update(last_sign_in_at=None,
                                                      created_at=now - datetime.timedelta(days=40))
    result = purge_sign_in_records.apply().get()
    assert result["staff_identities"] == {here.pk: 2, there.pk: 0}
    assert set(StaffIdentity.all_tenants.values_list("pk", flat=True)) == {
        made["former, recently"], made["active, long ago"], made["former elsewhere, long ago"]}


def test_track_changes_go_after_the_period_but_the_newest_per_citizen_and_tracks_of_those_followed_up_stay(
        municipality, other_municipality):
    from jobunivers.segmentation.models import CitizenInteraction, RegisterData, Transition
    from jobunivers.segmentation.tasks import purge_track_history
    from jobunivers.segmentation.tests.factories import register_data

    # given Aarhus keeps changes of track 60 days, København the default (730)
    MunicipalitySettings.objects.filter(municipality=municipality).update(track_change_retention_days=60)
    now = timezone.now()

    def follow_up(municipality, *, changes_days_ago, since_days_ago, left):
        citizen = CitizenFactory(municipality=municipality)
        register_data(citizen, outcome=RegisterData.Outcome.JOB if left else "")
        track = CitizenInteraction.all_tenants.create(municipality=municipality, citizen=citizen, state="reminders",
                                                      since=now - datetime.timedelta(days=since_days_ago))
        changes = []
        for age in changes_days_ago:
            change = Transition.all_tenants.create(municipality=municipality, citizen=citizen, from_state="standard",
                                                   to_state="reminders")
            _age(Transition, change.pk, age)
            changes.append(change.pk)
        return track.pk, changes

    followed_track, followed_changes = follow_up(municipality, changes_days_ago=(300, 200, 10), since_days_ago=300,
                                                 left=False)
    left_old_track, left_old_changes = follow_up(municipality, changes_days_ago=(100,), since_days_ago=100, left=True)
    left_new_track, _ = follow_up(municipality, changes_days_ago=(), since_days_ago=20, left=True)
    there_track, there_changes = follow_up(other_municipality, changes_days_ago=(300, 10), since_days_ago=300,
                                           left=True)
    # when the purge runs
    result = purge_track_history.apply().get()
    # then Aarhus's two old changes of the followed citizen go (the newest stays), and the old track of the
    # citizen who left; the left citizen's only change (the newest) stays; København keeps everything
    assert result == {municipality.pk: {"transitions": 2, "tracks": 1},
                      other_municipality.pk: {"transitions": 0, "tracks": 0}}
    assert set(Transition.all_tenants.values_list("pk", flat=True)) == {
        followed_changes[2], *left_old_changes, *there_changes}
    assert set(CitizenInteraction.all_tenants.values_list("pk", flat=True)) == {
        followed_track, left_new_track, there_track}
    assert left_old_track not in set(CitizenInteraction.all_tenants.values_list("pk", flat=True))


def test_ended_enrolments_and_suggestions_go_after_the_period_and_use_events_after_five_financial_years(
        municipality, other_municipality):
    # given Aarhus keeps ended enrolments 60 days, København the default (730); in each an enrolment ended
    # 90 days ago, one ended 10 days ago, one still open since long ago, a suggestion 90 days old, and use
    # events from seven years ago (of an enrolment closed then, and of the still open one) and from this year
    from jobunivers.marketplace.models import Enrolment, OfferShare, UseEvent
    from jobunivers.marketplace.tasks import purge_marketplace
    from jobunivers.marketplace.tests import factories as market

    MunicipalitySettings.objects.filter(municipality=municipality).update(marketplace_retention_days=60)
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=7 * 365)
    kept: dict[int, set[int]] = {}
    for place in (municipality, other_municipality):
        citizen = CitizenFactory(municipality=place)
        curated = market.enabled(place, market.offer(provider_kind="vendor", kind="course"))
        old = market.enrolment(citizen, curated, status="completed", completed_at=now - datetime.timedelta(days=90),
                               enrolled_at=long_ago)
        recent = market.enrolment(citizen, curated, status="withdrawn",
                                  withdrawn_at=now - datetime.timedelta(days=10))
        open_one = market.enrolment(citizen, curated, enrolled_at=long_ago)
        share = OfferShare.all_tenants.create(municipality=place, citizen=citizen, municipal_offer=curated)
        _age(OfferShare, share.pk, 90)
        market.use_event(old, "enrolled", occurred_at=long_ago, subject="closed")
        market.use_event(old, "completed", occurred_at=long_ago + datetime.timedelta(days=30), subject="closed")
        open_enrolled = market.use_event(open_one, "enrolled", occurred_at=long_ago, subject="open")
        market.use_event(open_one, "session", occurred_at=long_ago, subject="open")
        this_year = market.use_event(open_one, "session", occurred_at=now, subject="open")
        kept[place.pk] = {open_enrolled.pk, this_year.pk}
        kept[-place.pk] = {recent.pk, open_one.pk} | ({old.pk} if place == other_municipality else set())
    # when the purge runs twice
    first = purge_marketplace.apply().get()
    second = purge_marketplace.apply().get()
    # then Aarhus lost its enrolment ended 90 days ago and its 90-day-old suggestion (København keeps both:
    # 730 days); both lost the events of seven years ago except the still open enrolment's `enrolled`; and
    # the second run found nothing more
    assert first[municipality.pk] == {"enrolments": 1, "shares": 1, "use_events": 3}
    assert first[other_municipality.pk] == {"enrolments": 0, "shares": 0, "use_events": 3}
    assert second[municipality.pk] == second[other_municipality.pk] == {"enrolments": 0, "shares": 0,
                                                                        "use_events": 0}
    assert set(UseEvent.all_tenants.values_list("pk", flat=True)) == kept[municipality.pk] | kept[
        other_municipality.pk]
    assert set(Enrolment.all_tenants.values_list("pk", flat=True)) == kept[-municipality.pk] | kept[
        -other_municipality.pk]
    assert OfferShare.all_tenants.filter(municipality=other_municipality).count() == 1
