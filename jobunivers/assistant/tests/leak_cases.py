"""Cross-municipality cases of the assistant: B's hand-offs, unanswered questions and local cards
are absent from A's lists and 404 as objects."""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _handoff(municipality, user, text):
    import datetime

    from jobunivers.assistant.models import Handoff

    return Handoff.all_tenants.create(municipality=municipality, citizen_user=user, reason="handoff",
                                      transcript=[{"who": "citizen", "text": text}],
                                      answer_expected_by=datetime.date(2030, 1, 2))


def _question(municipality, text):
    from jobunivers.assistant.models import Question

    return Question.all_tenants.create(municipality=municipality, text=text, outcome="handoff", token=text[:32])


def _card(municipality, key, title):
    import datetime

    from jobunivers.assistant.models import AnswerCard

    return AnswerCard.objects.create(municipality=municipality, key=key, topic="local", title_da=title,
                                     title_en=title, short_da="x", short_en="x", variants=[title],
                                     sources=[{"title": "s", "url": "https://www.borger.dk/"}],
                                     valid_from=datetime.date(2024, 1, 1), last_reviewed=datetime.date(2024, 1, 1),
                                     owner="B", status="in_review")


def _other_handoff_marker(world):
    _handoff(world.other, world.other_users["citizen"], "MARKEROTHERHANDOFF")
    return "MARKEROTHERHANDOFF", {}


def _other_question_marker(world):
    _question(world.other, "MARKEROTHERQUESTION")
    return "MARKEROTHERQUESTION", {}


def _other_card_marker(world):
    _card(world.other, "markerothercard", "MARKEROTHERCARD")
    return "MARKEROTHERCARD", {}


LIST_URLS = [
    ListLeakCase("assistant:staff_handoffs", _other_handoff_marker),
    ListLeakCase("assistant:unanswered", _other_question_marker),
    ListLeakCase("assistant:local_cards", _other_card_marker),
    ListLeakCase("assistant:ask", _other_card_marker),
]

OBJECT_URLS = [
    LeakCase("assistant:staff_handoff_answered",
             lambda w: {"handoff_id": _handoff(w.other, w.other_users["citizen"], "x").pk}, method="post"),
    LeakCase("assistant:draft_card", lambda w: {"question_id": _question(w.other, "other question").pk},
             method="post"),
    LeakCase("assistant:local_card_edit", lambda w: {"card_id": _card(w.other, "lokal-b", "B").pk}),
    LeakCase("assistant:local_card_submit", lambda w: {"card_id": _card(w.other, "lokal-b", "B").pk},
             method="post"),
    LeakCase("assistant:local_card_publish", lambda w: {"card_id": _card(w.other, "lokal-b", "B").pk},
             method="post"),
]

EXEMPT = {
    "api:assistant_answer": "public answers from national cards and the asked municipality's published cards",
    "assistant:feedback": "answers a question by its unguessable token, only within the request's municipality",
    "assistant:handoff": "creates the signed-in citizen's own hand-off in the request's municipality",
    "assistant:local_card_new": "an empty form; saving creates a card in the request's municipality",
}


def _home_handoff(world):
    _handoff(world.home, world.users["citizen"], "a question")
    return {}


ACCESS_LOG_CASES = [
    AccessLogCase("assistant:staff_handoffs", _home_handoff, Role.JOB_ADVISER),
    AccessLogCase("assistant:staff_handoff_answered",
                  lambda w: {"handoff_id": _handoff(w.home, w.users["citizen"], "q").pk}, Role.JOB_ADVISER,
                  method="post"),
]

NO_CITIZEN_DATA = {
    "assistant:unanswered": "questions with personal data stripped, not linked to a person on the page",
    "assistant:draft_card": "makes a draft card from a stripped question",
    "assistant:local_cards": "the municipality's answer cards",
    "assistant:local_card_new": "the municipality's answer cards",
    "assistant:local_card_edit": "the municipality's answer cards",
    "assistant:local_card_submit": "the municipality's answer cards",
    "assistant:local_card_publish": "the municipality's answer cards",
    "api:assistant_answer": "public answers from answer cards; nothing about a citizen",
}
