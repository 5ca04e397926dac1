"""Public, read-only JSON API for active job postings (mounted at /api/v1/jobs by config/api.py).

The same filters and radius as the search page (one form validates both), rate-limited
by the API bucket of accounts.ratelimit. Bad parameters give 400 with a clear message.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from jobunivers.core.api import ErrorOut
from jobunivers.taxonomy.selectors import label_of

from . import selectors
from .forms import JobSearchForm
from .search import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, search_postings
from .validation import finite_or_none

router = Router(tags=["jobs"])

# Dates are clamped to this window: far dates mean "all" or "none" anyway, and overflow time-zone arithmetic.
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_ID = 2**63 - 1
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class SearchParams(Schema):
    """Typed as the search form checks them; values the data does not know (a place, an occupation,
    a municipality code) are checked by the form and answered with 400."""

    q: str = Field("", max_length=200, description="Search words (Danish stemming)")
    where: str = Field("", max_length=200, description="A Danish postcode or an address with a postcode")
    radius: int = Field(DEFAULT_RADIUS_KM, ge=1, le=MAX_RADIUS_KM, description="Distance in km around `where`")
    occupation: str = Field("", max_length=200, description="An occupation id or name")
    municipality: str = Field("", max_length=4, description="A municipality code, e.g. 0751")
    hours: Literal["", "full_time", "part_time"] = ""
    employment_type: Literal["", "permanent", "temporary", "seasonal", "substitute", "apprenticeship", "internship",
                             "hourly"] = ""
    deadline_from: date = Field(None, description="Deadline on or after this day (clamped to 1970-2100)")  # type: ignore[assignment]
    posted_since: date = Field(None, description="Published on or after this day (clamped to 1970-2100)")  # type: ignore[assignment]
    sort: Literal["", "relevance", "distance", "date"] = ""
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)

    @field_validator("deadline_from", "posted_since", mode="before")
    @classmethod
    def _iso_date_only(cls, value):
        # pydantic would also take "0" (a Unix timestamp); the schema says an ISO date, so only that.
        if isinstance(value, str) and not ISO_DATE.fullmatch(value):
            raise PydanticCustomError("date_parsing", "Input should be a date as YYYY-MM-DD")
        return value


class PostingOut(Schema):
    id: int
    title: str
    employer_name: str
    occupation_uri: str | None
    occupation_label: str | None = Field(
        description="The occupation's Danish name (the official Danish ESCO label, else the project's own Danish "
                    "label, else ESCO's English label: see `occupation_label_lang`)")
    occupation_label_lang: str | None = Field(description='Language of `occupation_label`: "da", or "en" where '
                                                          "the occupation has no Danish label")
    occupation_label_en: str | None = Field(description="ESCO's English preferred label of the occupation")
    isco_code: str
    postcode: str
    city: str
    municipality_code: str
    latitude: float | None
    longitude: float | None
    distance_km: float | None
    hours: str
    employment_type: str
    application_deadline: date | None
    published_at: datetime
    url: str


class PostingDetailOut(PostingOut):
    status: str
    description: str
    salary_text: str
    positions: int
    apply_url: str
    apply_email: str
    apply_contact: str
    changed_at: datetime


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    page_size: int
    results: list[PostingOut]


def _occupation_labels(occupation) -> dict:
    """Danish first, whatever the request's language: the API serves a Danish service; the English
    label has its own key."""
    if occupation is None:
        return {"occupation_label": None, "occupation_label_lang": None, "occupation_label_en": None}
    label = label_of(occupation, language="da")
    return {"occupation_label": label.text, "occupation_label_lang": label.lang or None,
            "occupation_label_en": occupation.preferred_label or None}


def _out(posting, distance_km=None) -> dict:
    occupation = posting.occupation
    return {
        "id": posting.pk, "title": posting.title, "employer_name": posting.employer_name,
        "occupation_uri": occupation.uri if occupation else None,
        **_occupation_labels(occupation), "isco_code": posting.isco_code,
        "postcode": posting.postcode, "city": posting.city, "municipality_code": posting.municipality_code,
        "latitude": finite_or_none(posting.latitude), "longitude": finite_or_none(posting.longitude),
        "distance_km": finite_or_none(distance_km),
        "hours": posting.hours, "employment_type": posting.employment_type,
        "application_deadline": posting.application_deadline, "published_at": posting.published_at,
        "url": f"/job/{posting.pk}/",
    }


@router.get("/search", response={200: SearchOut, 400: ErrorOut}, summary="Search active job postings")
def search(request: HttpRequest, params: Query[SearchParams]):
    """Free text (Danish stemming), filters, a radius in km around a postcode or address (`where`), sorting
    (`relevance`, `distance`, `date`) and paging (`page_size` 1-100)."""
    # Types and bounds are checked by the schema (422); the form checks what the data must know (400).
    data = {k: v for k, v in params.dict().items() if v not in (None, "") and k != "page_size"}
    for key in ("deadline_from", "posted_since"):
        if key in data:
            data[key] = min(max(data[key], EARLIEST_DATE), LATEST_DATE)
    form = JobSearchForm(data)
    if not form.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return 400, {"detail": first, "errors": errors}
    page_size = params.page_size
    results = search_postings(form.to_query(page_size=page_size))
    return 200, {"total": results.total, "page": results.page, "pages": results.pages, "page_size": page_size,
                 "results": [_out(hit.posting, hit.distance_km) for hit in results.hits]}


@router.get("/postings/{posting_id}", response={200: PostingDetailOut, 404: ErrorOut}, summary="One job posting")
def posting(request: HttpRequest, posting_id: int = Path(..., ge=1, le=MAX_ID)):
    """Any posting by id; withdrawn and expired postings stay resolvable, with their status."""
    try:
        item = selectors.get_posting(posting_id=posting_id)
    except Exception as error:  # NotFound
        raise HttpError(404, _("No job posting has this id.")) from error
    out = _out(item)
    # What a row stored before the import checks holds is shown safely: a capped description, no link
    # that is not http(s) or mailto.
    out.update({"status": item.status, "description": item.shown_description, "salary_text": item.salary_text,
                "positions": item.positions, "apply_url": item.safe_apply_url, "apply_email": item.apply_email,
                "apply_contact": item.apply_contact, "changed_at": item.changed_at})
    return 200, out
