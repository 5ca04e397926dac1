"""JobTech ad format (Arbetsförmedlingen's JobSearch/JobStream): single ads, search results and stream batches.

Accepted shapes: one ad object; a JobSearch response `{"hits": [ad, ...]}`; a raw
Elasticsearch response `{"hits": {"hits": [{"_source": ad}, ...]}}`; a JobStream
batch `[ad, ...]`. Ads with `"removed": true` withdraw the posting.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from ... import registry
from ...base import (
    FeedFormat,
    FeedRecord,
    FeedSkill,
    RecordError,
    RecordInvalid,
    normalise_employment_type,
    normalise_hours,
    to_date,
    to_datetime,
    to_decimal,
    to_float,
)

FULL_TIME_HOURS = 37


def _ads(document) -> list:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        hits = document.get("hits")
        if isinstance(hits, dict) and isinstance(hits.get("hits"), list):
            return [h.get("_source", h) if isinstance(h, dict) else h for h in hits["hits"]]
        if isinstance(hits, list):
            return hits
        if "id" in document:
            return [document]
    raise ValidationFailed(_("This is not JobTech ad data: expected an ad, a search result or a stream batch."))


def _label(value) -> str:
    return (value or {}).get("label") or "" if isinstance(value, dict) else str(value or "")


def _record(ad: dict, position: str) -> FeedRecord:
    if not isinstance(ad, dict):
        raise RecordInvalid(_("not an object"))
    ad_id = str(ad.get("id") or "").strip()
    if not ad_id:
        raise RecordInvalid(_("the ad has no id"))
    changed = to_datetime(ad.get("timestamp")) or to_datetime(ad.get("publication_date"))
    if ad.get("removed") is True:
        return FeedRecord(position=position, external_id=ad_id, title=ad.get("headline") or "", employer_name="",
                          status="withdrawn", changed_at=changed)
    title = (ad.get("headline") or "").strip()
    employer = ad.get("employer") or {}
    employer_name = (employer.get("name") or employer.get("workplace") or "").strip()
    if not title:
        raise RecordInvalid(_("the ad has no headline"))
    if not employer_name:
        raise RecordInvalid(_("the ad has no employer name"))
    description = ad.get("description") or {}
    text = description.get("text") if isinstance(description, dict) else str(description)
    address = ad.get("workplace_address") or {}
    coordinates = address.get("coordinates") or [None, None]
    longitude, latitude = (to_float(coordinates[0]), to_float(coordinates[1])) if len(coordinates) == 2 else (None, None)
    if latitude is not None and longitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise RecordInvalid(_("the coordinates are outside the globe"))
    scope = ad.get("scope_of_work") or {}
    hours_per_week = None
    if scope.get("max"):
        hours_per_week = to_decimal(round(FULL_TIME_HOURS * float(scope["max"]) / 100, 1))
    skills = []
    for importance, key in (("must", "must_have"), ("nice", "nice_to_have")):
        for skill in (ad.get(key) or {}).get("skills") or []:
            if isinstance(skill, dict) and skill.get("label"):
                skills.append(FeedSkill(label=skill["label"], uri=skill.get("esco_uri") or "", importance=importance,
                                        weight=float(skill.get("weight") or 1)))
    application = ad.get("application_details") or {}
    country = (address.get("country_code") or "").upper()
    organisation_number = "".join(ch for ch in str(employer.get("organization_number") or "") if ch.isdigit())
    occupation_group = ad.get("occupation_group") or {}
    group_code = str(occupation_group.get("legacy_ams_taxonomy_id") or "")
    return FeedRecord(
        position=position, external_id=ad_id, title=title[:255], employer_name=employer_name[:255],
        description=(text or "").strip(),
        employer_cvr=organisation_number if len(organisation_number) == 8 else "",
        occupation_uri=(ad.get("occupation") or {}).get("esco_uri") or "",
        occupation_label=_label(ad.get("occupation")),
        isco_code=group_code if len(group_code) == 4 and group_code.isdigit() else "",
        skills=skills, address=(address.get("street_address") or "")[:255], postcode=str(address.get("postcode") or "")[:10],
        city=(address.get("city") or address.get("municipality") or "")[:100],
        municipality_code=str(address.get("municipality_code") or "") if country in {"DK", "DNK"} else "",
        country="DK" if country in {"DK", "DNK"} else ("" if not address.get("country") else country),
        latitude=latitude, longitude=longitude,
        hours=normalise_hours(_label(ad.get("working_hours_type"))),
        hours_per_week=hours_per_week,
        employment_type=normalise_employment_type(_label(ad.get("duration")))
        or normalise_employment_type(_label(ad.get("employment_type"))),
        salary_text=(ad.get("salary_description") or _label(ad.get("salary_type")))[:255],
        positions=max(1, int(ad.get("number_of_vacancies") or 1)),
        application_deadline=to_date(ad.get("application_deadline")),
        apply_url=(application.get("url") or "")[:500], apply_email=application.get("email") or "",
        apply_contact=(application.get("reference") or "")[:255],
        published_at=to_datetime(ad.get("publication_date")), changed_at=changed,
    )


@registry.register("jobtech")
class JobTechFeed(FeedFormat):
    name = "jobtech"

    def parse(self, data: bytes) -> Iterator[FeedRecord | RecordError]:
        try:
            document = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValidationFailed(_("The file is not valid JSON: %(error)s") % {"error": error}) from error
        for index, ad in enumerate(_ads(document), start=1):
            position = _("ad %(number)d") % {"number": index}
            try:
                yield _record(ad, position)
            except (RecordInvalid, ValueError, TypeError, AttributeError) as error:
                yield RecordError(position=position, reason=str(error))
