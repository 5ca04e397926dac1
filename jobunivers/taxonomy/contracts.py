"""What other apps receive from the taxonomy: look-up results. No Django imports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConceptMatch:
    id: int
    uri: str
    label: str  # the concept's preferred label
    matched_label: str  # the label or Danish title that matched, or the preferred label for semantic hits
    isco_code: str
    score: float  # 1.0 for exact label matches; cosine similarity for semantic ones
    method: str  # "title", "label" or "semantic"
    deprecated: bool = False


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float
    label: str  # what was resolved, e.g. "8000 Aarhus C"
    postcode: str = ""
    municipality_code: str = ""
