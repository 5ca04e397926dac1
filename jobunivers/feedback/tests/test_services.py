import datetime

import pytest
from django.utils import timezone

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.dialogue.models import Message, Thread
from jobunivers.feedback import selectors, services
from jobunivers.feedback.models import PulseAnswer, PulseRequest
from jobunivers.notifications.models import Notification

from .helpers import answered, interaction, sent, token_of

pytestmark = pytest.mark.django_db


def test_a_question_is_sent_once_per_interaction_through_the_inbox(citizen):
    # given an interaction
    happened = interaction(citizen, kind="booking", key="booking:7")
    # when feedback is asked about it twice (the event arrived twice)
    first = services.pulse_request(interaction=happened)
    second = services.pulse_request(interaction=happened)
    # then one question, sent, valid 14 days, and one notice of kind "feedback" linking to the answer page
    assert first.pk == second.pk
    assert PulseRequest.all_tenants.count() == 1
    assert (first.status, first.sent_on) == ("sent", timezone.localdate())
    assert first.expires_at - first.created_at == pytest.approx(datetime.timedelta(days=14), abs=datetime.timedelta(seconds=5))
    notice = Notification.all_tenants.get(recipient=citizen.user)
    assert (notice.kind, notice.subject_key, notice.body) == (
        "feedback", f"feedback:{first.pk}", "Hvordan var din samtale med jobcentret?")
    prefix, token = notice.link[:len("/aarhus/tilbagemelding/")], notice.link[len("/aarhus/tilbagemelding/"):-1]
    assert prefix == "/aarhus/tilbagemelding/"
    assert selectors.request_for_token(token=token, municipality_id=citizen.municipality_id).request.pk == first.pk
    assert "Karen" not in notice.link and "Borgersen" not in notice.link


def test_never_more_than_one_question_a_day_the_others_are_skipped_and_counted(citizen, member):
    # given a question sent today
    now = timezone.now()
    sent(citizen, now=now)
    # when two more interactions happen the same day, and one the next day
    skipped = [services.pulse_request(interaction=interaction(citizen), now=now) for _n in range(2)]
    tomorrow = services.pulse_request(interaction=interaction(citizen), now=now + datetime.timedelta(days=1))
    # then the same day's are written as skipped (no notice), the next day's is sent
    assert [r.status for r in skipped] == ["skipped", "skipped"]
    assert [(r.sent_on, r.expires_at, r.nonce) for r in skipped] == [(None, None, ""), (None, None, "")]
    assert tomorrow.status == "sent"
    assert Notification.all_tenants.filter(recipient=citizen.user, kind="feedback").count() == 2
    found = selectors.ratings(actor=member("job_adviser", citizen.municipality),
                              municipality_id=citizen.municipality_id, month=timezone.localdate())
    assert (found.sent, found.skipped) == (2, 2)


def test_another_municipalitys_citizen_is_not_asked(citizen, other_municipality):
    # given an interaction that names a citizen of another municipality
    stranger = CitizenFactory(municipality=other_municipality)
    happened = interaction(stranger)
    wrong = type(happened)(**{**happened.__dict__, "municipality_id": citizen.municipality_id})
    # when feedback is asked
    result = services.pulse_request(interaction=wrong)
    # then nothing is written or sent
    assert result is None
    assert PulseRequest.all_tenants.count() == 0
    assert Notification.all_tenants.count() == 0


def test_an_unknown_kind_of_interaction_is_refused(citizen):
    with pytest.raises(ValidationFailed) as refused:
        services.pulse_request(interaction=interaction(citizen, kind="party"))
    assert refused.value.messages == {"kind": ["Ukendt slags interaktion."]}
    assert PulseRequest.all_tenants.count() == 0


def test_an_answer_is_stored_with_personal_data_removed(citizen):
    # given a sent question
    request = sent(citizen)
    # when the citizen answers 2 with a comment full of personal data
    answer = services.pulse_answer(
        request=request, score="2",
        text="Jeg hedder Karen Borgersen, cpr 010190-1234 eller 0101901234, ring 12 34 56 78 "
             "eller +45 87654321, skriv til karen@example.dk. Rådgiveren var for hurtig.")
    # then the score and the comment are stored, the personal data is gone
    answer.refresh_from_db()
    assert (answer.score, answer.yes, answer.unhappy, answer.wants_contact) == (2, None, True, False)
    assert answer.text == ("Jeg hedder [NAVN], cpr [CPR] eller [CPR], ring [TELEFON] eller [TELEFON], "
                           "skriv til [E-MAIL]. Rådgiveren var for hurtig.")
    assert (answer.kind, answer.service_label) == ("booking", "Videosamtale")


def test_a_second_answer_changes_nothing(citizen):
    # given an answered question
    request = sent(citizen)
    first = services.pulse_answer(request=request, score=5, text="Godt")
    # when the citizen answers again
    with pytest.raises(services.AlreadyAnswered) as refused:
        services.pulse_answer(request=request, score=1, text="Dårligt")
    # then a clear Danish message, and the first answer stays
    assert refused.value.messages == {"__all__": [
        "Du har allerede svaret på dette spørgsmål. Tak. Dit første svar er gemt, og intet er ændret."]}
    assert list(PulseAnswer.all_tenants.values_list("pk", "score", "text")) == [(first.pk, 5, "Godt")]


def test_an_expired_question_cannot_be_answered(citizen):
    # given a question sent 15 days ago
    request = sent(citizen, now=timezone.now() - datetime.timedelta(days=15))
    # when the citizen answers now
    with pytest.raises(services.LinkExpired):
        services.pulse_answer(request=request, score=4)
    # then nothing is written
    assert PulseAnswer.all_tenants.count() == 0


@pytest.mark.parametrize(("score", "text", "errors"), [
    ("9", "", {"score": ["Vælg et tal fra 1 til 5."]}),
    ("0", "", {"score": ["Vælg et tal fra 1 til 5."]}),
    ("fem", "", {"score": ["Vælg et tal fra 1 til 5."]}),
    (None, "", {"score": ["Vælg et tal fra 1 til 5."]}),
    ("3", "x" * 10_000, {"text": ["Skriv højst 2.000 tegn (du skrev 10.000)."]}),
])
def test_bad_input_is_refused_and_nothing_is_written(citizen, score, text, errors):
    request = sent(citizen)
    with pytest.raises(ValidationFailed) as refused:
        services.pulse_answer(request=request, score=score, text=text)
    assert refused.value.messages == errors
    assert PulseAnswer.all_tenants.count() == 0


def test_a_yes_no_question_takes_yes_or_no_only(citizen):
    request = sent(citizen, kind="assistant", service_key="card:dagpenge", service_label="Dagpenge")
    with pytest.raises(ValidationFailed) as refused:
        services.pulse_answer(request=request, yes="maybe")
    assert refused.value.messages == {"yes": ["Vælg ja eller nej."]}
    answer = services.pulse_answer(request=request, yes="no", score=5)
    assert (answer.score, answer.yes, answer.unhappy) == (None, False, True)


def test_an_unhappy_answer_with_text_asks_for_contact_in_a_thread_to_the_job_centre(citizen):
    # given a sent question
    request = sent(citizen)
    # when the citizen answers 1, writes what went wrong and asks for contact
    answer = services.pulse_answer(request=request, score=1, text="Ingen ringede mig op, Karen",
                                   wants_contact=True)
    # then a thread waits for the job centre, about this answer, with the citizen's own words
    thread = Thread.all_tenants.get(citizen=citizen)
    assert (thread.waiting_for, thread.about_kind, thread.about_id) == ("job_centre", "feedback", answer.pk)
    assert thread.subject == "Kontakt mig venligst om: Videosamtale"
    assert Message.all_tenants.get(thread=thread).text.endswith("Ingen ringede mig op, Karen")
    assert answer.contact_thread_id == thread.pk
    assert answer.text == "Ingen ringede mig op, [NAVN]"


@pytest.mark.parametrize(("score", "text", "errors"), [
    (4, "Fint", {"wants_contact": ["Du kan bede om at blive kontaktet, når du ikke var tilfreds."]}),
    (2, "   ", {"text": ["Skriv hvad der gik galt, så jobcentret ved, hvad de skal kontakte dig om."]}),
])
def test_contact_needs_an_unhappy_answer_with_text(citizen, score, text, errors):
    request = sent(citizen)
    with pytest.raises(ValidationFailed) as refused:
        services.pulse_answer(request=request, score=score, text=text, wants_contact=True)
    assert refused.value.messages == errors
    assert (PulseAnswer.all_tenants.count(), Thread.all_tenants.count()) == (0, 0)


def test_a_link_finds_its_question_and_a_forged_or_foreign_one_finds_nothing(citizen, other_municipality):
    # given a sent question and its link
    request = sent(citizen)
    token = token_of(request)
    # then the link finds it in its own municipality, open
    found = selectors.request_for_token(token=token, municipality_id=citizen.municipality_id)
    assert (found.request.pk, found.state) == (request.pk, "open")
    # and a changed character, a made-up token, or another municipality find nothing
    for bad, municipality_id in ((token[:-1] + ("A" if token[-1] != "A" else "B"), citizen.municipality_id),
                                 ("eyJyIjoxLCJuIjoieCJ9:forged:signature", citizen.municipality_id),
                                 (token, other_municipality.pk)):
        with pytest.raises(NotFound):
            selectors.request_for_token(token=bad, municipality_id=municipality_id)


def test_a_link_with_the_right_signature_but_another_key_finds_nothing(citizen):
    from jobunivers.feedback.tokens import make_token

    request = sent(citizen)
    with pytest.raises(NotFound):
        selectors.request_for_token(token=make_token(request_id=request.pk, nonce="guessed"),
                                    municipality_id=citizen.municipality_id)


def test_a_link_older_than_14_days_is_expired_and_an_answered_one_answered(citizen):
    old = sent(citizen, now=timezone.now() - datetime.timedelta(days=15))
    assert selectors.request_for_token(token=token_of(old), municipality_id=citizen.municipality_id).state == "expired"
    done = answered(citizen, score=3)
    assert selectors.request_for_token(token=token_of(done.request),
                                       municipality_id=citizen.municipality_id).state == "answered"
