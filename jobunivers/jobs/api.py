"""Public, read-only JSON API for active job postings (mounted at /api/v1/jobs by config/api.py).

The same filters and radius as the search page (one form validates both), rate-limited
by the API bucket of accounts.ratelimit. Bad parameters give 400 with a clear message.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from . import selectors
from .forms import JobSearchForm
from .search import search_postings
from .validation import finite_or_none

router = Router(tags=["jobs"])


class SearchParams(Schema):
    q: str = ""
    where: str = ""
    radius: str = ""
    occupation: str = ""
    municipality: str = ""
    hours: str = ""
    employment_type: str = ""
    deadline_from: str = ""
    posted_since: str = ""
    sort: str = ""
    page: str = ""
    page_size: str = "20"


class PostingOut(Schema):
    id: int
    title: str
    employer_name: str
    occupation_uri: str | None
    occupation_label: str | None
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


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _out(posting, distance_km=None) -> dict:
    occupation = posting.occupation
    return {
        "id": posting.pk, "title": posting.title, "employer_name": posting.employer_name,
        "occupation_uri": occupation.uri if occupation else None,
        "occupation_label": occupation.preferred_label if occupation else None, "isco_code": posting.isco_code,
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
    # Every parameter is taken as text and validated by the search form, so a bad value is a
    # 400 with a translated message instead of a framework-specific 422.
    page_size = int(params.page_size) if params.page_size.isdigit() else 0
    if not 1 <= page_size <= 100:
        message = _("page_size must be a whole number from 1 to 100.")
        return 400, {"detail": message, "errors": {"page_size": [message]}}
    data = {k: v for k, v in params.dict().items() if v not in (None, "") and k != "page_size"}
    form = JobSearchForm(data)
    if not form.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return 400, {"detail": first, "errors": errors}
    results = search_postings(form.to_query(page_size=page_size))
    return 200, {"total": results.total, "page": results.page, "pages": results.pages, "page_size": page_size,
                 "results": [_out(hit.posting, hit.distance_km) for hit in results.hits]}


@router.get("/postings/{posting_id}", response={200: PostingDetailOut, 404: ErrorOut}, summary="One job posting")
def posting(request: HttpRequest, posting_id: int):
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
