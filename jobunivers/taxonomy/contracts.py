"""What other apps receive from the taxonomy: look-up results. No Django imports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConceptMatch:
    id: int
    uri: str
    label: str  # the concept's label in the active language (Danish where one exists)
    matched_label: str  # the label or Danish title that matched, or the label for semantic hits
    isco_code: str
    score: float  # 1.0 for exact label matches; cosine similarity for semantic ones
    method: str  # "title", "label" or "semantic"
    deprecated: bool = False
    label_lang: str = "en"  # the language of `label`: mark it (lang="en") when it is not the page's


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float
    label: str  # what was resolved, e.g. "8000 Aarhus C"
    postcode: str = ""
    municipality_code: str = ""
