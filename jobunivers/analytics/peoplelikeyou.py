"""What worked for people like you: the nightly, national, anonymous aggregate behind the start page's
"Andre med en profil som din fik job som …" (ADR 0130).

"A profile like yours" is the ISCO-08 unit group (4 digits) of the citizen's main wished occupation (the first
they chose that has an ISCO code). A unit group whose people yield no figure of at least MIN_PEOPLE is pooled
with the other such unit groups of its minor group (3 digits). The keys are therefore disjoint: a person counts
under one key only, so no figure can be subtracted from another to single out fewer than MIN_PEOPLE people.

For each key, from the people with that key who found a job in the period (any source says so, ADR 0097):
- how many they are (kind "people");
- the most common occupations of the jobs they found (kind "occupation"; the register's occupation before the
  job centre's before the citizen's own, on their latest job in the period);
- the courses most of them used before the job (kind "course"; marketplace offers they enrolled in, modules of
  the national learning library they started, on or before the day the job started).
Only cells of at least MIN_PEOPLE distinct people are written; the table holds no citizen, no municipality and
no date finer than the period. Rebuilt whole in one transaction: running it twice gives the same table.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation

from .models import MIN_PEOPLE, ExitReason, FigureKind, OutcomeSource, PeopleLikeYouFigure, UnemploymentSpell

PERIOD_DAYS = 730       # jobs found in the last two years (ADR 0130)
TOP = 3                 # occupations and courses kept per key
SOURCE_TRUST: dict[str, int] = {OutcomeSource.REGISTER.value: 0, OutcomeSource.STAFF.value: 1,
                                OutcomeSource.CITIZEN.value: 2}


@dataclass(frozen=True)
class BuildReport:
    keys: int
    figures: int


@dataclass
class _Person:
    job_day: datetime.date
    occupation_id: int | None
    courses: frozenset[str] = frozenset()


def unit_and_minor(isco_code: str) -> tuple[str, str]:
    """("2512", "251") for a unit group; ("", "251") when only the minor group is known; ("", "") otherwise."""
    code = (isco_code or "").strip()
    if not code.isdigit() or len(code) < 3:
        return "", ""
    return (code if len(code) == 4 else ""), code[:3]


def _people(*, period_from: datetime.date, today: datetime.date) -> dict[int, _Person]:
    """Citizen id -> their latest job found in the period and the occupation the most trusted source gives."""
    rows = UnemploymentSpell.all_tenants.filter(exit_reason=ExitReason.JOB, ended_on__gte=period_from,
                                                ended_on__lte=today).values_list(
        "citizen_id", "source", "ended_on", "job_occupation_id")
    by_citizen: dict[int, list[tuple[str, datetime.date, int | None]]] = defaultdict(list)
    for citizen_id, source, ended_on, occupation_id in rows:
        if ended_on is not None:  # always, by the filter; said for the type checker
            by_citizen[citizen_id].append((source, ended_on, occupation_id))
    people = {}
    for citizen_id, spells in by_citizen.items():
        job_day = max(ended_on for _source, ended_on, _occupation in spells)
        told = sorted((s for s in spells if s[2] is not None),
                      key=lambda s: (SOURCE_TRUST.get(s[0], 9), -s[1].toordinal()))
        people[citizen_id] = _Person(job_day=job_day, occupation_id=told[0][2] if told else None)
    return people


def _courses(people: dict[int, _Person]) -> None:
    """Each person's courses used on or before their job day: "offer:<id>" and "module:<id>"."""
    from jobunivers.learning.selectors import first_national_module_uses
    from jobunivers.marketplace.selectors import first_enrolments_of

    used: dict[int, set[str]] = defaultdict(set)
    for offer_id, citizen_id, day in first_enrolments_of(citizen_ids=people):
        if day <= people[citizen_id].job_day:
            used[citizen_id].add(f"offer:{offer_id}")
    for module_id, citizen_id, day in first_national_module_uses(citizen_ids=people):
        if day <= people[citizen_id].job_day:
            used[citizen_id].add(f"module:{module_id}")
    for citizen_id, items in used.items():
        people[citizen_id].courses = frozenset(items)


def _cells(group: Iterable[_Person]) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """(people, [(occupation item, people)], [(course item, people)]) keeping only cells of MIN_PEOPLE or more,
    the largest first (ties by item, so the result does not depend on the order of the rows)."""
    group = list(group)
    occupations = Counter(f"occupation:{p.occupation_id}" for p in group if p.occupation_id is not None)
    courses = Counter(item for p in group for item in p.courses)

    def top(counter: Counter) -> list[tuple[str, int]]:
        kept = [(item, n) for item, n in counter.items() if n >= MIN_PEOPLE]
        return sorted(kept, key=lambda pair: (-pair[1], pair[0]))[:TOP]

    return len(group), top(occupations), top(courses)


def _labels(items: set[str]) -> dict[str, tuple[str, str]]:
    """item -> (Danish label, English label), read once at build time so the start page reads no other app."""
    from jobunivers.learning.selectors import module_titles
    from jobunivers.marketplace.selectors import offer_titles_by_id
    from jobunivers.taxonomy.selectors import occupation_labels

    ids: dict[str, list[int]] = defaultdict(list)
    for item in items:
        kind, _colon, number = item.partition(":")
        ids[kind].append(int(number))
    labels: dict[str, tuple[str, str]] = {}
    with translation.override("da"):
        danish = occupation_labels(ids["occupation"])
    with translation.override("en"):
        english = occupation_labels(ids["occupation"])
    for occupation_id in ids["occupation"]:
        labels[f"occupation:{occupation_id}"] = (danish[occupation_id].text if occupation_id in danish else "",
                                                 english[occupation_id].text if occupation_id in english else "")
    for offer_id, title in offer_titles_by_id(offer_ids=ids["offer"]).items():
        labels[f"offer:{offer_id}"] = (title, title)  # offers have one title, written by the vendor
    for module_id, (title_da, title_en) in module_titles(module_ids=ids["module"]).items():
        labels[f"module:{module_id}"] = (title_da, title_en or title_da)
    return labels


def people_like_you_build(*, today: datetime.date | None = None) -> BuildReport:
    """Rebuild the whole table from today's data (idempotent; one transaction, so the start page never sees
    half a table)."""
    from jobunivers.citizens.selectors import main_isco_codes

    today = today or timezone.localdate()
    period_from = today - datetime.timedelta(days=PERIOD_DAYS)
    people = _people(period_from=period_from, today=today)
    keys = main_isco_codes(citizen_ids=people)
    people = {citizen_id: person for citizen_id, person in people.items() if citizen_id in keys}
    _courses(people)

    by_unit: dict[str, list[_Person]] = defaultdict(list)
    pooled: dict[str, list[_Person]] = defaultdict(list)
    for citizen_id, person in people.items():
        unit, minor = unit_and_minor(keys[citizen_id])
        if unit:
            by_unit[unit].append(person)
        elif minor:
            pooled[minor].append(person)
    found: dict[str, tuple[int, list, list]] = {}
    for unit, group in by_unit.items():
        count, occupations, courses = _cells(group)
        if occupations or courses:
            found[unit] = (count, occupations, courses)
        else:  # nothing to say about this unit group alone: its people join the minor group's pool
            pooled[unit[:3]].extend(group)
    for minor, group in pooled.items():
        count, occupations, courses = _cells(group)
        if occupations or courses:
            found[minor] = (count, occupations, courses)

    labels = _labels({item for _n, occupations, courses in found.values() for item, _m in occupations + courses})
    figures = []
    for key, (count, occupations, courses) in sorted(found.items()):
        common = {"profile_key": key, "period_from": period_from, "period_to": today, "built_on": today}
        figures.append(PeopleLikeYouFigure(kind=FigureKind.PEOPLE, item="", people=count, rank=0, **common))
        for kind, cells in ((FigureKind.OCCUPATION, occupations), (FigureKind.COURSE, courses)):
            for rank, (item, n) in enumerate(cells, start=1):
                label_da, label_en = labels.get(item, ("", ""))
                figures.append(PeopleLikeYouFigure(kind=kind, item=item, people=n, rank=rank, label_da=label_da[:255],
                                                   label_en=label_en[:255], **common))
    with transaction.atomic():
        PeopleLikeYouFigure.objects.all().delete()
        PeopleLikeYouFigure.objects.bulk_create(figures)
    return BuildReport(keys=len(found), figures=len(figures))


# --- What the start page reads ------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureLine:
    label: str
    people: int


@dataclass(frozen=True)
class PeopleLikeYou:
    profile_key: str
    is_minor_group: bool
    people: int
    period_from: datetime.date
    period_to: datetime.date
    occupations: tuple[FigureLine, ...]
    courses: tuple[FigureLine, ...]


def figures_for(isco_code: str) -> PeopleLikeYou | None:
    """The figures for a main wished occupation's ISCO code: its unit group's, else its minor group's; None when
    there are none. One indexed query (the unique constraint's index starts with profile_key)."""
    unit, minor = unit_and_minor(isco_code)
    wanted = [key for key in (unit, minor) if key]
    if not wanted:
        return None
    rows = list(PeopleLikeYouFigure.objects.filter(profile_key__in=wanted).order_by("kind", "rank"))
    if not rows:
        return None
    key = unit if any(row.profile_key == unit for row in rows) else minor
    rows = [row for row in rows if row.profile_key == key]
    head = next((row for row in rows if row.kind == FigureKind.PEOPLE), None)
    if head is None:
        return None
    english = translation.get_language() and not translation.get_language().startswith("da")

    def lines(kind: str) -> tuple[FigureLine, ...]:
        return tuple(FigureLine(label=(row.label_en or row.label_da) if english else (row.label_da or row.label_en),
                                people=row.people) for row in rows if row.kind == kind)

    return PeopleLikeYou(profile_key=key, is_minor_group=len(key) == 3, people=head.people,
                         period_from=head.period_from, period_to=head.period_to,
                         occupations=lines(FigureKind.OCCUPATION), courses=lines(FigureKind.COURSE))
