"""Reading ESCO CSV files in both shapes the project meets (see docs/jobs.md):

* the official ESCO download (any language): `occupations_da.csv`, `ISCOGroups_da.csv`,
  `skills_da.csv`, `skillGroups_da.csv`, `broaderRelationsOccPillar_da.csv`,
  `broaderRelationsSkillPillar_da.csv`, `skillSkillRelations_da.csv`,
  `occupationSkillRelations_da.csv`; lower-case columns (`conceptUri`, `preferredLabel`, ...),
  relations by URI;
* the Tabiya conversion (`../shared/data/esco/`): upper-case columns (`ORIGINURI`, `ID`,
  `PREFERREDLABEL`, ...), relations by the file-local `ID`, plus `skills_text.csv`.

Every reader returns plain dicts keyed by our field names, so the import service
does not care which shape it got.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

csv.field_size_limit(max(csv.field_size_limit(), 10_000_000))  # never lower than another reader set it (jobs csv feed)


@dataclass
class EscoFiles:
    isco_groups: Path | None = None
    occupations: Path | None = None
    skill_groups: Path | None = None
    skills: Path | None = None
    skills_text: Path | None = None
    occupation_hierarchy: Path | None = None
    skill_hierarchy: Path | None = None
    skill_relations: Path | None = None
    occupation_skills: Path | None = None
    unknown: list[Path] = field(default_factory=list)


PATTERNS = [
    ("occupation_hierarchy", re.compile(r"^(occupations?_hierarchy|broaderrelationsoccpillar.*)\.csv$")),
    ("skill_hierarchy", re.compile(r"^(skills?_hierarchy|broaderrelationsskillpillar.*)\.csv$")),
    ("skill_relations", re.compile(r"^(skill_skill_relations|skill_to_skill_relations|skillskillrelations.*)\.csv$")),
    ("occupation_skills", re.compile(r"^(occupation_to_skill_relations|occupationskillrelations.*)\.csv$")),
    ("isco_groups", re.compile(r"^(iscogroups.*|isco_groups)\.csv$")),
    ("skill_groups", re.compile(r"^(skillgroups.*|skill_groups)\.csv$")),
    ("skills_text", re.compile(r"^skills_text\.csv$")),
    ("occupations", re.compile(r"^occupations(_[a-z]{2}(-[a-z]+)?)?\.csv$")),
    ("skills", re.compile(r"^skills(_[a-z]{2}(-[a-z]+)?)?\.csv$")),
]


LANGUAGE_SUFFIX = re.compile(r"_([a-z]{2})(-[a-z]+)?\.csv$", re.IGNORECASE)


def language_of(path: Path | None) -> str:
    """The language of an ESCO file: the official download names it (`occupations_da.csv` is
    Danish); the Tabiya conversion has no suffix and is English."""
    match = LANGUAGE_SUFFIX.search(path.name) if path is not None else None
    return match.group(1).lower() if match else "en"


def find_files(directory: Path) -> EscoFiles:
    files = EscoFiles()
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() != ".csv":
            continue
        name = path.name.lower()
        for attribute, pattern in PATTERNS:
            if pattern.match(name) and getattr(files, attribute) is None:
                setattr(files, attribute, path)
                break
        else:
            files.unknown.append(path)
    return files


def read_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    # Normalise column names: both "conceptUri" and "CONCEPTURI" become "concepturi".
    return [{(k or "").strip().lower(): (v or "") for k, v in row.items()} for row in reader]


def split_labels(value: str) -> list[str]:
    """Alternative labels: ESCO separates them by newlines, the project's Danish files by " | "."""
    parts = re.split(r"\n|\s\|\s", value or "")
    seen: dict[str, None] = {}
    for part in parts:
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def concept_uri(row: dict[str, str]) -> str:
    return (row.get("concepturi") or row.get("originuri") or "").strip()


def status_of(row: dict[str, str]) -> str:
    status = (row.get("status") or "released").strip().lower()
    return "deprecated" if status in {"deprecated", "obsolete"} else "released"


def _stem(word: str) -> str:
    return re.split(r"[-/]", word)[0][:5]


def label_from_skill_text(text: str) -> tuple[str, str]:
    """Best-effort (label, description) from skills_text.csv, whose text runs labels and description together.

    ESCO labels are lower case and descriptions start with a capital letter, so the
    description starts at the first capitalised word; the preferred label is the
    lower-case run up to where the first alternative label begins: where its first word
    repeats, or a form of it ("hunting truck detector hunting-truck detector",
    "teach languages teaching languages"); failing that, its first four words, cut where
    a word repeats, after the run of words the two labels share ("install locks fitting
    locks" -> "install locks"). The official skills file, imported later, replaces these
    labels (upsert on URI).
    """
    words = text.split()
    start = next((i for i, w in enumerate(words) if w[:1].isupper()), len(words))
    labels, description = words[:start], " ".join(words[start:])
    if not labels:
        return " ".join(words[:6]), text
    cut = next((i for i in range(1, min(len(labels), 9)) if labels[i] == labels[0]), None)
    if cut is None:
        cut = next((i for i in range(1, min(len(labels), 6)) if _stem(labels[i]) == _stem(labels[0])), None)
    if cut is None:
        cut = min(len(labels), 4)
    repeat = next((j for j in range(1, cut) if labels[j] in labels[:j]), None)
    if repeat is not None:
        first, shared = labels.index(labels[repeat]), 1
        while repeat + shared < len(labels) and first + shared < repeat and labels[first + shared] == labels[repeat + shared]:
            shared += 1
        cut = first + shared
    return " ".join(labels[:cut]), description
