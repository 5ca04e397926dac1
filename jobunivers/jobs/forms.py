"""Forms of the jobs app: the search (shared by the page and the public API) and employers' postings."""

from __future__ import annotations

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from jobunivers.core.forms import field_group_html
from jobunivers.taxonomy import selectors as taxonomy
from jobunivers.tenancy.selectors import municipality_choices

from .models import EmploymentType, Hours
from .search import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, Centre, JobQuery
from .stemming import STOP_WORDS, words

SORT_CHOICES = [("relevance", _("Best match")), ("distance", _("Nearest first")), ("date", _("Newest first"))]


def _municipality_options() -> list[tuple[str, object]]:
    """Read when the choices are used (validating a chosen municipality, drawing the filters when
    their rendered block is not cached), not on every search."""
    return [("", _("All")), *municipality_choices()]


class JobSearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=200)
    where = forms.CharField(label=_("Near postcode or address"), required=False, max_length=200,
                            help_text=_("For example 8000 or Banegårdspladsen 1, 8000 Aarhus C."))
    radius = forms.IntegerField(label=_("Distance (km)"), required=False, min_value=1, max_value=MAX_RADIUS_KM,
                                initial=DEFAULT_RADIUS_KM)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=200)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False, choices=_municipality_options)
    hours = forms.ChoiceField(label=_("Working hours"), required=False,
                              choices=[("", _("All"))] + [c for c in Hours.choices if c[0]])
    employment_type = forms.ChoiceField(label=_("Employment type"), required=False,
                                        choices=[("", _("All"))] + [c for c in EmploymentType.choices if c[0]])
    deadline_from = forms.DateField(label=_("Application deadline no earlier than"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    posted_since = forms.DateField(label=_("Posted since"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(label=_("Page number"), required=False, min_value=1, max_value=10_000,
                              widget=forms.HiddenInput)

    def __init__(self, *args, home=None, **kwargs):
        """`home`: the signed-in citizen's home point (taxonomy GeoPoint), the default centre."""
        super().__init__(*args, **kwargs)
        self.home = home
        self.centre: Centre | None = None
        self.occupation_match = None

    def main_fields(self) -> str:
        """The words, the place and the distance as field groups, as `as_field_group` draws them, in a
        fifth of the time (core.forms.field_group_html): every search page shows them."""
        return mark_safe("\n    ".join(field_group_html(self[name]) for name in ("q", "where", "radius")))  # noqa: S308 - escaped by format_html

    def clean_q(self):
        """Search words: at least one letter or digit, and not only small words that are never searched
        for; a clear answer instead of an empty (or unfiltered) page."""
        text = " ".join(self.cleaned_data.get("q", "").split())
        if text and not words(text):
            raise forms.ValidationError(_("The search words have no letters or digits. Write a job title or a trade, "
                                          "for example tømrer or sosu."))
        if text and all(word in STOP_WORDS for word in words(text)):
            raise forms.ValidationError(_("The search words are only small words such as “og” and “i”, which are not "
                                          "searched for. Write a job title or a trade, for example tømrer or sosu."))
        return text

    def clean_where(self):
        where = self.cleaned_data.get("where", "").strip()
        if where:
            point = taxonomy.resolve_place(where)
            if point is None:
                raise forms.ValidationError(_("We do not know the place '%(place)s'. Enter a Danish postcode, "
                                              "for example 8000, or an address with a postcode."), params={"place": where})
            self.centre = Centre(latitude=point.latitude, longitude=point.longitude, label=point.label)
        elif self.home is not None:
            self.centre = Centre(latitude=self.home.latitude, longitude=self.home.longitude, label=self.home.label)
        return where

    def clean_occupation(self):
        text = self.cleaned_data.get("occupation", "").strip()
        if not text:
            return None
        if text.isdigit():
            occupation = taxonomy.get_occupation(occupation_id=int(text))
            if occupation is None:
                raise forms.ValidationError(_("Unknown occupation."))
            self.occupation_match = taxonomy.label_of(occupation).text
            return occupation.pk
        matches = taxonomy.search_occupations(text, limit=1, semantic=False) or taxonomy.search_occupations(text, limit=1)
        if not matches:
            raise forms.ValidationError(_("No occupation matches '%(text)s'."), params={"text": text})
        self.occupation_match = matches[0].label
        return matches[0].id

    def to_query(self, *, page_size: int = 20) -> JobQuery:
        data = self.cleaned_data
        return JobQuery(
            text=data.get("q") or "", occupation_id=data.get("occupation"),
            municipality_code=data.get("municipality") or "", hours=data.get("hours") or "",
            employment_type=data.get("employment_type") or "", deadline_from=data.get("deadline_from"),
            posted_since=data.get("posted_since"), centre=self.centre,
            radius_km=float(data.get("radius") or DEFAULT_RADIUS_KM), sort=data.get("sort") or "relevance",
            page=data.get("page") or 1, page_size=page_size,
        )


class PostingForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=255)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=200,
                                 help_text=_("For example tømrer or sygeplejerske; we find the matching ESCO occupation."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 8}))
    address = forms.CharField(label=_("Workplace address"), required=False, max_length=255)
    postcode = forms.CharField(label=_("Postcode"), max_length=4)
    hours = forms.ChoiceField(label=_("Working hours"), choices=[c for c in Hours.choices if c[0]])
    hours_per_week = forms.DecimalField(label=_("Hours per week"), required=False, min_value=1, max_value=80,
                                        decimal_places=1)
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=[c for c in EmploymentType.choices if c[0]])
    salary_text = forms.CharField(label=_("Salary"), required=False, max_length=255)
    positions = forms.IntegerField(label=_("Number of positions"), min_value=1, max_value=999, initial=1)
    application_deadline = forms.DateField(label=_("Application deadline"), required=False,
                                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    apply_url = forms.URLField(label=_("Apply at (web address)"), required=False, max_length=500, assume_scheme="https")
    apply_email = forms.EmailField(label=_("Apply by e-mail"), required=False)
    apply_contact = forms.CharField(label=_("Contact person"), required=False, max_length=255)
    employer_cvr = forms.CharField(label=_("CVR number"), required=False, max_length=8)

    def clean_occupation(self):
        text = self.cleaned_data.get("occupation", "").strip()
        if not text:
            return None
        matches = taxonomy.search_occupations(text, limit=1, semantic=False) or taxonomy.search_occupations(text, limit=1)
        if not matches:
            raise forms.ValidationError(_("No occupation matches '%(text)s'."), params={"text": text})
        return taxonomy.get_occupation(occupation_id=matches[0].id)
