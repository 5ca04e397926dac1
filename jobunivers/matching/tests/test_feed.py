import datetime

import pytest

from jobunivers.audit.services import consent_set
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound
from jobunivers.core.testing import client_for, murl
from jobunivers.matching import selectors, services
from jobunivers.matching.models import Feed, Interaction, RankingModel

from .helpers import citizen_seeking, occupation, posting, skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(municipality):
    carpenter = occupation("tømrer", "7115")
    bricklayer = occupation("murer", "7112")
    nurse = occupation("sygeplejerske", "2221")
    forklift = skill("truckcertifikat")
    jobs = {
        "carpenter_near": posting("Tømrer til renovering", carpenter),
        "carpenter_far": posting("Tømrer i Aalborg", carpenter, lat=57.048, lon=9.9187),
        "carpenter_needs_forklift": posting("Tømrer med truck", carpenter, skills=[(forklift, "must")]),
        "bricklayer_near": posting("Murer søges", bricklayer),
        "nurse_near": posting("Sygeplejerske", nurse),
        "carpenter_expired": posting("Tømrer, udløbet", carpenter, deadline_days=-1),
    }
    citizen = citizen_seeking(municipality, [carpenter])
    return citizen, jobs


def _ids(result):
    return [item.posting_id for item in result.items]


def test_the_feed_ranks_by_fit_and_explains_each_job(market, municipality):
    # given a carpenter in Aarhus with a 30 km radius
    citizen, jobs = market
    # when the feed is built
    with tenant_context(municipality):
        result = selectors.feed_for(citizen_id=citizen.pk)
    ids = _ids(result)
    # then the near carpenter job leads, a related trade is shown as widening, the rest are left out
    assert ids[0] == jobs["carpenter_near"].pk
    assert jobs["bricklayer_near"].pk in ids
    assert jobs["nurse_near"].pk not in ids or ids.index(jobs["nurse_near"].pk) > ids.index(jobs["bricklayer_near"].pk)
    assert jobs["carpenter_far"].pk in ids  # the same occupation, though beyond the radius
    assert jobs["carpenter_expired"].pk not in ids
    first = result.items[0]
    assert "Matcher dit ønske om at arbejde som tømrer" in [r.text_da for r in first.reasons]
    assert "Matches your wish to work as tømrer" in [r.text_en for r in first.reasons]
    assert "0 km fra din bopæl" not in [r.text_da for r in first.reasons]
    assert "1 km fra din bopæl" in [r.text_da for r in first.reasons]
    widened = next(i for i in result.items if i.posting_id == jobs["bricklayer_near"].pk)
    assert widened.widened is True
    assert widened.reasons[0].text_da == "Et beslægtet fag til tømrer: vist for at udvide din søgning"
    far = next(i for i in result.items if i.posting_id == jobs["carpenter_far"].pk)
    assert any("længere end dine 30 km" in r.text_da and not r.positive for r in far.reasons)
    assert result.model_version == "hand-1"


def test_a_missing_must_have_is_said_and_costs_score(market, municipality):
    citizen, jobs = market
    with tenant_context(municipality):
        result = selectors.feed_for(citizen_id=citizen.pk)
    items = {i.posting_id: i for i in result.items}
    needs = items[jobs["carpenter_needs_forklift"].pk]
    assert needs.score < items[jobs["carpenter_near"].pk].score
    assert [(r.text_da, r.positive) for r in needs.reasons if r.part == "skills"] == [
        ("Kræver truckcertifikat, som du ikke har angivet", False)]


def test_not_relevant_and_applied_jobs_are_not_shown_again(market, municipality):
    citizen, jobs = market
    services.recommendation_dismiss(actor=citizen.user, citizen=citizen, posting_id=jobs["carpenter_near"].pk,
                                    reason="distance")
    with tenant_context(municipality):
        ids = _ids(selectors.feed_for(citizen_id=citizen.pk))
    assert jobs["carpenter_near"].pk not in ids
    assert Interaction.all_tenants.get().reason == "distance"


def test_behaviour_shapes_the_feed_only_with_consent(market, municipality):
    # given a citizen who saved two bricklayer jobs
    citizen, jobs = market
    extra = posting("Murer 2", jobs["bricklayer_near"].occupation)
    for job in (jobs["bricklayer_near"], extra):
        services.recommendation_save(actor=citizen.user, citizen=citizen, posting_id=job.pk)
    with tenant_context(municipality):
        without = {i.posting_id: i for i in selectors.feed_for(citizen_id=citizen.pk).items}
    # when they consent to personalisation
    consent_set(user=citizen.user, purpose="personalisation", given=True)
    with tenant_context(municipality):
        result = selectors.feed_for(citizen_id=citizen.pk)
    with_consent = {i.posting_id: i for i in result.items}
    # then the signal part moves only with consent
    pid = jobs["bricklayer_near"].pk
    assert without[pid].parts["signals"] == 0.5
    assert with_consent[pid].parts["signals"] > 0.5
    assert with_consent[pid].score > without[pid].score
    assert result.personalised is True


def test_a_rejected_save_writes_nothing(market):
    citizen, jobs = market
    from jobunivers.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.recommendation_save(actor=citizen.user, citizen=citizen, posting_id=jobs["carpenter_expired"].pk + 999)
    assert Interaction.all_tenants.count() == 0


def test_the_feed_page_records_its_model_version_and_works_without_javascript(market, municipality):
    # given the citizen's feed page
    citizen, jobs = market
    client = client_for(citizen.user)
    response = client.get(murl(municipality, "matching:feed"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Tømrer til renovering" in html
    assert "Et beslægtet fag" in html
    feed = Feed.all_tenants.get()
    assert feed.model_version == "hand-1"
    assert feed.posting_ids[0] == jobs["carpenter_near"].pk
    # when they mark one as not relevant with a plain form post (no JavaScript)
    response = client.post(murl(municipality, "matching:dismiss", posting_id=jobs["carpenter_near"].pk),
                           {"feed": feed.pk, "reason": "hours"})
    # then they are sent back to the feed, and the job is gone from it
    assert response.status_code == 302
    assert "Tømrer til renovering" not in client.get(murl(municipality, "matching:feed")).content.decode()
    dismissal = Interaction.all_tenants.get(kind="dismiss")
    assert (dismissal.feed_id, dismissal.position, dismissal.reason) == (feed.pk, 0, "hours")


def test_htmx_actions_answer_with_a_fragment(market, municipality):
    citizen, jobs = market
    response = client_for(citizen.user).post(murl(municipality, "matching:save", posting_id=jobs["carpenter_near"].pk),
                                             HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<h1" not in response.content.decode()
    assert "Jobbet er gemt" in response.content.decode()


def test_an_invalid_dismiss_reason_is_refused(market, municipality):
    citizen, jobs = market
    response = client_for(citizen.user).post(murl(municipality, "matching:dismiss", posting_id=jobs["carpenter_near"].pk),
                                             {"reason": "made-up"})
    assert response.status_code == 302
    assert Interaction.all_tenants.count() == 0


def test_applied_logs_the_application_and_hides_the_job(market, municipality):
    from jobunivers.citizens.models import JobLogEntry

    citizen, jobs = market
    client_for(citizen.user).post(murl(municipality, "matching:applied", posting_id=jobs["carpenter_near"].pk))
    assert JobLogEntry.all_tenants.filter(citizen=citizen, posting=jobs["carpenter_near"]).count() == 1
    with tenant_context(municipality):
        assert jobs["carpenter_near"].pk not in _ids(selectors.feed_for(citizen_id=citizen.pk))


def test_staff_see_the_citizens_feed_and_the_look_up_is_logged(market, municipality, member):
    from jobunivers.audit.models import AccessLogEntry

    citizen, jobs = market
    adviser = member("job_adviser", municipality)
    response = client_for(adviser).get(murl(municipality, "matching:citizen_feed", citizen_id=citizen.pk))
    assert response.status_code == 200
    assert "Tømrer til renovering" in response.content.decode()
    assert AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk).count() == 1
    assert Feed.all_tenants.count() == 0  # staff looking is not the citizen being shown


def test_a_learned_model_is_used_and_its_version_recorded_when_active(market, municipality):
    citizen, jobs = market
    RankingModel.objects.create(version="ltr-test", method="test", is_active=True,
                                weights={"occupation": 1, "skills": 0, "semantic": 0, "distance": 0, "recency": 0,
                                         "conditions": 0, "signals": 0})
    with tenant_context(municipality):
        assert selectors.feed_for(citizen_id=citizen.pk).model_version == "ltr-test"


def test_the_start_page_shows_jobs_for_you(market, municipality):
    from jobunivers.citizens.services import welcome_mark_seen

    citizen, jobs = market
    welcome_mark_seen(actor=citizen.user, citizen=citizen)
    response = client_for(citizen.user).get(murl(municipality, "citizens:home"))
    assert response.status_code == 200
    assert "Tømrer til renovering" in response.content.decode()


def test_posting_vectors_are_kept_per_catalogue_snapshot(db, monkeypatch):
    import numpy as np

    from jobunivers.matching import vectors

    reads: list[list[int]] = []

    def fake(ids):
        reads.append(list(ids))
        return {pid: np.full(3, float(pid) + len(reads), dtype=np.float32) for pid in ids}

    monkeypatch.setattr(vectors, "_posting_vectors", fake)
    first = vectors.posting_vectors([1, 2], snapshot=("v1", 1.0))
    again = vectors.posting_vectors([2, 3], snapshot=("v1", 1.0))
    assert reads == [[1, 2], [3]]  # the kept vector is not read again
    assert again[2].tolist() == first[2].tolist()
    vectors.posting_vectors([2], snapshot=("v2", 2.0))  # the catalogue changed: read afresh
    assert reads[-1] == [2]


def test_a_posting_without_a_vector_is_not_looked_up_again_until_the_catalogue_changes(db, monkeypatch):
    import numpy as np

    from jobunivers.matching import vectors

    reads: list[list[int]] = []

    def fake(ids):  # posting 2 has no vector yet (its embedding is still being made)
        reads.append(list(ids))
        return {pid: np.full(3, float(pid), dtype=np.float32) for pid in ids if pid != 2}

    monkeypatch.setattr(vectors, "_posting_vectors", fake)
    first = vectors.posting_vectors([1, 2], snapshot=("n1", 1.0))
    again = vectors.posting_vectors([1, 2, 3], snapshot=("n1", 1.0))
    assert reads == [[1, 2], [3]]
    assert sorted(first) == [1] and sorted(again) == [1, 3]
    vectors.posting_vectors([2], snapshot=("n2", 2.0))  # rebuilt catalogue: a vector made since is found
    assert reads[-1] == [2]


def test_a_record_from_another_municipality_is_not_taken_on_trust(market, municipality, other_municipality):
    # given the carpenter's record, read while another municipality is in context
    citizen, jobs = market
    # when the feed is asked for with the record passed along (as the start page does)
    with tenant_context(municipality):
        own = selectors.feed_for(citizen_id=citizen.pk, citizen=citizen, limit=3)
    with tenant_context(other_municipality), pytest.raises(NotFound):
        selectors.feed_for(citizen_id=citizen.pk, citizen=citizen)
    # then it is used in the citizen's own municipality and refused like a missing one in the other
    assert _ids(own)[0] == jobs["carpenter_near"].pk


def test_a_changed_profile_is_embedded_at_once_so_the_next_feed_runs_no_model(
        market, municipality, django_capture_on_commit_callbacks, monkeypatch):
    from jobunivers.citizens.services import work_experience_add
    from jobunivers.matching.vectors import profile_text
    from jobunivers.taxonomy import embeddings
    from jobunivers.taxonomy.models import Embedding

    citizen, _jobs = market
    # when the citizen adds work experience (their profile's text changes)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(municipality):
        work_experience_add(actor=citizen.user, citizen=citizen, employer="Byg A/S", title="Tagtømrer",
                            started_on=datetime.date(2019, 3, 1), ended_on=datetime.date(2024, 6, 30))
    # then the new text's vector is in the cache already
    with tenant_context(municipality):
        text = profile_text(selectors.citizens.profile_for(citizen_id=citizen.pk))
    assert "Tagtømrer" in text
    assert Embedding.objects.filter(text_hash=embeddings.text_hash(text, "query")).count() == 1

    # and the next feed finds it there instead of running the model in the request
    def no_model(*args, **kwargs):
        raise AssertionError("the feed ran the model")

    monkeypatch.setattr(embeddings, "compute", no_model)
    with tenant_context(municipality):
        assert selectors.feed_for(citizen_id=citizen.pk).items
