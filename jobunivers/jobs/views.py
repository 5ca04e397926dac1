"""Pages of the jobs app: national search, map and detail (also under a municipality's prefix),
and the employer's own postings under /employer/. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobunivers.core.errors import ValidationFailed
from jobunivers.core.links import reverser
from jobunivers.taxonomy import selectors as taxonomy
from jobunivers.tenancy.decorators import national_view
from jobunivers.tenancy.roles import Role

from . import conf, selectors, services
from .forms import JobSearchForm, PostingForm
from .jsonld import posting_jsonld_script
from .models import EmploymentType, Hours, PostingStatus
from .permissions import can_edit_posting
from .search import DEFAULT_RADIUS_KM, search_markers, search_postings, spelling_suggestions, widenings

CITIZEN_ACTIONS = [("citizens:job_save", "save"), ("citizens:job_add_to_plan", "plan"), ("citizens:job_applied", "applied")]


def _home_point(request):
    """The signed-in citizen's home postcode as a point, the default centre of a search."""
    if getattr(request, "role", None) != Role.CITIZEN:
        return None
    citizen = getattr(request.user, "citizen", None)
    postcode = getattr(citizen, "postcode", None)
    if postcode is None:
        return None
    return taxonomy.point_of_postcode(code=postcode.code)


def _home_radius(request) -> int:
    """The signed-in citizen's own search radius (their profile), else the search's default."""
    citizen = getattr(request.user, "citizen", None) if getattr(request, "role", None) == Role.CITIZEN else None
    profile = getattr(citizen, "profile", None) if citizen is not None else None
    return int(getattr(profile, "radius_km", None) or DEFAULT_RADIUS_KM)


def _search_form(request) -> JobSearchForm:
    """The search as asked; without a query, every job within the citizen's radius of their home
    (or the default radius, nationally, for everyone else): the list, the map and its markers agree."""
    home = _home_point(request)
    if request.GET:
        return JobSearchForm(request.GET, home=home)
    return JobSearchForm({"radius": _home_radius(request) if home is not None else DEFAULT_RADIUS_KM}, home=home)


def _query_string(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


# What a result line shows (_result_rows): the search page loads only these of its postings.
RESULT_FIELDS = ("title", "employer_name", "postcode", "city", "hours", "employment_type", "application_deadline",
                 "published_at")


@lru_cache(maxsize=4096)
def _day(value: date, date_format: str, language: str) -> str:
    """A day in the active language's date format. A page shows 40 dates, nearly all among the last
    weeks' days, and Django's date formatting costs ~20 µs each: kept per day, format and language
    (`language` is part of the key: the month names come from the active translation)."""
    return dateformat.format(value, date_format)


def _result_rows(results) -> list[SafeString]:
    """Each result's list item, drawn in Python: a page shows 20 results, and Django's template
    filters and tags for them (date, get_*_display, url, floatformat) cost more than the search itself."""
    if results is None:
        return []
    hours = {value: str(label) for value, label in Hours.choices}
    types = {value: str(label) for value, label in EmploymentType.choices}
    date_format = get_format("DATE_FORMAT")  # Django's localisation: "4. december 2026", "4 December 2026"
    language = get_language()
    deadline_word, posted_word = _("Deadline"), _("Posted")
    link = reverser("jobs:detail", "posting_id")

    def day(value) -> str:
        return _day(value, date_format, language)

    rows = []
    for hit in results.hits:
        posting = hit.posting
        where = [posting.employer_name, f"{posting.postcode} {posting.city}".strip()]
        if hit.distance_km is not None:
            where.append(_("%(km)s km away") % {"km": number_format(hit.distance_km, 1)})
        terms = [hours.get(posting.hours, ""), types.get(posting.employment_type, "")]
        if posting.application_deadline:
            terms.append(f"{deadline_word} {day(posting.application_deadline)}")
        terms.append(f"{posted_word} {day(timezone.localdate(posting.published_at))}")
        reason = format_html('\n        <p class="jobs-reason">{}</p>', hit.reason) if hit.reason else ""
        rows.append(format_html(RESULT_LINE, link(posting.pk), posting.title, " · ".join(w for w in where if w),
                                " · ".join(t for t in terms if t), reason))
    return rows


# One result line, as the search page's list item (escaped by format_html; a template loop over 20
# lines of five values cost about as much as the rest of the page's own markup).
RESULT_LINE = """
      <li class="jobs-result">
        <h3 class="h4"><a href="{}">{}</a></h3>
        <p class="jobs-meta">{}</p>
        <p class="jobs-meta">{}</p>{}
      </li>"""


def _links(request, widenings) -> list[dict]:
    """Links to nearby searches with their counts (search.widenings, search.spelling_suggestions)."""
    return [{"label": w.label, "count": w.count,
             "query": _query_string(request, page="1", **{k: str(v) for k, v in w.changes.items()})}
            for w in widenings]


@require_GET
def search(request):
    form = _search_form(request)
    results = search_postings(form.to_query(), fields=RESULT_FIELDS) if form.is_valid() else None
    suggestions = _links(request, spelling_suggestions(results)) if results is not None else []
    help_links = _links(request, widenings(results.query, catalogue=results.catalogue)) if results is not None and not results.total else []
    context = {"form": form, "results": results, "rows": _result_rows(results), "map_query": request.GET.urlencode(),
               "suggestions": suggestions, "help_links": help_links,
               "applied": [c for c in results.corrections if c.applied] if results is not None else [],
               # only the links the pager shows (each copies and encodes the query string)
               "next_query": _query_string(request, page=results.page + 1) if results and results.has_next else "",
               "previous_query": _query_string(request, page=results.page - 1) if results and results.has_previous else ""}
    return render(request, "jobs/search.html", context)


@require_GET
def job_map(request):
    form = _search_form(request)
    valid = form.is_valid()
    context = {"form": form, "valid": valid, "list_query": request.GET.urlencode(),
               "tile_url": conf.map_tile_url(), "attribution": conf.map_attribution(),
               "centre": form.centre if valid else None}
    return render(request, "jobs/map.html", context)


@require_GET
def markers(request):
    form = _search_form(request)
    if not form.is_valid():
        return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
    query = form.to_query()
    total, items = search_markers(query)
    for item in items:
        item["url"] = reverse("jobs:detail", kwargs={"posting_id": item["id"]})
    centre = {"lat": query.centre.latitude, "lon": query.centre.longitude, "label": query.centre.label} if query.centre else None
    return JsonResponse({"total": total, "centre": centre, "radius_km": query.radius_km if centre else None,
                         "markers": items})


@require_GET
def detail(request, posting_id: int):
    posting = selectors.get_posting(posting_id=posting_id)
    actions = []
    if getattr(request, "role", None) == Role.CITIZEN and posting.status == PostingStatus.ACTIVE:
        for url_name, key in CITIZEN_ACTIONS:
            try:
                actions.append((key, reverse(url_name, kwargs={"posting_id": posting.pk})))
            except NoReverseMatch:
                continue
    url = request.build_absolute_uri(reverse("jobs:detail", kwargs={"posting_id": posting.pk}))
    labels = {"save": _("Save the job"), "plan": _("Add to my plan"), "applied": _("I applied")}
    return render(request, "jobs/detail.html", {
        "posting": posting, "jsonld": mark_safe(posting_jsonld_script(posting, url=url)),  # noqa: S308 - escaped in jsonld.py
        "actions": [(labels[key], url) for key, url in actions], "skills": posting.skill_links.select_related("skill"),
        "can_edit": can_edit_posting(getattr(request, "membership", None), posting),
    })


# --- employers ---------------------------------------------------------------------------------------------


@national_view(Role.EMPLOYER)
def employer_home(request):
    postings = selectors.own_postings(membership=request.membership)
    return render(request, "jobs/employer_home.html", {
        "postings": postings, "employer": selectors.employer_for(membership=request.membership)})


def _form_data(form: PostingForm) -> dict:
    return dict(form.cleaned_data)


def _apply_service_errors(form: PostingForm, error: ValidationFailed) -> None:
    for field, texts in error.messages.items():
        for text in texts:
            form.add_error(None if field == "__all__" or field not in form.fields else field, text)


@national_view(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def employer_create(request):
    form = PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            posting = services.posting_create(actor=request.user, membership=request.membership, data=_form_data(form))
        except ValidationFailed as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The job posting was published."))
            return redirect("jobs:detail", posting_id=posting.pk)
    return render(request, "jobs/employer_form.html", {"form": form, "posting": None})


@national_view(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def employer_edit(request, posting_id: int):
    posting = selectors.access_own_posting(membership=request.membership, posting_id=posting_id)
    initial = {name: getattr(posting, name) for name in PostingForm.base_fields if name != "occupation"}
    initial["occupation"] = taxonomy.label_of(posting.occupation).text if posting.occupation is not None else ""
    form = PostingForm(request.POST or None, initial=initial)
    if posting.status == PostingStatus.WITHDRAWN:
        messages.error(request, _("A withdrawn posting cannot be changed."))
        return redirect("jobs:employer_home")
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_update(actor=request.user, membership=request.membership, posting=posting,
                                    data=_form_data(form))
        except ValidationFailed as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The job posting was updated."))
            return redirect("jobs:detail", posting_id=posting.pk)
    return render(request, "jobs/employer_form.html", {"form": form, "posting": posting})


@national_view(Role.EMPLOYER)
@require_POST
def employer_withdraw(request, posting_id: int):
    posting = selectors.access_own_posting(membership=request.membership, posting_id=posting_id)
    services.posting_withdraw(actor=request.user, membership=request.membership, posting=posting)
    messages.success(request, _("The job posting was withdrawn. It no longer appears in searches."))
    return redirect("jobs:employer_home")
