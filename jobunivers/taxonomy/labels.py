"""One way to show a concept's label: the active language's label, marked when it is another language.

Occupations, skills, ISCO groups and skill groups carry ESCO's `preferred_label` (English for the
shared reference data) and Danish labels (`preferred_label_da`: official ESCO or the project's own
translation). Every page, chart, reason and option goes through `label_of`: in Danish it is the
Danish label where one exists; where only the English one exists, the label says so (`lang`), and
templates render it inside `<span lang="en">` so screen readers pronounce it as English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.translation import get_language

DEFAULT_LANGUAGE = "da"


def active_language() -> str:
    return (get_language() or DEFAULT_LANGUAGE)[:2].lower()


@dataclass(frozen=True)
class ConceptLabel:
    """A label and its language. `str()` is the plain text (for attributes, charts, sorting);
    `html()` (the `concept_label` template filter) wraps it in `<span lang="..">` when its language
    is not the page's. Django's templates call `str()` on objects, so `{{ label }}` is plain text."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def html(self) -> str:
        if self.lang and self.lang != active_language():
            return format_html('<span lang="{}">{}</span>', self.lang, self.text)
        return format_html("{}", self.text)

    @property
    def is_foreign(self) -> bool:
        """True when the label is not in the active language (mark it, e.g. `lang` on an option)."""
        return bool(self.lang) and self.lang != active_language()


def _get(concept: Any, name: str, default: Any = "") -> Any:
    if isinstance(concept, dict):
        return concept.get(name, default)
    return getattr(concept, name, default)


def label_of(concept: Any, *, language: str | None = None) -> ConceptLabel:
    """The concept's label in `language` (default: the active language). Works on model instances
    and on dicts with the same field names (`values()` rows). Danish asked: the Danish preferred
    label, else ESCO's label. Another language asked: ESCO's label (which is Danish when the
    concept only came from a Danish file)."""
    language = (language or active_language())[:2].lower()
    english = (_get(concept, "preferred_label") or "").strip()
    danish = (_get(concept, "preferred_label_da") or "").strip()
    if language == "da" and danish:
        return ConceptLabel(danish, "da")
    if english:
        return ConceptLabel(english, "da" if danish and english == danish else "en")
    return ConceptLabel(danish, "da" if danish else "")


def alt_labels_of(concept: Any, *, language: str | None = None) -> list[str]:
    """Alternative labels in the active language (Danish first in Danish, then ESCO's)."""
    language = (language or active_language())[:2].lower()
    danish, other = list(_get(concept, "alt_labels_da", []) or []), list(_get(concept, "alt_labels", []) or [])
    return list(dict.fromkeys(danish + other if language == "da" else other + danish))
