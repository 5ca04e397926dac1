import datetime

import pytest
from django.test import Client

from jobunivers.assistant.models import AnswerCard, CardStatus, Handoff, Question
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def test_a_signed_out_visitor_gets_the_answer_with_sources_and_a_sign_in_link(cards, calibration, municipality):
    response = Client().post(murl(municipality, "assistant:ask"), {"q": "hvordan melder jeg mig ledig"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-live="polite"' in html
    assert "Sådan melder du dig ledig" in html and "https://www.jobnet.dk/" in html
    assert "Gælder fra" in html and "Fik du svar?" in html
    assert "log-ind" in html
    assert Question.all_tenants.get().outcome == "answered"


def test_htmx_gets_only_the_answer(cards, calibration, municipality):
    response = Client().post(murl(municipality, "assistant:ask"), {"q": "hvordan melder jeg mig ledig"},
                             HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Sådan melder du dig ledig" in html and 'hx-swap-oob="true"' in html


@pytest.mark.parametrize("text", ["", "😀" * 20, "<script>alert(1)</script>", "x" * 10_000, "010203-1234"])
def test_bad_input_on_the_page_is_never_a_500(cards, calibration, municipality, text):
    response = Client().post(murl(municipality, "assistant:ask"), {"q": text})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert not Question.all_tenants.filter(text__contains="010203").exists()


def test_a_cpr_number_is_stripped_before_the_question_is_stored(cards, calibration, municipality, member):
    user = member(Role.CITIZEN, municipality)
    client_for(user).post(murl(municipality, "assistant:ask"), {"q": "Mit cpr er 0102031234 og jeg er ledig"})
    assert Question.all_tenants.get().text == "Mit cpr er [CPR] og jeg er ledig"


def test_feedback_yes_and_no_is_stored(cards, calibration, municipality):
    client = Client()
    client.post(murl(municipality, "assistant:ask"), {"q": "hvordan melder jeg mig ledig"})
    question = Question.all_tenants.get()
    client.post(murl(municipality, "assistant:feedback"), {"token": question.token, "helpful": "no"})
    question.refresh_from_db()
    assert question.helpful is False


def test_crisis_shows_the_lines_and_hands_off_at_once(cards, municipality, member):
    user = member(Role.CITIZEN, municipality)
    html = client_for(user).post(murl(municipality, "assistant:ask"), {"q": "jeg vil ikke leve mere"}).content.decode()
    assert "70 201 201" in html and "112" in html
    handoff = Handoff.all_tenants.get()
    assert (handoff.reason, handoff.state, handoff.citizen_user_id) == ("crisis", "waiting", user.pk)


def test_own_case_is_handed_to_the_job_centre_with_transcript_and_expected_date(cards, municipality, member):
    user = member(Role.CITIZEN, municipality)
    client = client_for(user)
    html = client.post(murl(municipality, "assistant:ask"), {"q": "Hvorfor har I stoppet mine penge?"}).content.decode()
    assert "Send mit spørgsmål til jobcentret" in html
    response = client.post(murl(municipality, "assistant:handoff"), {
        "reason": "own_case", "q": "Hvorfor har I stoppet mine penge? Ring 12345678", "previous": "", "tried": ""})
    handoff = Handoff.all_tenants.get()
    assert handoff.transcript == [{"who": "citizen", "text": "Hvorfor har I stoppet mine penge? Ring [TELEFON]"}]
    assert handoff.answer_expected_by > datetime.date.today()
    assert f"A-{handoff.pk}" in response.content.decode()


def test_a_signed_out_visitor_cannot_hand_off(municipality):
    response = Client().post(murl(municipality, "assistant:handoff"), {"reason": "handoff", "q": "x"})
    assert response.status_code == 302 and Handoff.all_tenants.count() == 0


def test_staff_see_handoffs_and_mark_them_answered(cards, municipality, member):
    citizen = member(Role.CITIZEN, municipality)
    client_for(citizen).post(murl(municipality, "assistant:handoff"), {"reason": "handoff", "q": "Kan I hjælpe?"})
    adviser = client_for(member(Role.JOB_ADVISER, municipality))
    html = adviser.get(murl(municipality, "assistant:staff_handoffs")).content.decode()
    assert "Kan I hjælpe?" in html
    handoff = Handoff.all_tenants.get()
    adviser.post(murl(municipality, "assistant:staff_handoff_answered", handoff_id=handoff.pk))
    handoff.refresh_from_db()
    assert handoff.state == "answered"


def test_unanswered_questions_per_week_and_one_click_draft_then_review_by_another(cards, municipality, member):
    Question.all_tenants.create(municipality=municipality, text="Hvor ligger jobcentret?", outcome="handoff", token="t1")
    writer, reviewer = member(Role.JOB_ADVISER, municipality), member(Role.MUNICIPALITY_ADMIN, municipality)
    client = client_for(writer)
    html = client.get(murl(municipality, "assistant:unanswered")).content.decode()
    assert "Hvor ligger jobcentret?" in html
    question = Question.all_tenants.get()
    client.post(murl(municipality, "assistant:draft_card", question_id=question.pk))
    card = AnswerCard.objects.get(municipality=municipality)
    assert (card.status, card.variants) == (CardStatus.DRAFT, ["Hvor ligger jobcentret?"])
    client.post(murl(municipality, "assistant:local_card_edit", card_id=card.pk), {
        "key": "jobcentrets-adresse", "topic": "local", "audience": "both", "title_da": "Jobcentrets adresse",
        "title_en": "The job centre's address", "short_da": "Vi bor på Torvet 1.", "short_en": "We are at Torvet 1.",
        "variants": "Hvor ligger jobcentret?\nadresse jobcenter", "sources": "Kommunen | https://www.borger.dk/",
        "valid_from": "2026-01-01"})
    client.post(murl(municipality, "assistant:local_card_submit", card_id=card.pk))
    client.post(murl(municipality, "assistant:local_card_publish", card_id=card.pk))
    card.refresh_from_db()
    assert card.status == CardStatus.IN_REVIEW  # the writer cannot publish their own card
    client_for(reviewer).post(murl(municipality, "assistant:local_card_publish", card_id=card.pk))
    card.refresh_from_db()
    assert (card.status, card.reviewed_by_id) == (CardStatus.PUBLISHED, reviewer.pk)


def test_the_page_is_in_the_citizen_menu(municipality, member):
    html = client_for(member(Role.CITIZEN, municipality)).get(murl(municipality, "assistant:ask")).content.decode()
    assert "Spørg assistenten" in html
