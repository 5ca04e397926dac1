"""schema.org JobPosting for a posting's page (what search engines read), see docs/jobs.md."""

from __future__ import annotations

import json

from django.utils import timezone

from .validation import finite_or_none

EMPLOYMENT_TYPES = {"permanent": "FULL_TIME", "temporary": "TEMPORARY", "seasonal": "TEMPORARY",
                    "substitute": "TEMPORARY", "apprenticeship": "INTERN", "internship": "INTERN", "hourly": "PER_DIEM"}


def posting_jsonld(posting, *, url: str) -> dict:
    employment = []
    if posting.hours == "full_time":
        employment.append("FULL_TIME")
    elif posting.hours == "part_time":
        employment.append("PART_TIME")
    extra = EMPLOYMENT_TYPES.get(posting.employment_type)
    if extra and extra not in employment and extra != "FULL_TIME":
        employment.append(extra)
    data: dict = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.shown_description or posting.title,
        "identifier": {"@type": "PropertyValue", "name": posting.source, "value": posting.external_id},
        "datePosted": timezone.localtime(posting.published_at).date().isoformat(),
        "hiringOrganization": {"@type": "Organization", "name": posting.employer_name},
        "jobLocation": {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "streetAddress": posting.address, "postalCode": posting.postcode,
                        "addressLocality": posting.city, "addressCountry": "DK"},
        },
        "totalJobOpenings": posting.positions,
        "url": url,
        "directApply": False,
    }
    if posting.employer_cvr:
        data["hiringOrganization"]["vatID"] = f"DK{posting.employer_cvr}"
    latitude, longitude = finite_or_none(posting.latitude), finite_or_none(posting.longitude)
    if latitude is not None and longitude is not None:
        data["jobLocation"]["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    if employment:
        data["employmentType"] = employment if len(employment) > 1 else employment[0]
    if posting.application_deadline:
        data["validThrough"] = posting.application_deadline.isoformat() + "T23:59:59"
    if posting.occupation_id:
        data["occupationalCategory"] = posting.occupation.uri
    if posting.salary_text:
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "DKK",
                              "value": {"@type": "QuantitativeValue", "description": posting.salary_text}}
    if posting.shown_hours_per_week:
        data["workHours"] = f"{posting.shown_hours_per_week} hours per week"
    return data


def posting_jsonld_script(posting, *, url: str) -> str:
    """JSON safe to place inside <script type="application/ld+json"> (no "</script>" break-out)."""
    text = json.dumps(posting_jsonld(posting, url=url), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
