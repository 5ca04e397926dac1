"""JobTech ad format (Arbetsförmedlingen's JobSearch/JobStream): single ads, search results and stream batches.

Accepted shapes: one ad object; a JobSearch response `{"hits": [ad, ...]}`; a raw
Elasticsearch response `{"hits": {"hits": [{"_source": ad}, ...]}}`; a JobStream
batch `[ad, ...]`. Ads with `"removed": true` withdraw the posting.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from ...base import (
    RECORD_ERRORS,
    FeedFormat,
    FeedRecord,
    FeedSkill,
    RecordError,
    RecordInvalid,
    decode_text,
    normalise_employment_type,
    normalise_hours,
    record_error,
    text_of,
    to_date,
    to_datetime,
    to_decimal,
    to_float,
    to_int,
)
from ...feed_registry import registry

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


def _object(value) -> dict:
    """A nested object of the ad, or {} when it is missing or of another type."""
    return value if isinstance(value, dict) else {}


def _label(value) -> str:
    if isinstance(value, dict):
        return text_of(value.get("label"), "label")
    return text_of(value, "label")


def _record(ad, position: str) -> FeedRecord:
    if not isinstance(ad, dict):
        raise RecordInvalid(_("not an object"))
    ad_id = text_of(ad.get("id"), "id").strip()
    if not ad_id:
        raise RecordInvalid(_("the ad has no id"))
    changed = to_datetime(ad.get("timestamp")) or to_datetime(ad.get("publication_date"))
    if ad.get("removed") is True:
        return FeedRecord(position=position, external_id=ad_id, title="", employer_name="",
                          status="withdrawn", changed_at=changed)
    title = text_of(ad.get("headline"), "headline").strip()
    employer = _object(ad.get("employer"))
    employer_name = (text_of(employer.get("name"), "employer.name")
                     or text_of(employer.get("workplace"), "employer.workplace")).strip()
    if not title:
        raise RecordInvalid(_("the ad has no headline"))
    if not employer_name:
        raise RecordInvalid(_("the ad has no employer name"))
    description = ad.get("description")
    text = text_of(description.get("text"), "description.text") if isinstance(description, dict) else text_of(
        description, "description")
    address = _object(ad.get("workplace_address"))
    coordinates = address.get("coordinates")
    longitude = latitude = None
    if isinstance(coordinates, list) and len(coordinates) == 2:
        longitude, latitude = to_float(coordinates[0]), to_float(coordinates[1])
    elif coordinates not in (None, [], [None, None]):
        raise RecordInvalid(_("the coordinates must be [longitude, latitude]"))
    scope = _object(ad.get("scope_of_work"))
    hours_per_week = None
    percent = to_decimal(scope.get("max"))
    if percent:
        hours_per_week = (FULL_TIME_HOURS * percent / 100).quantize(Decimal("0.1"))
    skills = []
    for importance, key in (("must", "must_have"), ("nice", "nice_to_have")):
        listed = _object(ad.get(key)).get("skills") or []
        for skill in listed if isinstance(listed, list) else []:
            if isinstance(skill, dict) and skill.get("label"):
                skills.append(FeedSkill(label=text_of(skill["label"], "skill"), uri=text_of(skill.get("esco_uri"), "skill"),
                                        importance=importance, weight=to_float(skill.get("weight")) or 1.0))
    application = _object(ad.get("application_details"))
    country = text_of(address.get("country_code"), "country_code").upper()
    organisation_number = "".join(ch for ch in text_of(employer.get("organization_number"), "organization_number")
                                  if ch.isdigit())
    occupation = _object(ad.get("occupation"))
    group_code = text_of(_object(ad.get("occupation_group")).get("legacy_ams_taxonomy_id"), "occupation_group")
    positions = to_int(ad.get("number_of_vacancies"), default=1) or 1  # 0 vacancies: one, as before
    return FeedRecord(
        position=position, external_id=ad_id, title=title, employer_name=employer_name,
        description=text.strip(),
        employer_cvr=organisation_number if len(organisation_number) == 8 else "",
        occupation_uri=text_of(occupation.get("esco_uri"), "occupation"),
        occupation_label=_label(ad.get("occupation")),
        isco_code=group_code if len(group_code) == 4 and group_code.isdigit() else "",
        skills=skills, address=text_of(address.get("street_address"), "street_address"),
        postcode=text_of(address.get("postcode"), "postcode").replace(" ", ""),
        city=text_of(address.get("city") or address.get("municipality"), "city"),
        municipality_code=text_of(address.get("municipality_code"), "municipality_code") if country in {"DK", "DNK"} else "",
        country="DK" if country in {"DK", "DNK"} else ("" if not address.get("country") else country),
        latitude=latitude, longitude=longitude,
        hours=normalise_hours(_label(ad.get("working_hours_type"))),
        hours_per_week=hours_per_week,
        employment_type=normalise_employment_type(_label(ad.get("duration")))
        or normalise_employment_type(_label(ad.get("employment_type"))),
        salary_text=text_of(ad.get("salary_description"), "salary_description") or _label(ad.get("salary_type")),
        positions=positions,
        application_deadline=to_date(ad.get("application_deadline")),
        apply_url=text_of(application.get("url"), "url").strip(),
        apply_email=text_of(application.get("email"), "email").strip(),
        apply_contact=text_of(application.get("reference"), "reference"),
        published_at=to_datetime(ad.get("publication_date")), changed_at=changed,
    )


@registry.register("jobtech")
class JobTechFeed(FeedFormat):
    name = "jobtech"

    def parse(self, data: bytes) -> Iterator[FeedRecord | RecordError]:
        try:
            document = json.loads(decode_text(data))
        except (ValueError, RecursionError) as error:
            raise ValidationFailed(_("The file is not valid JSON: %(error)s") % {"error": str(error)[:200]}) from error
        for index, ad in enumerate(_ads(document), start=1):
            position = _("ad %(number)d") % {"number": index}
            try:
                yield _record(ad, position)
            except RECORD_ERRORS as error:
                yield record_error(position, error)
