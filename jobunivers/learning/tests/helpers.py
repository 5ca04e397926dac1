"""Small modules for tests, loaded through the same path as the data files (content.parse_module)."""

from __future__ import annotations

import datetime

from jobunivers.learning.content import parse_module
from jobunivers.learning.models import Module
from jobunivers.learning.services import modules_import

SOURCE = {"title": "Jobnet", "url": "https://www.jobnet.dk/"}


def question(text: str = "Hvad er rigtigt?", correct: int = 0) -> dict:
    return {"text_da": text, "choices_da": ["Det rigtige", "Det forkerte", "Noget tredje"], "correct": correct,
            "explanation_da": "Fordi det er det rigtige."}


def lesson(key: str, *, questions: int = 3, minutes: int = 5, title: str | None = None) -> dict:
    return {"key": key, "title_da": title or f"Lektion {key}", "title_en": f"Lesson {key}", "minutes": minutes,
            "body_da": f"Tekst til {key}.\n\n- punkt et\n- punkt to", "question": [
                question(f"Spørgsmål {n} i {key}?") for n in range(1, questions + 1)]}


def module_data(key: str = "proeve", *, title: str = "Prøvemodul", lessons: list[dict] | None = None,
                position: int = 0) -> dict:
    return {"module": {"key": key, "position": position, "title_da": title, "title_en": "Test module",
                       "summary_da": f"Resumé af {title}", "summary_en": "Summary",
                       "last_reviewed": datetime.date(2026, 12, 5), "owner": "Test", "sources": [SOURCE]},
            "lesson": lessons if lessons is not None else [lesson("en"), lesson("to")]}


def make_module(key: str = "proeve", *, municipality=None, title: str = "Prøvemodul",
                lessons: list[dict] | None = None) -> Module:
    """A published module (national, or `municipality`'s own) with two lessons of three questions."""
    data = parse_module(module_data(key, title=title, lessons=lessons), where="test")
    modules_import(modules=[data], municipality_id=municipality.pk if municipality else None,
                   withdraw_missing=False)
    owner = {"owner_municipality": municipality} if municipality else {"owner_municipality__isnull": True}
    return Module.objects.get(key=key, **owner)


def right_answers(lesson_obj, *, wrong: int = 0) -> dict[str, str]:
    """POST data answering every question of a lesson, the first `wrong` of them wrongly."""
    answers = {}
    for number, q in enumerate(lesson_obj.questions.order_by("position")):
        answers[f"question-{q.pk}"] = str((q.correct + 1) % len(q.choices_da) if number < wrong else q.correct)
    return answers


def citizen_of(municipality, user=None):
    from jobunivers.citizens.models import Citizen
    from jobunivers.citizens.tests.factories import CitizenFactory

    if user is not None:
        found = Citizen.all_tenants.filter(user=user).first()
        if found is not None:
            return found
        return CitizenFactory(municipality=municipality, user=user)
    return CitizenFactory(municipality=municipality)
