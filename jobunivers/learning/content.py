"""Learning modules as data files: `data/modules/*.toml`, one module per file (ADR 0093).

    [module]
    key = "cv"                                  # stable: a-z 0-9 and dashes
    position = 1
    title_da = "…"        title_en = "…"
    summary_da = "…"      summary_en = "…"
    last_reviewed = 2026-12-05
    owner = "Jobunivers indhold"
    sources = [{title = "borger.dk: …", url = "https://…"}]
    legal_refs = ["ALF § 62 (LBK nr. 1077 af 28/8 2025)"]    # only rules from docs' rules-sources list

    [[lesson]]
    key = "…"   title_da = "…"   title_en = "…"   minutes = 8   (1-12)
    body_da = '''…'''                           # paragraphs split by a blank line; lines starting "- " are a list
    body_en = '''…'''                           # optional: the Danish text is shown when missing
    video_url = "https://…"                     # optional
    sources = [{title = "…", url = "https://…"}]  # optional

    [[lesson.question]]
    text_da = "…"   text_en = "…"
    choices_da = ["…", "…", "…"]   choices_en = ["…", "…", "…"]
    correct = 0                                 # index of the right choice
    explanation_da = "…"   explanation_en = "…"

A municipality's own modules use the same format (`manage.py learning_import --municipality <slug> FILE`).
The texts are the project's own words; a rule of law is stated only with its source.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .models import LESSON_MINUTES_MAX

DATA_DIR = Path(__file__).resolve().parent / "data" / "modules"
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CHOICES_MIN, CHOICES_MAX = 2, 5
QUESTIONS_MIN, QUESTIONS_MAX = 1, 5
LESSONS_MAX = 12


class ModuleFileError(ValueError):
    """A data file that does not follow the format; the message names the file and the field."""


@dataclass(frozen=True)
class QuestionData:
    text_da: str
    text_en: str
    choices_da: tuple[str, ...]
    choices_en: tuple[str, ...]
    correct: int
    explanation_da: str
    explanation_en: str


@dataclass(frozen=True)
class LessonData:
    key: str
    title_da: str
    title_en: str
    minutes: int
    body_da: str
    body_en: str
    video_url: str
    sources: tuple[dict, ...]
    questions: tuple[QuestionData, ...]


@dataclass(frozen=True)
class ModuleData:
    key: str
    position: int
    title_da: str
    title_en: str
    summary_da: str
    summary_en: str
    last_reviewed: datetime.date
    owner: str
    sources: tuple[dict, ...]
    legal_refs: tuple[str, ...]
    lessons: tuple[LessonData, ...]


def _text(raw: dict, name: str, where: str, *, required: bool = True, limit: int = 500) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ModuleFileError(f"{where}: {name} must be a non-empty text")
    value = value.strip()
    if len(value) > limit:
        raise ModuleFileError(f"{where}: {name} is longer than {limit} characters")
    if "\x00" in value:
        raise ModuleFileError(f"{where}: {name} contains a NUL character")
    return value


def _url(value, where: str) -> str:
    if not isinstance(value, str):
        raise ModuleFileError(f"{where}: the address must be a text")
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or len(value) > 500:
        raise ModuleFileError(f"{where}: the address must be an https:// address of at most 500 characters")
    return value


def _sources(raw: dict, where: str, *, required: bool) -> tuple[dict, ...]:
    sources = raw.get("sources", [])
    if not isinstance(sources, list) or (required and not sources):
        raise ModuleFileError(f"{where}: sources must be a list of {{title, url}}" + (" (at least one)" if required else ""))
    checked = []
    for index, source in enumerate(sources):
        if not isinstance(source, dict) or set(source) != {"title", "url"}:
            raise ModuleFileError(f"{where}: source {index + 1} must have exactly a title and a url")
        checked.append({"title": _text(source, "title", f"{where}, source {index + 1}", limit=200),
                        "url": _url(source["url"], f"{where}, source {index + 1}")})
    return tuple(checked)


def _strings(raw: dict, name: str, where: str, *, required: bool = True) -> tuple[str, ...]:
    values = raw.get(name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ModuleFileError(f"{where}: {name} must be a list of texts")
    if required and not values:
        raise ModuleFileError(f"{where}: {name} must not be empty")
    return tuple(v.strip() for v in values)


def _question(raw, where: str) -> QuestionData:
    if not isinstance(raw, dict):
        raise ModuleFileError(f"{where}: must be a table")
    choices_da = _strings(raw, "choices_da", where)
    choices_en = _strings(raw, "choices_en", where, required=False)
    if not CHOICES_MIN <= len(choices_da) <= CHOICES_MAX:
        raise ModuleFileError(f"{where}: give {CHOICES_MIN} to {CHOICES_MAX} choices")
    if choices_en and len(choices_en) != len(choices_da):
        raise ModuleFileError(f"{where}: choices_en must have as many choices as choices_da")
    correct = raw.get("correct")
    if isinstance(correct, bool) or not isinstance(correct, int) or not 0 <= correct < len(choices_da):
        raise ModuleFileError(f"{where}: correct must be the index of one of the choices (from 0)")
    return QuestionData(text_da=_text(raw, "text_da", where), text_en=_text(raw, "text_en", where, required=False),
                        choices_da=choices_da, choices_en=choices_en, correct=correct,
                        explanation_da=_text(raw, "explanation_da", where, limit=1000),
                        explanation_en=_text(raw, "explanation_en", where, required=False, limit=1000))


def _lesson(raw, where: str) -> LessonData:
    if not isinstance(raw, dict):
        raise ModuleFileError(f"{where}: must be a table")
    key = _text(raw, "key", where, limit=80)
    if not KEY.match(key):
        raise ModuleFileError(f"{where}: key must be lower case a-z, 0-9 and dashes")
    where = f"{where} ({key})"
    minutes = raw.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= LESSON_MINUTES_MAX:
        raise ModuleFileError(f"{where}: minutes must be a whole number from 1 to {LESSON_MINUTES_MAX}")
    questions = raw.get("question", [])
    if not isinstance(questions, list) or not QUESTIONS_MIN <= len(questions) <= QUESTIONS_MAX:
        raise ModuleFileError(f"{where}: a lesson has {QUESTIONS_MIN} to {QUESTIONS_MAX} quiz questions")
    video = raw.get("video_url", "")
    return LessonData(key=key, title_da=_text(raw, "title_da", where, limit=200),
                      title_en=_text(raw, "title_en", where, limit=200), minutes=minutes,
                      body_da=_text(raw, "body_da", where, limit=12000),
                      body_en=_text(raw, "body_en", where, required=False, limit=12000),
                      video_url=_url(video, f"{where}, video_url") if video else "",
                      sources=_sources(raw, where, required=False),
                      questions=tuple(_question(q, f"{where}, question {n + 1}") for n, q in enumerate(questions)))


def parse_module(data: dict, *, where: str) -> ModuleData:
    """One module from a parsed TOML document; ModuleFileError names what is wrong."""
    unknown = set(data) - {"module", "lesson"}
    if unknown:
        raise ModuleFileError(f"{where}: unknown tables {sorted(unknown)}")
    module = data.get("module")
    if not isinstance(module, dict):
        raise ModuleFileError(f"{where}: a [module] table is required")
    key = _text(module, "key", where, limit=80)
    if not KEY.match(key):
        raise ModuleFileError(f"{where}: key must be lower case a-z, 0-9 and dashes")
    reviewed = module.get("last_reviewed")
    if not isinstance(reviewed, datetime.date) or isinstance(reviewed, datetime.datetime):
        raise ModuleFileError(f"{where}: last_reviewed must be a date (YYYY-MM-DD)")
    position = module.get("position", 0)
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 32767:
        raise ModuleFileError(f"{where}: position must be a whole number from 0")
    lessons = data.get("lesson", [])
    if not isinstance(lessons, list) or not 1 <= len(lessons) <= LESSONS_MAX:
        raise ModuleFileError(f"{where}: a module has 1 to {LESSONS_MAX} lessons")
    parsed = tuple(_lesson(raw, f"{where}, lesson {n + 1}") for n, raw in enumerate(lessons))
    if len({lesson.key for lesson in parsed}) != len(parsed):
        raise ModuleFileError(f"{where}: two lessons have the same key")
    return ModuleData(key=key, position=position, title_da=_text(module, "title_da", where, limit=200),
                      title_en=_text(module, "title_en", where, limit=200),
                      summary_da=_text(module, "summary_da", where), summary_en=_text(module, "summary_en", where),
                      last_reviewed=reviewed, owner=_text(module, "owner", where, limit=100),
                      sources=_sources(module, where, required=True),
                      legal_refs=_strings(module, "legal_refs", where, required=False), lessons=parsed)


def parse_file(path: Path) -> ModuleData:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ModuleFileError(f"{path.name}: not valid TOML in UTF-8 ({error})") from None
    return parse_module(data, where=path.name)


def load_modules(directory: Path = DATA_DIR) -> list[ModuleData]:
    """The national library's modules, in file order; two files with one key are refused."""
    modules = [parse_file(path) for path in sorted(directory.glob("*.toml"))]
    keys = [m.key for m in modules]
    if len(set(keys)) != len(keys):
        raise ModuleFileError("two module files have the same key")
    return modules
