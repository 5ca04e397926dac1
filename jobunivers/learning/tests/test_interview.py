"""Interview practice (issue 18, ADR 0114): choose a job (saved, from the feed, or written), answer 5-8
questions in writing or aloud, review them against what a good answer covers; the practice is in the plan.
Bad input gets a Danish error and writes nothing; another citizen's practice is 404; export and erasure."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.privacy import registration_for
from jobunivers.citizens.models import PlanItem, PlanItemVersion
from jobunivers.citizens.services import job_save
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.learning import interview_bank, interview_services
from jobunivers.learning.models import InterviewAnswer, InterviewSession
from jobunivers.learning.retention import learning_purge
from jobunivers.learning.tests.helpers import citizen_of
from jobunivers.matching.tests.helpers import posting
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(world):
    return citizen_of(world.home, world.users["citizen"])


def _driver_job():
    job = posting("Chauffør til distributionskørsel", employer="Fragt ApS")
    type(job).objects.filter(pk=job.pk).update(isco_code="8332")
    return job


def _start(citizen, **kwargs):
    job = kwargs.pop("job", None) or f"posting-{_driver_job().pk}"
    return interview_services.interview_start(actor=citizen.user, citizen=citizen, job=job, **kwargs)


def _answers(session, *, spoken=()):
    data = {}
    for answer in _of(session).order_by("position"):
        if answer.position in spoken:
            data[f"spoken-{answer.position}"] = "on"
        else:
            data[f"answer-{answer.position}"] = f"Mit svar på spørgsmål {answer.position}."
    return data


def _of(session):
    return InterviewAnswer.all_tenants.filter(session=session)


def _rows():
    return (InterviewSession.all_tenants.count(), InterviewAnswer.all_tenants.count(), PlanItem.all_tenants.count())


# --- Starting ---------------------------------------------------------------------------------------------

def test_a_practice_for_a_saved_driving_job_asks_driving_questions_and_is_in_the_plan(citizen):
    # when the citizen starts seven questions for a driving job
    session = _start(citizen, count="7")
    # then the questions open and close like an interview and two of them are about driving
    answers = list(_of(session).order_by("position"))
    assert [a.position for a in answers] == [1, 2, 3, 4, 5, 6, 7]
    assert answers[0].question_text == "Fortæl lidt om dig selv." and answers[-1].question_key == "gen-19"
    assert sum(a.question_key.startswith("tra-") for a in answers) == 2
    first = interview_bank.question(answers[0].question_key)
    assert (answers[0].points, answers[0].tip) == (list(first.points), first.tip)
    assert (session.job_title, session.employer_name, session.isco_code, session.group_key, session.status) == (
        "Chauffør til distributionskørsel", "Fragt ApS", "8332", "transport", "answering")
    # and the plan holds it as an activity in progress, written by the citizen
    item = PlanItem.all_tenants.get()
    assert (item.title, item.item_type, item.status, item.created_by_kind, item.citizen_id) == (
        "Øv jobsamtale: Chauffør til distributionskørsel", "own_activity", "in_progress", "citizen", citizen.pk)
    assert item.link.endswith(f"/min-side/jobsamtale/{session.pk}/")


def test_a_written_occupation_the_taxonomy_knows_gets_its_groups_questions(citizen):
    from jobunivers.taxonomy.tests.factories import OccupationFactory

    OccupationFactory(preferred_label="warehouse worker", preferred_label_da="lagermedarbejder", isco_code="9333")
    session = _start(citizen, job="occupation", occupation="  lagermedarbejder ", count=8)
    assert (session.job_title, session.isco_code, session.group_key, session.posting_id) == (
        "lagermedarbejder", "9333", "lager", None)
    assert sum(a.question_key.startswith("lag-") for a in _of(session).all()) == 3


def test_an_occupation_nobody_knows_gets_the_general_questions(citizen):
    session = _start(citizen, job="occupation", occupation="Drømmejob", count=5)
    assert (session.isco_code, session.group_key) == ("", "")
    assert {a.question_key.split("-")[0] for a in _of(session).all()} <= {"gen", "svaer"}
    assert _of(session).count() == 5


@pytest.mark.parametrize(("job", "occupation", "count", "errors"), [
    ("", "", "6", {"job": ["Vælg det job, du vil øve dig til."]}),
    ("occupation", " x ", "6", {"occupation": ["Skriv det job, du vil øve dig til (2-200 tegn)."]}),
    ("occupation", "a" * 201, "6", {"occupation": ["Skriv det job, du vil øve dig til (2-200 tegn)."]}),
    ("posting-999999", "", "6", {"job": ["Jobannoncen findes ikke længere. Vælg et andet job."]}),
    ("posting-abc", "", "6", {"job": ["Jobannoncen findes ikke længere. Vælg et andet job."]}),
    ("occupation", "Kok", "9", {"count": ["Vælg fra 5 til 8 spørgsmål."]}),
    ("", "", "x", {"job": ["Vælg det job, du vil øve dig til."], "count": ["Vælg fra 5 til 8 spørgsmål."]}),
])
def test_a_bad_start_gets_a_danish_error_and_writes_nothing(citizen, job, occupation, count, errors):
    with pytest.raises(ValidationFailed) as refused:
        interview_services.interview_start(actor=citizen.user, citizen=citizen, job=job, occupation=occupation,
                                           count=count)
    assert refused.value.messages == errors
    assert _rows() == (0, 0, 0)


def test_staff_cannot_practise_for_a_citizen(citizen, world):
    with pytest.raises(ValidationFailed) as refused:
        interview_services.interview_start(actor=world.users[Role.JOB_ADVISER], citizen=citizen, job="occupation",
                                           occupation="Kok")
    assert refused.value.messages == {"__all__": ["Kun borgeren kan øve sig."]}
    assert _rows() == (0, 0, 0)


# --- Answering and the review -------------------------------------------------------------------------------

def test_answers_in_writing_and_aloud_then_the_review_marks_the_plan_done(citizen):
    session = _start(citizen, count=5)
    # when the citizen answers two questions aloud and three in writing
    interview_services.interview_answers_save(actor=citizen.user, session=session,
                                              answers=_answers(session, spoken=(2, 4)))
    session.refresh_from_db()
    answers = list(_of(session).order_by("position"))
    assert [(a.text, a.spoken) for a in answers] == [
        ("Mit svar på spørgsmål 1.", False), ("", True), ("Mit svar på spørgsmål 3.", False), ("", True),
        ("Mit svar på spørgsmål 5.", False)]
    assert session.status == "reviewing" and PlanItem.all_tenants.get().status == "in_progress"
    # and reviews them: the first point of question 1, all of question 2, none of the rest
    interview_services.interview_review(actor=citizen.user, session=session, covered={
        1: ["0"], 2: [str(n) for n in range(len(answers[1].points))], 3: [], 4: [], 5: []})
    session.refresh_from_db()
    assert [a.covered for a in _of(session).order_by("position")] == [
        [0], list(range(len(answers[1].points))), [], [], []]
    assert session.status == "done" and session.reviewed_at is not None
    # then the plan item is done, moved by the system
    item = PlanItem.all_tenants.get()
    assert item.status == "done"
    assert PlanItemVersion.all_tenants.filter(plan_item=item).order_by("-version").first().changed_by_kind == "system"


def test_an_empty_answer_gets_a_danish_error_and_nothing_is_saved(citizen):
    session = _start(citizen, count=5)
    data = _answers(session)
    data["answer-3"] = "   "
    data["answer-5"] = "x" * 3001
    with pytest.raises(ValidationFailed) as refused:
        interview_services.interview_answers_save(actor=citizen.user, session=session, answers=data)
    assert refused.value.messages == {
        "answer-3": ["Svar på spørgsmål 3: skriv dit svar, eller sæt flueben ved, at du svarede højt."],
        "answer-5": ["Skriv højst 3000 tegn."]}
    session.refresh_from_db()
    assert session.status == "answering"
    assert list(_of(session).values_list("text", "spoken").order_by().distinct()) == [("", False)]


def test_answering_twice_or_reviewing_before_answering_is_refused(citizen):
    session = _start(citizen, count=5)
    with pytest.raises(ValidationFailed) as early:
        interview_services.interview_review(actor=citizen.user, session=session, covered={})
    assert early.value.messages == {"__all__": ["Besvar spørgsmålene, før du gennemgår dine svar."]}
    interview_services.interview_answers_save(actor=citizen.user, session=session, answers=_answers(session))
    with pytest.raises(ValidationFailed) as twice:
        interview_services.interview_answers_save(actor=citizen.user, session=session, answers=_answers(session))
    assert twice.value.messages == {"__all__": ["Du har allerede besvaret spørgsmålene i denne øvelse."]}
    interview_services.interview_review(actor=citizen.user, session=session, covered={})
    with pytest.raises(ValidationFailed) as again:
        interview_services.interview_review(actor=citizen.user, session=session, covered={1: ["0"]})
    assert again.value.messages == {"__all__": ["Du har allerede gennemgået denne øvelse."]}
    assert list(_of(session).values_list("covered", flat=True).order_by().distinct()) == [[]]


@pytest.mark.parametrize("value", ["9", "-1", "x"])
def test_a_point_that_is_not_the_questions_is_refused_and_nothing_is_saved(citizen, value):
    session = _start(citizen, count=5)
    interview_services.interview_answers_save(actor=citizen.user, session=session, answers=_answers(session))
    with pytest.raises(ValidationFailed) as refused:
        interview_services.interview_review(actor=citizen.user, session=session, covered={1: ["0"], 2: [value]})
    assert refused.value.messages == {"covered-2": ["Vælg blandt punkterne til spørgsmål 2."]}
    session.refresh_from_db()
    assert session.status == "reviewing" and PlanItem.all_tenants.get().status == "in_progress"
    assert list(_of(session).values_list("covered", flat=True).order_by().distinct()) == [[]]


def test_deleting_an_unfinished_practice_cancels_its_plan_item_and_a_finished_one_keeps_done(citizen):
    unfinished, finished = _start(citizen, count=5), _start(citizen, count=5)
    interview_services.interview_answers_save(actor=citizen.user, session=finished, answers=_answers(finished))
    interview_services.interview_review(actor=citizen.user, session=finished, covered={})
    interview_services.interview_delete(actor=citizen.user, session=unfinished)
    interview_services.interview_delete(actor=citizen.user, session=finished)
    assert _rows()[:2] == (0, 0)
    assert sorted(PlanItem.all_tenants.values_list("status", flat=True)) == ["cancelled", "done"]


# --- The pages ----------------------------------------------------------------------------------------------

def test_the_start_page_offers_saved_jobs_and_writing_a_job(citizen, world):
    saved = posting("Lagermedarbejder", employer="Lager A/S")
    job_save(actor=citizen.user, citizen=citizen, posting_id=saved.pk)
    page = client_for(citizen.user).get(murl(world.home, "learning:interviews")).content.decode()
    assert "Øv en jobsamtale" in page and "Dine gemte job" in page
    assert f'value="posting-{saved.pk}"' in page and "Lagermedarbejder, Lager A/S" in page
    assert "Et job, jeg selv skriver" in page and "Du har ikke øvet dig endnu." in page


def test_the_whole_practice_through_the_pages(citizen, world):
    client = client_for(citizen.user)
    job = _driver_job()
    response = client.post(murl(world.home, "learning:interviews"), {"job": f"posting-{job.pk}", "count": "5"})
    session = InterviewSession.all_tenants.get()
    assert response.status_code == 302 and response["Location"] == murl(world.home, "learning:interview",
                                                                         session_id=session.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Jobsamtale: Chauffør til distributionskørsel" in page and "Spørgsmål 1 af 5" in page
    assert "Fortæl lidt om dig selv." in page and "En optagelse bliver på din enhed" in page
    assert "js/interview-recorder" in page
    # an empty answer: the page again with a Danish error, the written answers kept
    data = _answers(session)
    data.pop("answer-2")
    refused = client.post(murl(world.home, "learning:interview", session_id=session.pk), data)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "Svar på spørgsmål 2: skriv dit svar, eller sæt flueben ved, at du svarede højt." in text
    assert "Mit svar på spørgsmål 3." in text
    # then answered, reviewed, and listed with its points
    done = client.post(murl(world.home, "learning:interview", session_id=session.pk), _answers(session, spoken=(2,)))
    assert done["Location"] == murl(world.home, "learning:interview_review", session_id=session.pk)
    review = client.get(done["Location"]).content.decode()
    assert "Mit svar dækkede:" in review and "Du svarede højt." in review
    saved = client.post(done["Location"], {"covered-1": ["0", "1"], "covered-3": "0"}, follow=True).content.decode()
    assert "Din øvelse er færdig. Den står i din plan." in saved and "Du dækkede 3 af" in saved
    assert "Arbejd på:" in saved
    listing = client.get(murl(world.home, "learning:interviews")).content.decode()
    assert "Chauffør til distributionskørsel" in listing and "3 af" in listing and "punkter dækket" in listing


def test_a_start_without_a_job_shows_the_danish_error_on_the_page(citizen, world):
    response = client_for(citizen.user).post(murl(world.home, "learning:interviews"), {"count": "6"})
    assert response.status_code == 422
    assert "Vælg det job, du vil øve dig til." in response.content.decode()
    assert _rows() == (0, 0, 0)


def test_a_written_job_without_ticking_the_choice_is_taken_as_written(citizen, world):
    client_for(citizen.user).post(murl(world.home, "learning:interviews"), {"occupation": "Kok", "count": "5"})
    assert InterviewSession.all_tenants.get().job_title == "Kok"


def test_the_pages_follow_the_practice_step(citizen, world):
    session = _start(citizen, count=5)
    client = client_for(citizen.user)
    assert client.get(murl(world.home, "learning:interview_review", session_id=session.pk))["Location"] == murl(
        world.home, "learning:interview", session_id=session.pk)
    interview_services.interview_answers_save(actor=citizen.user, session=session, answers=_answers(session))
    assert client.get(murl(world.home, "learning:interview", session_id=session.pk))["Location"] == murl(
        world.home, "learning:interview_review", session_id=session.pk)


@pytest.mark.parametrize("name", ["learning:interview", "learning:interview_review"])
def test_another_citizens_practice_is_404_for_every_page_and_writes_nothing(citizen, world, name):
    other = citizen_of(world.home)
    session = _start(other, count=5)
    client = client_for(citizen.user)
    assert client.get(murl(world.home, name, session_id=session.pk)).status_code == 404
    assert client.post(murl(world.home, name, session_id=session.pk), _answers(session)).status_code == 404
    assert client.post(murl(world.home, "learning:interview_delete", session_id=session.pk)).status_code == 404
    assert InterviewSession.all_tenants.get().status == "answering"
    assert list(InterviewAnswer.all_tenants.values_list("text", flat=True).order_by().distinct()) == [""]


@pytest.mark.parametrize("role", [Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT, Role.MUNICIPALITY_ADMIN])
def test_staff_get_404_for_a_citizens_practice(citizen, world, role):
    session = _start(citizen, count=5)
    client = client_for(world.users[role])
    for name in ("learning:interviews", "learning:interview", "learning:interview_review"):
        kwargs = {} if name == "learning:interviews" else {"session_id": session.pk}
        assert client.get(murl(world.home, name, **kwargs)).status_code == 404


def test_deleting_through_the_page(citizen, world):
    session = _start(citizen, count=5)
    response = client_for(citizen.user).post(murl(world.home, "learning:interview_delete", session_id=session.pk),
                                             follow=True)
    assert "Øvelsen og dine svar er slettet." in response.content.decode()
    assert _rows()[:2] == (0, 0)


# --- Personal data ------------------------------------------------------------------------------------------

def test_the_export_holds_the_practices_and_written_answers_and_erasure_removes_only_the_citizens(citizen, world):
    session = _start(citizen, count=5)
    interview_services.interview_answers_save(actor=citizen.user, session=session,
                                              answers=_answers(session, spoken=(5,)))
    interview_services.interview_review(actor=citizen.user, session=session, covered={1: ["1"]})
    other = citizen_of(world.home)
    _start(other, count=5)
    sessions = registration_for(InterviewSession).export(citizen.user)
    answers = registration_for(InterviewAnswer).export(citizen.user)
    assert [(s["job"], s["employer"], s["status"]) for s in sessions] == [
        ("Chauffør til distributionskørsel", "Fragt ApS", "done")]
    first = _of(session).get(position=1)
    assert [(a["question"], a["answer"], a["answered_aloud"]) for a in answers] == [
        (a.question_text, a.text, a.spoken) for a in _of(session).order_by("position")]
    assert answers[0]["points_covered"] == [first.points[1]]
    registration_for(InterviewAnswer).erase(citizen.user)
    registration_for(InterviewSession).erase(citizen.user)
    assert list(InterviewSession.all_tenants.values_list("citizen_id", flat=True)) == [other.pk]
    assert InterviewAnswer.all_tenants.filter(session__citizen=citizen).count() == 0
    assert InterviewAnswer.all_tenants.count() == 5


def test_practices_go_after_the_period_counted_from_the_review_or_the_start(citizen, world):
    old = timezone.now() - datetime.timedelta(days=40)
    reviewed_long_ago, reviewed_lately, abandoned, fresh = (_start(citizen, count=5) for _ in range(4))
    for session in (reviewed_long_ago, reviewed_lately):
        interview_services.interview_answers_save(actor=citizen.user, session=session, answers=_answers(session))
        interview_services.interview_review(actor=citizen.user, session=session, covered={})
    InterviewSession.all_tenants.filter(pk__in=[reviewed_long_ago.pk, reviewed_lately.pk, abandoned.pk]).update(
        started_at=old)
    InterviewSession.all_tenants.filter(pk=reviewed_long_ago.pk).update(reviewed_at=old)
    elsewhere = citizen_of(world.other)
    _start(elsewhere, count=5)
    InterviewSession.all_tenants.filter(citizen=elsewhere).update(started_at=old)
    first = learning_purge(municipality_id=world.home.pk, retention_days=30)
    second = learning_purge(municipality_id=world.home.pk, retention_days=30)
    assert (first["interviews"], second["interviews"]) == (2, 0)
    assert set(InterviewSession.all_tenants.values_list("pk", flat=True)) == {
        reviewed_lately.pk, fresh.pk, InterviewSession.all_tenants.get(citizen=elsewhere).pk}
    assert InterviewAnswer.all_tenants.count() == 15
