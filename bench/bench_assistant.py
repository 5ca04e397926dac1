"""Assistant (issue 16): the public answer API and the page's form post, through the full stack.

Goal: answer p95 <= 150 ms on this machine, and within 20 x the bare page measured in the same run.
Questions: the test half of the labelled set (jobunivers/assistant/data/questions.tsv), each asked
once, so query vectors are computed per request (the real model, one thread) as in production.
Data: the national answer cards imported with their vectors into the bench database (once).
"""

from __future__ import annotations

from urllib.parse import urlencode

from bench.harness import (
    bare_baseline,
    database_label,
    emit,
    own_database,
    p95,
    setup,
    summary,
    timed_requests,
)

SLUG = "bench-assistant"


def _data():
    from jobunivers.assistant.cards import load_cards
    from jobunivers.assistant.models import AnswerCard
    from jobunivers.assistant.services import cards_import
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    municipality = Municipality.objects.filter(slug=SLUG).first() or MunicipalityFactory(
        code="9016", name="Assistentkommune", slug=SLUG)
    cards = load_cards()
    if AnswerCard.objects.filter(municipality__isnull=True, status="published").count() != len(cards):
        cards_import(cards=cards)
    return municipality


def main():
    own_database("assistant")
    setup()
    from django.conf import settings
    from django.test import Client

    from jobunivers.assistant.evaluation import load_questions

    settings.RATE_LIMITS["api"] = 10**9
    municipality = _data()
    questions = [r.question for r in load_questions() if r.split == "test"]
    client = Client()
    client.get(f"/api/v1/assistant/answer?{urlencode({'q': 'ledig', 'municipality': municipality.code})}")
    base = bare_baseline(client, n=300)
    paths = [f"/api/v1/assistant/answer?{urlencode({'q': q[:500], 'municipality': municipality.code})}"
             for q in questions]
    api = timed_requests(client, paths, warmup=0)
    emit("assistant", {
        "db": database_label(), "questions": len(questions), **summary(api, prefix="answer"),
        **summary(base, prefix="bare"), "ratio_p95": round(p95(api) / p95(base), 2),
        "goal_p95_ms": 150, "goal_ratio_p95": 20,
    })


if __name__ == "__main__":
    main()
