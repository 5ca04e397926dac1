"""Public look-up of ESCO occupations and skills (typeahead), mounted at /api/v1/taxonomy."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from . import selectors

router = Router(tags=["taxonomy"])


class ConceptOut(Schema):
    id: int
    uri: str
    label: str = Field(description="In the request's language where the concept has a label in it (Danish by default)")
    label_lang: str = Field("", description='Language of `label`: "da" or "en"')
    matched_label: str
    isco_code: str
    score: float
    method: str


@router.get("/occupations", response=list[ConceptOut], summary="Look up occupations (Danish or English)")
def occupations(request, q: str = Query("", max_length=100), limit: int = Query(10, ge=1, le=25)):
    """Danish job titles and ESCO labels first, then multilingual semantic neighbours."""
    return [vars(m) for m in selectors.search_occupations(q.replace("\x00", ""), limit=limit)]


@router.get("/skills", response=list[ConceptOut], summary="Look up skills")
def skills(request, q: str = Query("", max_length=100), limit: int = Query(10, ge=1, le=25)):
    return [vars(m) for m in selectors.search_skills(q.replace("\x00", ""), limit=limit)]
