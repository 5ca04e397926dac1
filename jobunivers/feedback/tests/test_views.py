import datetime

import pytest
from django.test import Client
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.dialogue.models import Thread
from jobunivers.feedback.models import PulseAnswer
from jobunivers.tenancy.roles import Role

from .helpers import answer_url, answered, sent

pytestmark = pytest.mark.django_db


def test_the_link_works_without_signing_in_and_shows_only_the_question(citizen):
    # given a sent question
    request = sent(citizen)
    # when someone who is not signed in opens its link
    response = Client().get(answer_url(request))
    # then the question is there, and nothing about the citizen
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hvordan var din samtale med jobcentret?" in page
    assert "Karen" not in page and "Borgersen" not in page and citizen.user.email not in page
    assert "Videosamtale" not in page
    assert response["Referrer-Policy"] == "same-origin"


def test_one_tap_and_a_comment_are_saved_and_a_second_answer_changes_nothing(citizen):
    # given a sent question
    request = sent(citizen)
    url = answer_url(request)
    # when the citizen answers 4 with a comment, and then tries again with 1
    first = Client().post(url, {"score": "4", "text": "Fin samtale"})
    again = Client().post(url, {"score": "1", "text": "Nej"})
    # then the first answer is kept, the second gets a clear Danish message
    assert first.status_code == 200 and "Tak for dit svar" in first.content.decode()
    assert again.status_code == 409
    assert "Du har allerede svaret på dette spørgsmål. Tak. Dit første svar er gemt, og intet er ændret." in \
        again.content.decode()
    assert list(PulseAnswer.all_tenants.values_list("score", "text")) == [(4, "Fin samtale")]


@pytest.mark.parametrize(("data", "message"), [
    ({"score": "9"}, "Vælg et tal fra 1 til 5."),
    ({"score": ""}, "Vælg et tal fra 1 til 5."),
    ({"score": "3", "text": "x" * 10_000}, "Skriv højst 2.000 tegn (du skrev 10.000)."),
    ({"score": "5", "text": "Fint", "wants_contact": "1"},
     "Du kan bede om at blive kontaktet, når du ikke var tilfreds."),
])
def test_bad_answers_get_a_danish_error_and_nothing_is_written(citizen, data, message):
    response = Client().post(answer_url(sent(citizen)), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PulseAnswer.all_tenants.count() == 0


def test_an_expired_link_says_so_and_takes_no_answer(citizen):
    request = sent(citizen, now=timezone.now() - datetime.timedelta(days=15))
    shown = Client().get(answer_url(request))
    posted = Client().post(answer_url(request), {"score": "5"})
    assert (shown.status_code, posted.status_code) == (410, 410)
    assert "Linket er udløbet." in shown.content.decode()
    assert PulseAnswer.all_tenants.count() == 0


def test_a_forged_link_or_one_from_another_municipality_is_not_found(citizen, other_municipality):
    request = sent(citizen)
    url = answer_url(request)
    assert Client().get(url[:-3] + "xx/").status_code == 404
    assert Client().get(murl(other_municipality, "feedback:answer", token=url.split("/")[-2])).status_code == 404
    assert Client().post(url[:-3] + "xx/", {"score": "1"}).status_code == 404
    assert PulseAnswer.all_tenants.count() == 0


def test_an_unhappy_answer_asks_for_contact_and_staff_see_the_thread(citizen, member, municipality):
    # given a sent question
    request = sent(citizen)
    # when the citizen answers 1, explains and asks for contact
    response = Client().post(answer_url(request), {"score": "1", "text": "Ingen hjalp mig", "wants_contact": "1"})
    # then they are told the job centre will contact them, and the team inbox shows the thread
    assert "Vi har bedt jobcentret om at kontakte dig." in response.content.decode()
    thread = Thread.all_tenants.get(citizen=citizen)
    inbox = client_for(member(Role.JOB_ADVISER, municipality)).get(murl(municipality, "dialogue:team_inbox"))
    assert thread.subject in inbox.content.decode()


def test_the_ratings_page_shows_figures_from_5_answers_and_suppresses_smaller_cells(municipality, member,
                                                                                     django_assert_max_num_queries):
    # given 5 answers about one offer (2, 2, 4, 4, 5) and 2 about another, this month
    for score in (2, 2, 4, 4, 5):
        answered(CitizenFactory(municipality=municipality), score=score, kind="marketplace",
                 service_key="offer:1", service_label="CV-værksted")
    for score in (1, 5):
        answered(CitizenFactory(municipality=municipality), score=score, kind="marketplace",
                 service_key="offer:2", service_label="Lille kursus")
    staff = client_for(member(Role.JOB_ADVISER, municipality))
    # when staff open the ratings page
    with django_assert_max_num_queries(13):
        response = staff.get(murl(municipality, "feedback:ratings"))
    page = response.content.decode()
    # then the offer with 5 answers shows its average 3.4 and 2 unhappy (as "< 5"), the other only "< 5"
    assert response.status_code == 200
    assert ('<tr data-kind="marketplace" data-service="offer:1">\n    <th scope="row">CV-værksted</th>'
            '<td>Tilbud på markedspladsen</td>\n    <td>5</td>\n    <td>3,4</td>') in page
    assert ('<tr data-kind="marketplace" data-service="offer:2">\n    <th scope="row">Lille kursus</th>'
            '<td>Tilbud på markedspladsen</td>\n    <td><abbr title="færre end 5">&lt; 5</abbr></td>\n    <td>–</td>'
            ) in page
    # and the type row counts all 7 (average of 1, 2, 2, 4, 4, 5, 5)
    assert ('<tr data-kind="marketplace">\n    <th scope="row">Tilbud på markedspladsen</th>\n    <td>7</td>\n'
            '    <td>3,3</td>') in page


def test_administrators_see_ratings_but_not_the_comments_and_citizens_neither(municipality, member, citizen):
    admin = client_for(member(Role.MUNICIPALITY_ADMIN, municipality))
    assert admin.get(murl(municipality, "feedback:ratings")).status_code == 200
    assert "Søg i kommentarerne" not in admin.get(murl(municipality, "feedback:ratings")).content.decode()
    assert admin.get(murl(municipality, "feedback:comments"), {"q": "kursus"}).status_code == 403
    assert client_for(citizen.user).get(murl(municipality, "feedback:ratings")).status_code == 403
    assert Client().get(murl(municipality, "feedback:ratings")).status_code == 302


def test_staff_search_comments_of_their_own_municipality_and_the_search_is_logged(municipality, other_municipality,
                                                                                  member):
    # given comments in both municipalities with the same word
    answered(CitizenFactory(municipality=municipality), score=2, text="Kurset var for svært")
    answered(CitizenFactory(municipality=other_municipality), score=2, text="Kurset var svært MARKEROTHER")
    adviser = member(Role.JOB_ADVISER, municipality)
    # when staff search for "svært"
    response = client_for(adviser).get(murl(municipality, "feedback:comments"), {"q": "svært"})
    # then they find their municipality's comment only, and the search is in the access log with its criterion
    page = response.content.decode()
    assert "Kurset var for svært" in page and "MARKEROTHER" not in page
    assert "1 kommentar" in page
    entry = AccessLogEntry.all_tenants.get(actor_user_id=adviser.pk)
    assert (entry.action, entry.citizen_id, entry.what, entry.criterion, entry.municipality_id) == (
        "search", None, "feedback comments", "svært", municipality.pk)


def test_an_empty_search_shows_the_form_and_logs_nothing(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    response = client_for(adviser).get(murl(municipality, "feedback:comments"), {"q": " s "})
    assert response.status_code == 200
    assert AccessLogEntry.all_tenants.filter(actor_user_id=adviser.pk).count() == 0
