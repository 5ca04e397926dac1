"""Public look-up of ESCO occupations and skills (typeahead), mounted at /api/v1/taxonomy."""

from __future__ import annotations

from ninja import Router, Schema

from . import selectors

router = Router(tags=["taxonomy"])


class ConceptOut(Schema):
    id: int
    uri: str
    label: str
    matched_label: str
    isco_code: str
    score: float
    method: str


@router.get("/occupations", response=list[ConceptOut], summary="Look up occupations (Danish or English)")
def occupations(request, q: str = "", limit: int = 10):
    """Danish job titles and ESCO labels first, then multilingual semantic neighbours."""
    return [vars(m) for m in selectors.search_occupations(q[:100], limit=max(1, min(limit, 25)))]


@router.get("/skills", response=list[ConceptOut], summary="Look up skills")
def skills(request, q: str = "", limit: int = 10):
    return [vars(m) for m in selectors.search_skills(q[:100], limit=max(1, min(limit, 25)))]
