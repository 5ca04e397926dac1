"""The bank of job-interview questions for interview practice (issue 18): `data/interview/*.toml`, one
file per group of occupations, written by the project in Danish, in the employer's voice.

    group = "lager"                              # stable: a-z 0-9 and dashes
    title = "Lager og logistik"
    isco_prefixes = ["432", "9333", "8344"]      # ISCO-08 codes the group is for ([] for every job)

    [[questions]]
    key = "lag-01"                               # stable and unique across the bank
    text = "Hvilken erfaring har du fra lager eller transport?"
    points = ["…", "…"]                          # 2-4: what a good answer covers (the self-review)
    tip = "…"

Two groups are for every job: GENERAL (asked of everyone) and DIFFICULT (gaps in the CV, a dismissal,
long unemployment). A practice session draws from the job's own group (the longest matching ISCO-08
prefix), the general questions and one difficult one, opening with OPENING and closing with CLOSING, as
a real interview does. The texts state no rule of law (docs: rules-sources).
"""

from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "interview"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GENERAL, DIFFICULT = "generelle", "svaere-spoergsmaal"
OPENING, CLOSING = "gen-01", "gen-19"  # "Fortæl lidt om dig selv." and "Har du nogen spørgsmål til os?"
SESSION_MIN, SESSION_MAX = 5, 8
TEXT_MAX, POINT_MAX = 200, 160


class BankFileError(ValueError):
    """A bank file that does not follow the format; the message names the file and the question."""


@dataclass(frozen=True)
class Question:
    key: str
    group: str
    text: str
    points: tuple[str, ...]
    tip: str


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    isco_prefixes: tuple[str, ...]
    questions: tuple[Question, ...]


def _text(value, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise BankFileError(f"{where}: a text of 1-{limit} characters is needed")
    return value.strip()


def parse(path: Path) -> Group:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BankFileError(f"{path.name}: not valid TOML ({error})") from None
    key = data.get("group")
    if not isinstance(key, str) or not KEY.match(key):
        raise BankFileError(f"{path.name}: 'group' must be a key of a-z, 0-9 and dashes")
    prefixes = data.get("isco_prefixes")
    if not isinstance(prefixes, list) or not all(isinstance(p, str) and p.isdigit() and 1 <= len(p) <= 4
                                                 for p in prefixes):
        raise BankFileError(f"{path.name}: 'isco_prefixes' must list ISCO-08 codes of 1-4 digits")
    questions = []
    for number, raw in enumerate(data.get("questions") or [], start=1):
        where = f"{path.name}, question {number}"
        if not isinstance(raw, dict) or not isinstance(raw.get("key"), str) or not KEY.match(raw["key"]):
            raise BankFileError(f"{where}: 'key' must be a key of a-z, 0-9 and dashes")
        points = raw.get("points")
        if not isinstance(points, list) or not 2 <= len(points) <= 4:
            raise BankFileError(f"{where}: 'points' must list 2-4 things a good answer covers")
        questions.append(Question(key=raw["key"], group=key, text=_text(raw.get("text"), where, TEXT_MAX),
                                  points=tuple(_text(p, where, POINT_MAX) for p in points),
                                  tip=_text(raw.get("tip"), where, TEXT_MAX)))
    if not questions:
        raise BankFileError(f"{path.name}: no questions")
    return Group(key=key, title=_text(data.get("title"), path.name, 80), isco_prefixes=tuple(prefixes),
                 questions=tuple(questions))


@cache
def bank(directory: Path = DATA_DIR) -> dict[str, Group]:
    """Every group of the bank by key (read once per process; the files ship with the code)."""
    groups: dict[str, Group] = {}
    seen: set[str] = set()
    for path in sorted(directory.glob("*.toml")):
        group = parse(path)
        if group.key in groups:
            raise BankFileError(f"{path.name}: group {group.key!r} is in two files")
        for question in group.questions:
            if question.key in seen:
                raise BankFileError(f"{path.name}: question key {question.key!r} is used twice")
            seen.add(question.key)
        groups[group.key] = group
    for needed in (GENERAL, DIFFICULT):
        if needed not in groups:
            raise BankFileError(f"the bank has no group {needed!r}")
    if not {OPENING, CLOSING} <= {q.key for q in groups[GENERAL].questions}:
        raise BankFileError(f"the general group must hold {OPENING!r} and {CLOSING!r}")
    return groups


def question(key: str) -> Question | None:
    return next((q for g in bank().values() for q in g.questions if q.key == key), None)


def group_for(isco_code: str) -> Group | None:
    """The occupation group of an ISCO-08 code: the group with the longest prefix of it (None: no group)."""
    best: tuple[int, Group] | None = None
    for group in bank().values():
        for prefix in group.isco_prefixes:
            if isco_code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), group)
    return best[1] if best else None


def questions_for(*, isco_code: str = "", count: int = 6, seed: int = 0) -> list[Question]:
    """A practice session's questions: the opening, about half from the job's own group (general ones
    when the job has none), one difficult question and the closing; the same seed gives the same."""
    count = max(SESSION_MIN, min(SESSION_MAX, int(count)))
    groups = bank()
    rng = random.Random(seed)
    own = group_for(isco_code or "")
    general = [q for q in groups[GENERAL].questions if q.key not in (OPENING, CLOSING)]
    middle = count - 3  # the opening, the difficult one and the closing are fixed
    from_own = rng.sample(own.questions, min(len(own.questions), (middle + 1) // 2)) if own else []
    from_general = rng.sample(general, middle - len(from_own))
    drawn = [*from_own, *from_general]
    rng.shuffle(drawn)
    by_key = {q.key: q for q in groups[GENERAL].questions}
    return [by_key[OPENING], *drawn, rng.choice(groups[DIFFICULT].questions), by_key[CLOSING]]
