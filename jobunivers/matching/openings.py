"""Fit of citizens to an opening that is not a posting (coffee meetings, issue 18): the same scoring parts as
the feed (scoring.occupation_part, scoring.distance_part), weighted as in the hand-set model, over the parts
an opening has. An opening has no skills list, no text vector and no deadline, so those parts are left out
rather than set to neutral: neutral parts would squeeze every score towards the middle.

Reasons are written for the employer ("Søger job som tømrer"), never the citizen's address: the distance
is to the meeting place, rounded to whole kilometres."""

from __future__ import annotations

import math

from django.utils import translation
from django.utils.translation import gettext as _

from jobunivers.taxonomy.selectors import label_of

from . import scoring
from .contracts import OpeningFit, Reason

PARTS_USED = ("occupation", "distance")


def _parts_weights() -> tuple[float, float]:
    weights = scoring.HAND_SET
    return weights.occupation, weights.distance


def _texts(build) -> tuple[str, str]:
    with translation.override("da"):
        danish = str(build())
    with translation.override("en"):
        english = str(build())
    return danish, english


def fit(profile, *, occupation_id: int | None, isco_code: str, latitude: float | None,
        longitude: float | None) -> OpeningFit:
    relation = scoring.relation_between(citizen_occupations=set(profile.occupation_ids),
                                        citizen_isco=set(profile.isco_codes), posting_occupation=occupation_id,
                                        posting_isco=isco_code or "")
    occupation = float(scoring.occupation_part(relation))
    distance_km = None
    if None not in (latitude, longitude, profile.latitude, profile.longitude):
        distance_km = float(scoring.haversine_km(profile.latitude, profile.longitude, latitude, longitude))
    distance = float(scoring.distance_part(math.nan if distance_km is None else distance_km, profile.radius_km))
    weight_occupation, weight_distance = _parts_weights()
    score = (weight_occupation * occupation + weight_distance * distance) / (weight_occupation + weight_distance)
    if relation == scoring.UNRELATED:
        score = min(score, 0.3)  # near home but another trade is never a fit for a meeting about a trade
    reasons: list[Reason] = []
    sought = [label_of({"preferred_label": o.label, "preferred_label_da": o.label_da}) for o in profile.occupations]
    first = sought[0].text if sought else ""
    if relation == scoring.SAME_OCCUPATION:
        da, en = _texts(lambda: _("Seeks work in exactly this occupation"))
        reasons.append(Reason(part="occupation", text_da=da, text_en=en))
    elif relation in (scoring.SAME_ISCO_GROUP, scoring.NEIGHBOURING):
        da, en = _texts(lambda: _("Seeks work as %(occupation)s, a related occupation") % {"occupation": first})
        reasons.append(Reason(part="occupation", text_da=da, text_en=en))
    else:
        da, en = _texts(lambda: _("Seeks work in another occupation"))
        reasons.append(Reason(part="occupation", text_da=da, text_en=en, positive=False))
    if distance_km is not None:
        km = max(1, round(distance_km))
        inside = distance_km <= profile.radius_km
        da, en = _texts(lambda: (_("%(km)d km from the meeting place, within the distance the person seeks work")
                                 if inside else _("%(km)d km from the meeting place, farther than the person seeks "
                                                  "work")) % {"km": km})
        reasons.append(Reason(part="distance", text_da=da, text_en=en, positive=inside))
    return OpeningFit(citizen_id=profile.citizen_id, score=round(float(score), 4), reasons=tuple(reasons))
