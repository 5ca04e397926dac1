"""From facts to findings (pure, what is stored) and from findings to what a reader sees."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .contracts import DiagnosisView, StepView, TopicView
from .facts import CitizenFacts
from .modules import LEVEL_NAMES, LEVEL_ORDER, MODULES, MODULES_BY_KEY, OK, OK_REASONS, TOPICS

MAX_STEPS = 3


def findings_for(facts: CitizenFacts) -> list[dict]:
    """The modules that fire for these facts, in declaration order: [{"module", "topic", "level"}]."""
    return [{"module": m.key, "topic": m.topic, "level": m.level} for m in MODULES if m.rule(facts)]


def leading(findings: list[dict]) -> dict | None:
    """The finding the main sentence is about: the most serious one (declaration order breaks ties)."""
    ranked = sorted(enumerate(findings), key=lambda pair: (LEVEL_ORDER[pair[1]["level"]], pair[0]))
    return ranked[0][1] if ranked else None


def display_facts(facts: CitizenFacts, labels: dict[int, str]) -> dict:
    """The facts as the texts quote them, with occupation names in the reader's language."""
    shown = facts.as_dict()
    shown["occupation_label"] = ", ".join(labels[o] for o in facts.occupation_ids[:2] if o in labels)
    shown["neighbour_label"] = labels.get(facts.neighbour_occupation_id or 0, "")
    shown["tension_ratio"] = round(facts.seekers_nearby / facts.jobs_nearby, 1) if facts.jobs_nearby else 0
    missing = [str(_("work experience"))] if not facts.has_experience else []
    missing += [str(_("education"))] if not facts.has_education else []
    shown["missing_profile"] = str(_(" and ")).join(missing)
    shown["experience_word"] = str(_("yes")) if facts.has_experience else str(_("no"))
    shown["education_word"] = str(_("yes")) if facts.has_education else str(_("no"))
    return shown


def _search(shown: dict, *, occupation: str, radius: int) -> str:
    query: dict[str, str | int] = {"occupation": occupation, "radius": radius}
    if shown.get("home_postcode"):
        query["where"] = shown["home_postcode"]
    return f"{reverse('jobs:search')}?{urlencode(query)}"


def _reverse(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # the app is not installed here: the step is left out
        return ""


LINKS: dict[str, Callable[[dict], str]] = {
    "jobs_wider": lambda f: _search(f, occupation=f["occupation_label"].split(", ")[0], radius=f["wider_radius_km"]),
    "jobs_neighbour": lambda f: (_search(f, occupation=f["neighbour_label"], radius=f["radius_km"])
                                 if f.get("neighbour_label") else ""),
    "booking": lambda f: _reverse("booking:book"),
    "offers": lambda f: _reverse("marketplace:catalogue"),
    "job_log": lambda f: _reverse("citizens:job_log"),
    "feed": lambda f: _reverse("matching:feed"),
    "profile": lambda f: _reverse("citizens:profile"),
    "cv": lambda f: _reverse("citizens:cv"),
    # The hidden job market (issue 20, the employers app): linked once its page exists.
    "employers": lambda f: _reverse("employers:likely"),
}


def render(*, citizen_id: int, findings: list[dict], facts: CitizenFacts, labels: dict[int, str],
           answers: dict[tuple[str, str], str], computed_at: datetime.datetime | None) -> DiagnosisView:
    shown = display_facts(facts, labels)
    fired = {}
    for finding in findings:
        module = MODULES_BY_KEY.get(finding["module"])
        if module is not None and finding["topic"] not in fired:
            fired[finding["topic"]] = module  # the first (most important) module of each topic
    topics = []
    offered: set[str] = set()  # a step (e.g. "search wider") is offered once, under the first topic that has it
    for topic, name in TOPICS:
        module = fired.get(topic)
        if module is None:
            topics.append(TopicView(topic=topic, name=str(name), level=OK, level_name=str(LEVEL_NAMES[OK]), module="",
                                    reason=OK_REASONS[topic](shown), criteria=(), steps=()))
            continue
        open_steps: list[StepView] = []
        answered: list[StepView] = []
        for step in module.steps:
            url = LINKS[step.link](shown)
            if not url or step.key in offered:
                continue
            offered.add(step.key)
            view = StepView(module=module.key, key=step.key, text=step.text(shown), url=url,
                            answer=answers.get((module.key, step.key), ""))
            (answered if view.answer else open_steps).append(view)
        topics.append(TopicView(topic=topic, name=str(name), level=module.level,
                                level_name=str(LEVEL_NAMES[module.level]), module=module.key,
                                reason=module.reason(shown), criteria=tuple(module.criteria(shown)),
                                steps=tuple(open_steps[:MAX_STEPS]), answered=tuple(answered)))
    lead = leading([f for f in findings if f["module"] in MODULES_BY_KEY])
    if lead is None:
        sentence, level = str(_("You are on track — keep searching and logging your applications.")), OK
    else:
        module = MODULES_BY_KEY[lead["module"]]
        level = module.level
        sentence = module.headline(shown) if module.headline else module.reason(shown)
    return DiagnosisView(citizen_id=citizen_id, main_sentence=sentence, level=level,
                         level_name=str(LEVEL_NAMES[level]), topics=tuple(topics), computed_at=computed_at)
