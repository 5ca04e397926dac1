import pytest

from jobunivers.matching import fanout
from jobunivers.matching.models import Interaction
from jobunivers.notifications.models import Notification, OutboxMessage
from jobunivers.tenancy.selectors import settings_for

from .helpers import citizen_seeking, occupation, posting

DEFAULT_DAILY_CAP = 3  # MunicipalitySettings.job_notices_per_day when the municipality has not changed it

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(municipality, other_municipality):
    carpenter, nurse = occupation("tømrer", "7115"), occupation("sygeplejerske", "2221")
    here = citizen_seeking(municipality, [carpenter])
    far_away = citizen_seeking(municipality, [carpenter], radius_km=5, code="9000")
    nurse_here = citizen_seeking(municipality, [nurse])
    elsewhere = citizen_seeking(other_municipality, [carpenter], code="2100")
    for citizen, email in ((here, "a@example.dk"), (far_away, "b@example.dk"), (nurse_here, "c@example.dk"),
                           (elsewhere, "d@example.dk")):
        citizen.user.email = email
        citizen.user.save(update_fields=["email"])
    return {"carpenter": carpenter, "nurse": nurse, "here": here, "far_away": far_away, "nurse_here": nurse_here,
            "elsewhere": elsewhere}


@pytest.fixture(autouse=True)
def _postcodes():
    from .helpers import postcode

    postcode("9000", "Aalborg", 57.048, 9.9187, "0851")
    postcode("2100", "København Ø", 55.7, 12.58, "0101")


def test_a_new_posting_notifies_the_citizens_it_matches_above_the_threshold(people, municipality):
    # given a carpenter job in Aarhus
    job = posting("Tømrer til nybyggeri", people["carpenter"])
    # when it is fanned out
    report = fanout.fanout_postings(posting_ids=[job.pk], index=fanout.build_index())
    # then only the carpenter near Aarhus is notified: not the nurse, not the one with a 5 km radius in Aalborg,
    # and not the carpenter in København (140 km away)
    notified = set(Notification.all_tenants.values_list("recipient_id", flat=True))
    assert notified == {people["here"].user_id}
    assert report.notices_created == 1
    assert report.matched_per_posting == {job.pk: 1}
    notice = Notification.all_tenants.get()
    assert (notice.kind, notice.subject_key, notice.link) == ("job_match", f"posting:{job.pk}",
                                                              f"/aarhus/job-til-dig/job/{job.pk}/")


def test_fanning_out_again_or_after_a_change_notifies_no_one_twice(people, municipality):
    job = posting("Tømrer til nybyggeri", people["carpenter"])
    index = fanout.build_index()
    fanout.fanout_postings(posting_ids=[job.pk], index=index)
    job.title = "Tømrer til nybyggeri (ændret)"
    job.save(update_fields=["title"])
    again = fanout.fanout_postings(posting_ids=[job.pk], index=index)
    assert again.notices_created == 0
    assert Notification.all_tenants.count() == 1
    assert OutboxMessage.all_tenants.filter(channel="email").count() == 1


def test_the_municipalitys_threshold_decides(people, municipality):
    job = posting("Tømrer til nybyggeri", people["carpenter"])
    municipal_settings = settings_for(municipality)
    municipal_settings.match_notification_threshold = 0.99
    municipal_settings.save()
    report = fanout.fanout_postings(posting_ids=[job.pk], index=fanout.build_index())
    assert report.notices_created == 0


def test_a_dismissed_posting_is_never_notified(people, municipality):
    job = posting("Tømrer til nybyggeri", people["carpenter"])
    Interaction.all_tenants.create(municipality=municipality, citizen=people["here"], posting=job, kind="dismiss")
    report = fanout.fanout_postings(posting_ids=[job.pk], index=fanout.build_index())
    assert report.notices_created == 0


def test_a_big_import_sends_each_citizen_at_most_three_notices(people, municipality):
    jobs = [posting(f"Tømrer {n}", people["carpenter"]) for n in range(6)]
    report = fanout.fanout_postings(posting_ids=[j.pk for j in jobs], index=fanout.build_index())
    assert report.notices_created == DEFAULT_DAILY_CAP


def test_the_posting_event_fans_out_after_commit(people, municipality, django_capture_on_commit_callbacks):
    from jobunivers.core.events import publish_on_commit
    from jobunivers.jobs.contracts import PostingsPublished

    job = posting("Tømrer til nybyggeri", people["carpenter"])
    with django_capture_on_commit_callbacks(execute=True):
        publish_on_commit(PostingsPublished(source="test", created_ids=(job.pk,)))
    assert set(Notification.all_tenants.values_list("recipient_id", flat=True)) == {people["here"].user_id}


def test_the_index_is_rebuilt_when_profiles_change(people, municipality):
    first = fanout.citizen_index(force=True)
    assert fanout.citizen_index() is first
    citizen_seeking(municipality, [people["nurse"]])
    assert fanout.citizen_index().size == first.size + 1


def _queued():
    return set(OutboxMessage.all_tenants.values_list("recipient_id", "subject_key", "channel", "status",
                                                     "notification__title", "notification__link"))


def test_the_same_batch_fanned_out_twice_queues_every_notice_once(people, municipality):
    # given a batch of postings in two trades
    jobs = [posting("Tømrer til nybyggeri", people["carpenter"]), posting("Sygeplejerske", people["nurse"])]
    index = fanout.build_index()
    # when the batch is fanned out twice
    first = fanout.fanout_postings(posting_ids=[j.pk for j in jobs], index=index)
    second = fanout.fanout_postings(posting_ids=[j.pk for j in jobs], index=index)
    # then the second run writes nothing, and no (citizen, kind, subject, channel) appears twice
    assert first.notices_created == 2
    assert (second.notices_created, second.deliveries_queued) == (0, 0)
    assert second.matched_per_posting == first.matched_per_posting
    keys = list(OutboxMessage.all_tenants.values_list("recipient_id", "kind", "subject_key", "channel"))
    assert len(keys) == len(set(keys)) and len(keys) > 0
    assert Notification.all_tenants.count() == 2


def test_a_batch_queues_the_same_notices_as_one_posting_at_a_time(people, municipality):
    from .helpers import skill

    welding = skill("svejsning")
    skilled = citizen_seeking(municipality, [people["carpenter"]], skills=[welding])
    skilled.user.email = "e@example.dk"
    skilled.user.save(update_fields=["email"])
    jobs = [posting("Tømrer til nybyggeri", people["carpenter"]),
            posting("Tømrer med svejsning", people["carpenter"], skills=[(welding, "must")], hours="part_time"),
            posting("Sygeplejerske", people["nurse"], days_old=20)]
    index = fanout.build_index()
    batch = fanout.fanout_postings(posting_ids=[j.pk for j in jobs], index=index)
    in_a_batch = _queued()
    Notification.all_tenants.all().delete()
    one_by_one = [fanout.fanout_postings(posting_ids=[j.pk], index=index) for j in jobs]
    assert _queued() == in_a_batch and len(in_a_batch) > 0
    assert batch.notices_created == sum(r.notices_created for r in one_by_one)
    candidates, scores = fanout.score_posting(index, fanout._posting_rows([jobs[1].pk])[0],
                                              skills=[(welding.pk, "must")], vector=None,
                                              weights=fanout.active_weights(), now=fanout.timezone.now())
    _, together = fanout.score_postings(index, fanout._posting_rows([jobs[1].pk]) * 2,
                                        skills={jobs[1].pk: [(welding.pk, "must")]}, vectors={},
                                        weights=fanout.active_weights(), now=fanout.timezone.now())
    assert len(candidates) == 4 and (together[:, 0] == together[:, 1]).all()
    assert abs(together[:, 0] - scores).max() < 1e-6


def test_a_posting_notifies_at_most_its_cap_of_citizens_the_best_first(people, municipality, monkeypatch):
    # given two more carpenters near Aarhus; the one next door scores best
    near = citizen_seeking(municipality, [people["carpenter"]], radius_km=50)
    for n, citizen in enumerate((near, citizen_seeking(municipality, [people["carpenter"]], radius_km=50,
                                                       hours_per_week=10))):
        citizen.user.email = f"cap{n}@example.dk"
        citizen.user.save(update_fields=["email"])
    job = posting("Tømrer til nybyggeri", people["carpenter"])
    monkeypatch.setattr(fanout, "MAX_NOTICES_PER_POSTING_PER_RUN", 2)
    report = fanout.fanout_postings(posting_ids=[job.pk], index=fanout.build_index())
    assert report.notices_created == 2 and report.matched_per_posting == {job.pk: 2}
    notified = set(Notification.all_tenants.values_list("recipient_id", flat=True))
    assert people["here"].user_id in notified and near.user_id in notified


def test_a_citizen_gets_the_best_three_of_a_big_batch(people, municipality):
    jobs = [posting(f"Tømrer {n}", people["carpenter"], days_old=1 + 10 * n) for n in range(5)]
    report = fanout.fanout_postings(posting_ids=[j.pk for j in jobs], index=fanout.build_index())
    subjects = set(Notification.all_tenants.filter(recipient_id=people["here"].user_id)
                   .values_list("subject_key", flat=True))
    assert subjects == {f"posting:{j.pk}" for j in jobs[:3]}  # the freshest score best
    assert report.notices_created == DEFAULT_DAILY_CAP
