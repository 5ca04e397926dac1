"""Reads of the marketplace. `access_*` selectors check permissions and answer NotFound for missing,
another municipality's or another vendor's records alike; staff reads of a citizen's data are access-logged
in the same transaction.

What a citizen sees is their own municipality's enabled `MunicipalOffer` rows over published offers whose
audience includes them (everyone, their track, or their sought occupation group). "Til dig" ranks them by
the citizen's track, sought occupations, situation, plan and the municipality's promotion, each match
giving a reason in Danish.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Avg, Case, Count, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens import selectors as citizen_selectors
from jobunivers.core.errors import NotFound
from jobunivers.segmentation import selectors as segmentation_selectors
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality

from . import permissions, snapshots
from .contracts import EnrolmentLine, PushableOffer
from .models import (
    Audience,
    Enrolment,
    EnrolmentStatus,
    MunicipalOffer,
    Offer,
    OfferStatus,
    OfferVersion,
    ProviderKind,
    Rating,
    RatingStatus,
    Situation,
    UseEvent,
    Vendor,
    VersionStatus,
)
from .snapshots import Candidate

FOR_YOU_LIMIT = 6
# The average is shown from this many approved ratings; below it, only that there are too few (ADR 0084).
RATING_MIN_SHOWN = 3


# --- What we know about the citizen, for audiences and reasons ------------------------------------

@dataclass(frozen=True)
class Occupation:
    isco_code: str
    label: str


@dataclass
class CitizenContext:
    citizen_id: int
    track_key: str = ""
    track_name: str = ""
    occupations: list[Occupation] = field(default_factory=list)
    situations: set[str] = field(default_factory=set)
    months_unemployed: int | None = None
    plan_titles: list[str] = field(default_factory=list)
    enrolled_offer_ids: set[int] = field(default_factory=set)


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day))


def situations_of(citizen, *, today: datetime.date | None = None) -> tuple[set[str], int | None]:
    today = today or timezone.localdate()
    found: set[str] = set()
    months = None
    if citizen.registered_on:
        months = _months_between(citizen.registered_on, today)
        if months < 3:
            found.add(Situation.NEWLY_UNEMPLOYED)
        for threshold, situation in ((3, Situation.OVER_3_MONTHS), (6, Situation.OVER_6_MONTHS),
                                     (12, Situation.OVER_12_MONTHS)):
            if months >= threshold:
                found.add(situation)
    if citizen.birth_year:
        age = today.year - citizen.birth_year
        if age < 30:
            found.add(Situation.UNDER_30)
        if age > 50:
            found.add(Situation.OVER_50)
    return found, months


def citizen_context(citizen) -> CitizenContext:
    track = segmentation_selectors.current_track(citizen_id=citizen.pk)
    profile = citizen_selectors.profile_for(citizen_id=citizen.pk)
    situations, months = situations_of(citizen)
    occupations = [Occupation(o.isco_code, o.label_da or o.label) for o in (profile.occupations if profile else ())]
    plan = citizen_selectors.plan_items_for(citizen_id=citizen.pk, include_closed=False)
    return CitizenContext(
        citizen_id=citizen.pk, track_key=track.track_key if track else "", track_name=track.name if track else "",
        occupations=occupations, situations=situations, months_unemployed=months,
        plan_titles=list(plan.values_list("title", flat=True)[:50]),
        enrolled_offer_ids=set(Enrolment.all_tenants.filter(citizen_id=citizen.pk, status=EnrolmentStatus.ENROLLED)
                               .values_list("offer_id", flat=True)))


def _isco_match(codes: Sequence[str], occupations: list[Occupation]) -> Occupation | None:
    for occupation in occupations:
        if occupation.isco_code and any(occupation.isco_code.startswith(code) for code in codes):
            return occupation
    return None


def _audience_includes(audience: str, tracks: Sequence[str], isco: Sequence[str], context: CitizenContext) -> bool:
    if audience == Audience.TRACKS:
        return bool(context.track_key) and context.track_key in tracks
    if audience == Audience.OCCUPATIONS:
        return _isco_match(isco, context.occupations) is not None
    return True


def in_audience(curated: MunicipalOffer, context: CitizenContext) -> bool:
    return _audience_includes(curated.audience, curated.audience_tracks, curated.audience_isco, context)


# --- The citizen's catalogue ---------------------------------------------------------------------
# A municipality shows its citizens up to a few thousand offers (bench/bench_marketplace.py: 1,350 of 2,000).
# A search is decided in SQL (`_visible`, `_ordered`; JSON lists compared as text), so a page loads only its
# own 20 offers as models. The page without a search (`front_page`) and "Til dig" come from the
# municipality's snapshot in process memory (`snapshots.current`, kept fresh by a version token read on
# every visit): "Til dig" scores the offers that may give the citizen a reason in Python and words the
# reasons of the few it shows; both read only the offers they show as models, in one query.

CATALOGUE_PAGE_SIZE = 20


@dataclass(frozen=True)
class RatingSummary:
    count: int
    average: float | None  # None below RATING_MIN_SHOWN approved ratings

    @property
    def shown(self) -> bool:
        return self.average is not None



@dataclass
class Entry:
    curated: MunicipalOffer
    version: OfferVersion
    # The approved ratings in the municipality, set for a whole list at once by `with_ratings`.
    rating: RatingSummary | None = None

    @property
    def id(self) -> int:
        return self.curated.pk

    @property
    def offer(self) -> Offer:
        return self.curated.offer

    @property
    def title(self) -> str:
        return self.curated.local_title or self.version.title

    @property
    def summary(self) -> str:
        return self.curated.local_summary or self.version.summary

    def promoted(self, today: datetime.date) -> bool:
        return _promoted(self.curated.promotion_priority, self.curated.promoted_from, self.curated.promoted_until,
                         today)


_promoted = snapshots.promoted
_JSON_TEXT = {"audience_tracks_text": "audience_tracks", "audience_isco_text": "audience_isco"}


def _shown(municipality_id: int) -> QuerySet[MunicipalOffer]:
    return snapshots.shown_rows(municipality_id).select_related("offer__published_version", "offer__vendor")


def _searched(rows: QuerySet[MunicipalOffer], *, query: str, kind: str, format: str,
              provider: str) -> QuerySet[MunicipalOffer]:
    words = [w for w in re.split(r"\s+", (query or "").strip()) if w][:8]
    for word in words:
        rows = rows.filter(Q(local_title__icontains=word) | Q(local_summary__icontains=word)
                           | Q(offer__published_version__title_da__icontains=word)
                           | Q(offer__published_version__title_en__icontains=word)
                           | Q(offer__published_version__summary_da__icontains=word)
                           | Q(offer__published_version__body_da__icontains=word))
    if kind:
        rows = rows.filter(offer__kind=kind)
    if format:
        rows = rows.filter(offer__published_version__format=format)
    if provider:
        rows = rows.filter(offer__provider_kind=provider)
    return rows


def _contains_any(field: str, values) -> Q:
    """`field` (a JSON list read as text) holds one of `values`: '"93"' in '["93", "5120"]' (both databases
    write a list of strings this way)."""
    found = Q(pk__in=[])
    for value in sorted(values):
        found |= Q(**{f"{field}__contains": json.dumps(value)})
    return found


def _isco_prefixes(context: CitizenContext) -> set[str]:
    """Every prefix of the citizen's occupation codes: a listed code matches when it is one of them."""
    return {o.isco_code[:n] for o in context.occupations if o.isco_code for n in range(1, len(o.isco_code) + 1)}


def _audience_q(context: CitizenContext) -> Q:
    """In SQL, what `_audience_includes` says in Python."""
    allowed = Q(audience=Audience.EVERYONE)
    if context.track_key:
        allowed |= Q(audience=Audience.TRACKS) & _contains_any("audience_tracks_text", [context.track_key])
    prefixes = _isco_prefixes(context)
    if prefixes:
        allowed |= Q(audience=Audience.OCCUPATIONS) & _contains_any("audience_isco_text", prefixes)
    return allowed


def _promoted_q(today: datetime.date) -> Q:
    return (Q(promotion_priority__gt=0) & (Q(promoted_from__isnull=True) | Q(promoted_from__lte=today))
            & (Q(promoted_until__isnull=True) | Q(promoted_until__gte=today)))


def _visible(*, citizen, context: CitizenContext, query: str = "", kind: str = "", format: str = "",
             provider: str = "") -> QuerySet[MunicipalOffer]:
    rows = _searched(_shown(citizen.municipality_id), query=query, kind=kind, format=format, provider=provider)
    rows = rows.annotate(**{name: Cast(field, TextField()) for name, field in _JSON_TEXT.items()})
    return rows.filter(_audience_q(context))


def _ordered(rows: QuerySet[MunicipalOffer]) -> QuerySet[MunicipalOffer]:
    """Promoted offers first (highest priority), then by title in the page's language."""
    return rows.annotate(
        shown_priority=Case(When(_promoted_q(timezone.localdate()), then=F("promotion_priority")), default=Value(0)),
        shown_title=snapshots.shown_title(_english()),
    ).order_by("-shown_priority", "shown_title", "id")


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _entries(ids: list[int]) -> list[Entry]:
    """These curated offers as entries (with the published version and vendor), in this order."""
    rows = {row.pk: row for row in MunicipalOffer.all_tenants.filter(pk__in=ids)
            .select_related("offer__published_version", "offer__vendor")}
    return [entry for entry in (_entry(rows[pk]) for pk in ids if pk in rows) if entry is not None]


def _entry(row: MunicipalOffer) -> Entry | None:
    version = row.offer.published_version
    return Entry(row, version) if version is not None else None


def catalogue(*, citizen, context: CitizenContext | None = None, query: str = "", kind: str = "",
              format: str = "", provider: str = "") -> list[Entry]:
    """Every offer the citizen's municipality shows them, searched and filtered; promoted ones first."""
    rows = _visible(citizen=citizen, context=context or citizen_context(citizen), query=query, kind=kind,
                    format=format, provider=provider)
    return [entry for entry in map(_entry, _ordered(rows)) if entry is not None]


@dataclass
class CataloguePage:
    entries: list[Entry]
    number: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def catalogue_page(*, citizen, context: CitizenContext | None = None, number: int = 1, query: str = "",
                   kind: str = "", format: str = "", provider: str = "",
                   size: int = CATALOGUE_PAGE_SIZE) -> CataloguePage:
    """One page of the citizen's catalogue (three queries whatever its size); a page number out of range
    gives the nearest page."""
    rows = _visible(citizen=citizen, context=context or citizen_context(citizen), query=query, kind=kind,
                    format=format, provider=provider)
    total = rows.count()
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    ids = list(_ordered(rows).values_list("id", flat=True)[(number - 1) * size:number * size])
    return CataloguePage(entries=_entries(ids), number=number, pages=pages, total=total)


@dataclass
class Recommendation:
    entry: Entry
    score: float
    reason: str


def _join(parts: list[str]) -> str:
    """"du søger job som X og har været ledig i 3 måneder": a repeated subject is said once."""
    subject = parts[0].split(" ", 1)[0] if parts else ""
    parts = parts[:1] + [p.split(" ", 1)[1] if p.split(" ", 1)[0] == subject and " " in p else p for p in parts[1:]]
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


_words = snapshots.words


def _months_text(months: int) -> str:
    if months == 1:
        return _("you have been unemployed for 1 month")
    return _("you have been unemployed for %(months)s months") % {"months": months}


_UNEMPLOYED = {Situation.NEWLY_UNEMPLOYED, Situation.OVER_3_MONTHS, Situation.OVER_6_MONTHS, Situation.OVER_12_MONTHS}


def _matches(candidate: Candidate, context: CitizenContext, plan: list[tuple[str, set[str]]],
             today: datetime.date) -> tuple[float, list[tuple[str, str]]]:
    """The score and what matched, as (kind, detail): computed for every candidate, worded only for the few
    shown (`_reason`)."""
    score, found = 0.0, []
    occupation = _isco_match(candidate.target_isco + candidate.audience_isco, context.occupations)
    if occupation is not None:
        score += 3
        found.append(("occupation", occupation.label))
    if context.track_key and (context.track_key in candidate.target_tracks
                              or context.track_key in candidate.audience_tracks):
        score += 3
        found.append(("track", ""))
    if candidate.target_situations:
        matched = context.situations.intersection(candidate.target_situations)
        if matched & _UNEMPLOYED and context.months_unemployed is not None:
            score += 2
            found.append(("months", ""))
        for situation in (Situation.UNDER_30, Situation.OVER_50):
            if situation in matched:
                score += 1
                found.append((situation, ""))
    if plan:
        words = candidate.words_da
        title = next((title for title, title_words in plan if not words.isdisjoint(title_words)), "")
        if title:
            score += 1
            found.append(("plan", title))
    priority = candidate.priority(today)
    if priority:
        score += priority / 25
        found.append(("promoted", ""))
    return score, found


def _reason(found: list[tuple[str, str]], context: CitizenContext) -> str:
    parts = []
    for kind, detail in found:
        if kind == "occupation":
            parts.append(_("you are looking for work as %(occupation)s") % {"occupation": detail.lower()})
        elif kind == "track":
            parts.append(_("you are on the track “%(track)s”") % {"track": context.track_name})
        elif kind == "months":
            parts.append(_months_text(context.months_unemployed or 0))
        elif kind == Situation.UNDER_30:
            parts.append(_("you are under 30"))
        elif kind == Situation.OVER_50:
            parts.append(_("you are over 50"))
        elif kind == "plan":
            parts.append(_("it fits “%(activity)s” in your plan") % {"activity": detail})
        else:
            parts.append(_("the job centre recommends it"))
    return _("because %(reasons)s") % {"reasons": _join(parts)}


def _ranked(shown: snapshots.Snapshot, context: CitizenContext, *, limit: int, today: datetime.date,
            english: bool) -> list[tuple[float, str, int, list[tuple[str, str]]]]:
    """The best `limit` offers for the citizen from the municipality's snapshot, as (-score, title, id,
    what matched), best first."""
    plan = [(title, _words(title)) for title in context.plan_titles]
    found = shown.candidates(track_key=context.track_key, isco_prefixes=_isco_prefixes(context),
                             situations=context.situations,
                             plan_words={word for _title, title_words in plan for word in title_words})
    scored = []
    for candidate in found:
        if candidate.offer_id in context.enrolled_offer_ids or not _may_see(candidate, context):
            continue
        score, matched = _matches(candidate, context, plan, today)
        if matched:
            scored.append((-score, candidate.title(english).lower(), candidate.id, matched))
    scored.sort(key=lambda s: s[:3])
    return scored[:limit]


def _may_see(candidate: Candidate, context: CitizenContext) -> bool:
    return candidate.audience == Audience.EVERYONE or _audience_includes(
        candidate.audience, candidate.audience_tracks, candidate.audience_isco, context)


def _shown_entries(municipality_id: int, ids: list[int]) -> dict[int, Entry]:
    """These curated offers as entries, only while the municipality still shows them (one query)."""
    if not ids:
        return {}
    return {row.pk: entry for row in _shown(municipality_id).filter(pk__in=ids)
            if (entry := _entry(row)) is not None}


def _recommendations(best, entries: dict[int, Entry], context: CitizenContext) -> list[Recommendation]:
    return [Recommendation(entry=entry, score=-order, reason=_reason(matched, context))
            for order, _title, pk, matched in best if (entry := entries.get(pk)) is not None]


def for_you(*, citizen, context: CitizenContext | None = None, limit: int = FOR_YOU_LIMIT) -> list[Recommendation]:
    """"Til dig": offers matching the citizen, best first, each with its reason; not those they are in. The
    candidates come from the municipality's snapshot (`snapshots.current`); only the few shown are read as
    models, and only while still shown."""
    context = context or citizen_context(citizen)
    best = _ranked(snapshots.current(citizen.municipality_id), context, limit=limit, today=timezone.localdate(),
                   english=_english())
    return _recommendations(best, _shown_entries(citizen.municipality_id, [pk for _o, _t, pk, _m in best]), context)


def front_page(*, citizen, context: CitizenContext | None = None, number: int = 1,
               size: int = CATALOGUE_PAGE_SIZE) -> tuple[CataloguePage, list[Recommendation]]:
    """The catalogue page without a search: one page of every offer the citizen may see (as
    `catalogue_page` orders them), and on the first page "Til dig". Both from the municipality's snapshot,
    the shown entries read in one query."""
    context = context or citizen_context(citizen)
    shown = snapshots.current(citizen.municipality_id)
    today, english = timezone.localdate(), _english()
    visible = [candidate for candidate in shown.offers if _may_see(candidate, context)]
    total = len(visible)
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    rank = shown.title_rank(english)
    last = len(rank)
    visible.sort(key=lambda c: (-c.priority(today), rank.get(c.id, last), c.id))
    ids = [candidate.id for candidate in visible[(number - 1) * size:number * size]]
    best = _ranked(shown, context, limit=FOR_YOU_LIMIT, today=today, english=english) if number == 1 else []
    entries = _shown_entries(citizen.municipality_id, ids + [pk for _o, _t, pk, _m in best])
    page = CataloguePage(entries=[entries[pk] for pk in ids if pk in entries], number=number, pages=pages,
                         total=total)
    return page, _recommendations(best, entries, context)


def access_entry(*, actor, citizen, id: int) -> Entry:
    """An offer shown to the citizen (the citizen only; withdrawn, another municipality's and outside their
    audience look missing)."""
    if not permissions.can_enrol(actor, citizen):
        raise NotFound
    row = _shown(citizen.municipality_id).filter(pk=id).first()
    if row is None or row.offer.published_version is None or not in_audience(row, citizen_context(citizen)):
        raise NotFound
    return Entry(row, row.offer.published_version)


def own_enrolments(*, citizen) -> QuerySet[Enrolment]:
    return (Enrolment.all_tenants.filter(citizen=citizen, municipality_id=citizen.municipality_id)
            .select_related("municipal_offer", "offer__published_version"))


def active_enrolment(*, citizen, offer_id: int) -> Enrolment | None:
    return own_enrolments(citizen=citizen).filter(offer_id=offer_id, status=EnrolmentStatus.ENROLLED).first()


def access_own_enrolment(*, actor, citizen, id: int) -> Enrolment:
    if not permissions.can_enrol(actor, citizen):
        raise NotFound
    enrolment = own_enrolments(citizen=citizen).filter(pk=id).first()
    if enrolment is None:
        raise NotFound
    return enrolment


@transaction.atomic
def enrolments_for_staff(*, actor, citizen) -> list[EnrolmentLine]:
    """A citizen's enrolments for the staff citizen page, access-logged."""
    if not permissions.can_view_enrolments(actor, citizen):
        raise NotFound
    rows = list(own_enrolments(citizen=citizen))
    if not permissions.is_owner_of(actor, citizen):
        citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                              what="marketplace enrolments", purpose="help")
    return [EnrolmentLine(id=e.pk, offer_title=e.municipal_offer.local_title or e.offer.published_version.title_da,
                          status=e.status, status_label=str(e.get_status_display()), enrolled_at=e.enrolled_at)
            for e in rows if e.offer.published_version is not None]


# --- Curation -------------------------------------------------------------------------------------

def curated_offers(*, actor, municipality_id: int) -> QuerySet[MunicipalOffer]:
    if not permissions.can_curate(actor, municipality_id):
        raise NotFound
    return (MunicipalOffer.all_tenants.filter(municipality_id=municipality_id)
            .select_related("offer__published_version", "offer__vendor").order_by("withdrawn_at", "-promotion_priority",
                                                                                   "-enabled_at"))


def enableable_offers(*, actor, municipality_id: int) -> list[tuple[Offer, bool]]:
    """Published offers the municipality has not enabled: the national library's, its own, and vendors';
    each with whether it can be enabled now (a vendor's needs an agreement)."""
    if not permissions.can_curate(actor, municipality_id):
        raise NotFound
    taken = MunicipalOffer.all_tenants.filter(municipality_id=municipality_id).values_list("offer_id", flat=True)
    rows = (Offer.objects.filter(status=OfferStatus.PUBLISHED)
            .filter(Q(provider_kind__in=[ProviderKind.NATIONAL, ProviderKind.VENDOR])
                    | Q(provider_kind=ProviderKind.MUNICIPALITY, owner_municipality_id=municipality_id))
            .exclude(pk__in=taken).select_related("published_version", "vendor").order_by("provider_kind", "id"))
    return [(offer, permissions.can_enable_offer(actor, municipality_id, offer)) for offer in rows]


def access_curated(*, actor, municipality_id: int, id: int) -> MunicipalOffer:
    if not permissions.can_curate(actor, municipality_id):
        raise NotFound
    row = (MunicipalOffer.all_tenants.filter(municipality_id=municipality_id, pk=id)
           .select_related("offer__published_version", "offer__vendor").first())
    if row is None:
        raise NotFound
    return row


def access_published_offer(*, actor, municipality_id: int, id: int) -> Offer:
    """A published offer an administrator may look at before enabling it (not another municipality's own)."""
    if not permissions.can_curate(actor, municipality_id):
        raise NotFound
    offer = (Offer.objects.filter(pk=id, status=OfferStatus.PUBLISHED)
             .filter(Q(provider_kind__in=[ProviderKind.NATIONAL, ProviderKind.VENDOR])
                     | Q(owner_municipality_id=municipality_id))
             .select_related("published_version", "vendor").first())
    if offer is None:
        raise NotFound
    return offer


def own_municipal_offers(*, actor, municipality_id: int) -> QuerySet[Offer]:
    """The municipality's own offers, in every status, for its administrators."""
    if not permissions.can_curate(actor, municipality_id):
        raise NotFound
    newest = OfferVersion.objects.filter(offer_id=OuterRef("pk")).order_by("-number").values("title_da")[:1]
    return (Offer.objects.filter(provider_kind=ProviderKind.MUNICIPALITY, owner_municipality_id=municipality_id)
            .select_related("published_version").annotate(newest_title=Subquery(newest)))


def access_own_offer(*, actor, municipality_id: int, id: int) -> Offer:
    """One of the municipality's own offers for its administrators; another municipality's looks missing."""
    offer = own_municipal_offers(actor=actor, municipality_id=municipality_id).filter(pk=id).first()
    if offer is None:
        raise NotFound
    return offer


def curated_of(*, municipality_id: int, offer_id: int) -> MunicipalOffer | None:
    return MunicipalOffer.all_tenants.filter(municipality_id=municipality_id, offer_id=offer_id).first()


# --- Reads for payment agreements (the agreements app checks its own permissions; ADR 0085) ----------

def payable_offer(offer_id: int) -> Offer | None:
    """A vendor's offer (only vendors' offers are paid through agreements), or None."""
    return (Offer.objects.filter(pk=offer_id, provider_kind=ProviderKind.VENDOR)
            .select_related("vendor", "published_version").first())


def payable_offers() -> list[Offer]:
    """Active vendors' offers that are not withdrawn, by vendor name."""
    return list(Offer.objects.filter(provider_kind=ProviderKind.VENDOR, vendor__is_active=True)
                .exclude(status=OfferStatus.WITHDRAWN).select_related("vendor", "published_version")
                .order_by("vendor__name", "pk"))


def vendors_offering_in(*, municipality_id: int) -> list[tuple[int, str]]:
    """Active vendors with at least one offer enabled (and not withdrawn) in the municipality, as
    (id, name) by name: whom the municipality's staff may name as a course's teacher (ADR 0120)."""
    rows = (MunicipalOffer.all_tenants.filter(municipality_id=municipality_id, withdrawn_at__isnull=True,
                                              offer__provider_kind=ProviderKind.VENDOR, offer__vendor__is_active=True)
            .exclude(offer__status=OfferStatus.WITHDRAWN)
            .values_list("offer__vendor_id", "offer__vendor__name").distinct().order_by("offer__vendor__name",
                                                                                    "offer__vendor_id"))
    return [(vendor_id, name) for vendor_id, name in rows]


def vendor_exists(vendor_id: int) -> bool:
    return Vendor.objects.filter(pk=vendor_id).exists()


def offer_titles(*, vendor_ids: list[int]) -> dict[int, str]:
    """Offer id -> its published title (or "#id") for the vendors' offers."""
    return {offer.pk: offer_title(offer)
            for offer in Offer.objects.filter(vendor_id__in=vendor_ids).select_related("published_version")}


def offer_title(offer: Offer) -> str:
    version = offer.published_version
    return version.title if version is not None else f"#{offer.pk}"


def offer_use_events(*, municipality_id: int, offer_id: int, kinds: list[str], before: datetime.datetime,
                     since: datetime.datetime | None = None, fields: tuple[str, ...]):
    """One offer's use events in one municipality of these kinds, before `before` (and from `since`),
    oldest first, as rows of `fields` (a national read for the statement of one municipality)."""
    events = UseEvent.all_tenants.filter(municipality_id=municipality_id, offer_id=offer_id, kind__in=kinds,
                                         occurred_at__lt=before)
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    return events.order_by("occurred_at", "id").values_list(*fields)


def vendor_use_events(*, vendor_ids: list[int], since: datetime.datetime, fields: tuple[str, ...]):
    """The vendors' use events in every municipality since `since`, as rows of `fields` (their own figures)."""
    return UseEvent.all_tenants.filter(vendor_id__in=vendor_ids, occurred_at__gte=since).values_list(*fields)


# --- Providers and the operator --------------------------------------------------------------------

def vendor_offers(*, actor) -> QuerySet[Offer]:
    vendor_id = permissions.vendor_id_of(actor)
    if vendor_id is None:
        raise NotFound
    return Offer.objects.filter(vendor_id=vendor_id).select_related("published_version")


def national_offers(*, actor) -> QuerySet[Offer]:
    if not permissions.is_operator(actor):
        raise NotFound
    return Offer.objects.filter(provider_kind=ProviderKind.NATIONAL).select_related("published_version")


def offers_waiting_for_review(*, actor) -> QuerySet[OfferVersion]:
    """Versions of vendors' and national offers waiting for the platform operator."""
    if not permissions.is_operator(actor):
        raise NotFound
    return (OfferVersion.objects.filter(status=VersionStatus.SUBMITTED,
                                        offer__provider_kind__in=[ProviderKind.VENDOR, ProviderKind.NATIONAL])
            .select_related("offer__vendor").order_by("submitted_at", "id"))


def access_offer(*, actor, id: int) -> Offer:
    """An offer with its versions for its provider or reviewer; others get NotFound."""
    offer = Offer.objects.filter(pk=id).select_related("vendor", "published_version").first()
    if offer is None or not permissions.can_read_offer_versions(actor, offer):
        raise NotFound
    return offer


def open_version(*, offer: Offer) -> OfferVersion | None:
    return offer.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED,
                                             VersionStatus.APPROVED]).first()


# --- Ratings ---------------------------------------------------------------------------------------

def _summary(count: int, average) -> RatingSummary:
    shown = count >= RATING_MIN_SHOWN and average is not None
    return RatingSummary(count=count, average=round(float(average), 1) if shown else None)


def rating_summary(*, municipality_id: int, offer_id: int) -> RatingSummary:
    """The approved ratings of an offer in one municipality (each municipality moderates its own)."""
    row = Rating.all_tenants.filter(municipality_id=municipality_id, offer_id=offer_id,
                                    status=RatingStatus.APPROVED).aggregate(count=Count("id"), average=Avg("score"))
    return _summary(row["count"] or 0, row["average"])


def rating_summaries(*, municipality_id: int, offer_ids) -> dict[int, RatingSummary]:
    """offer id -> its approved ratings in the municipality, for a whole list in one grouped query."""
    ids = sorted(set(offer_ids))
    if not ids:
        return {}
    rows = (Rating.all_tenants.filter(municipality_id=municipality_id, offer_id__in=ids, status=RatingStatus.APPROVED)
            .values("offer_id").annotate(count=Count("id"), average=Avg("score")).order_by())
    found = {row["offer_id"]: _summary(row["count"], row["average"]) for row in rows}
    return {offer_id: found.get(offer_id, RatingSummary(count=0, average=None)) for offer_id in ids}


def with_ratings(entries: list[Entry], *, municipality_id: int) -> list[Entry]:
    """Set each entry's `rating` (one query for the list); the cards show it from RATING_MIN_SHOWN ratings."""
    summaries = rating_summaries(municipality_id=municipality_id, offer_ids=[e.curated.offer_id for e in entries])
    for entry in entries:
        entry.rating = summaries[entry.curated.offer_id]
    return entries


def own_rating(*, citizen, offer_id: int) -> Rating | None:
    return Rating.all_tenants.filter(citizen=citizen, offer_id=offer_id,
                                     municipality_id=citizen.municipality_id).first()


def pending_ratings(*, actor, municipality_id: int) -> QuerySet[Rating]:
    """Ratings waiting for moderation in the administrator's municipality (score and text, no citizen)."""
    if not permissions.can_curate(actor, municipality_id):
        raise NotFound
    return (Rating.all_tenants.filter(municipality_id=municipality_id, status=RatingStatus.PENDING)
            .select_related("offer__published_version").order_by("updated_at", "id"))


def access_pending_rating(*, actor, municipality_id: int, id: int) -> Rating:
    rating = pending_ratings(actor=actor, municipality_id=municipality_id).filter(pk=id).first()
    if rating is None:
        raise NotFound
    return rating


def vendor_ratings(*, actor) -> QuerySet[Rating]:
    """Approved ratings of the vendor's own offers, from every municipality; never who wrote them."""
    vendor_id = permissions.vendor_id_of(actor)
    if vendor_id is None:
        raise NotFound
    return (Rating.all_tenants.filter(offer__vendor_id=vendor_id, status=RatingStatus.APPROVED)
            .select_related("offer__published_version").order_by("-moderated_at", "-id"))


def access_vendor_rating(*, actor, id: int) -> Rating:
    rating = vendor_ratings(actor=actor).filter(pk=id).first()
    if rating is None:
        raise NotFound
    return rating


# --- Usage per offer in the municipality (staff) -----------------------------------------------------

USAGE_MONTHS = 12
USAGE_KINDS = ("enrolled", "launched", "completed")


@dataclass
class UsageMonth:
    month: datetime.date
    enrolled: int = 0
    launched: int = 0
    completed: int = 0


@dataclass
class OfferUsage:
    curated: MunicipalOffer
    rating: RatingSummary
    months: list[UsageMonth]

    @property
    def title(self) -> str:
        version = self.curated.offer.published_version
        return self.curated.local_title or (version.title if version else str(self.curated.offer))

    def total(self, kind: str) -> int:
        return sum(getattr(month, kind) for month in self.months)

    @property
    def enrolled(self) -> int:
        return self.total("enrolled")

    @property
    def launched(self) -> int:
        return self.total("launched")

    @property
    def completed(self) -> int:
        return self.total("completed")


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def offer_usage(*, actor, municipality_id: int, today: datetime.date | None = None) -> list[OfferUsage]:
    """Per offer the municipality has shown: enrolments, launches and completions per calendar month of the
    last 12 (newest first, months without use left out) and the approved rating. Three queries in all.
    Exact counts: only the municipality's own staff and administrators see them (can_view_usage)."""
    if not permissions.can_view_usage(actor, municipality_id):
        raise NotFound
    today = today or timezone.localdate()
    since = _month_start(today, USAGE_MONTHS - 1)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    curated = list(MunicipalOffer.all_tenants.filter(municipality_id=municipality_id)
                   .select_related("offer__published_version").order_by("withdrawn_at", "local_title", "id"))
    counts: dict[int, dict[datetime.date, UsageMonth]] = {}
    rows = (UseEvent.all_tenants.filter(municipality_id=municipality_id, occurred_at__gte=start, kind__in=USAGE_KINDS)
            .annotate(month=TruncMonth("occurred_at")).values("offer_id", "month", "kind")
            .annotate(n=Count("id")).order_by())
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        line = counts.setdefault(row["offer_id"], {}).setdefault(month, UsageMonth(month=month))
        setattr(line, row["kind"], getattr(line, row["kind"]) + row["n"])
    ratings = rating_summaries(municipality_id=municipality_id, offer_ids=[c.offer_id for c in curated])
    found = [OfferUsage(curated=c, rating=ratings[c.offer_id],
                        months=sorted(counts.get(c.offer_id, {}).values(), key=lambda m: m.month, reverse=True))
             for c in curated]
    found.sort(key=lambda usage: (usage.curated.withdrawn_at is not None, -usage.enrolled, usage.title.lower()))
    return found


# --- Pushing an offer to a segment (the staff workspace's bulk push reads these) ----------------------

def access_pushable_offer(*, actor, municipality_id: int, id: int) -> PushableOffer:
    """An offer the municipality shows now (published, not withdrawn here), for its administrators, who push
    it to a segment; withdrawn, unpublished and another municipality's look missing."""
    if not permissions.can_curate(actor, municipality_id):
        raise NotFound
    row = _shown(municipality_id).filter(pk=id).first()
    if row is None or row.offer.published_version is None:
        raise NotFound
    entry = Entry(row, row.offer.published_version)
    municipality = get_municipality(municipality_id=municipality_id)
    return PushableOffer(curated_id=row.pk, offer_id=row.offer_id, municipality_id=municipality_id,
                         title=entry.curated.local_title or entry.version.title_da,
                         summary=entry.curated.local_summary or entry.version.summary_da,
                         path=municipal_reverse(municipality.slug, "marketplace:detail", args=[row.pk]),
                         audience=row.audience, audience_label=str(row.get_audience_display()))


def audience_citizen_ids(*, municipality_id: int, curated_id: int) -> QuerySet | None:
    """Who the offer is shown to, as a subquery of citizen ids for a push to be limited to, or None when it is
    shown to every citizen of the municipality. The same rules as `in_audience`: the citizen's current track,
    or an occupation they seek within the chosen ISCO groups."""
    row = MunicipalOffer.all_tenants.get(municipality_id=municipality_id, pk=curated_id)
    if row.audience == Audience.TRACKS:
        return segmentation_selectors.citizen_ids_on_tracks(municipality_id=municipality_id,
                                                            track_keys=list(row.audience_tracks))
    if row.audience == Audience.OCCUPATIONS:
        return citizen_selectors.citizen_ids_seeking_isco(municipality_id=municipality_id,
                                                          isco_prefixes=list(row.audience_isco))
    return None


def first_enrolments(*, municipality_id: int) -> list[tuple[int, int, datetime.date]]:
    """(offer id, citizen id, day of the citizen's first enrolment in the offer) in the municipality,
    aggregated in the database (analytics' exposures "used the offer"). Withdrawn enrolments count:
    the citizen started using the offer."""
    from django.db.models import Min

    rows = (Enrolment.all_tenants.filter(municipality_id=municipality_id).values("offer_id", "citizen_id")
            .annotate(first=Min("enrolled_at")).values_list("offer_id", "citizen_id", "first"))
    return [(offer_id, citizen_id, timezone.localdate(first)) for offer_id, citizen_id, first in rows]


def first_enrolments_of(*, citizen_ids) -> list[tuple[int, int, datetime.date]]:
    """(offer id, citizen id, day of the first enrolment) of these citizens, whatever their municipality: for
    analytics' national, anonymous "people like you" aggregate (ADR 0130). Withdrawn enrolments count."""
    from django.db.models import Min

    ids = sorted({int(i) for i in citizen_ids})
    found = []
    for start in range(0, len(ids), 1000):
        rows = (Enrolment.all_tenants.filter(citizen_id__in=ids[start:start + 1000]).values("offer_id", "citizen_id")
                .annotate(first=Min("enrolled_at")).values_list("offer_id", "citizen_id", "first"))
        found += [(offer_id, citizen_id, timezone.localdate(first)) for offer_id, citizen_id, first in rows]
    return found


def offer_titles_by_id(*, offer_ids) -> dict[int, str]:
    """Offer id -> its published title (or "#id")."""
    return {offer.pk: offer_title(offer)
            for offer in Offer.objects.filter(pk__in=list(offer_ids)).select_related("published_version")}


def enrolled_citizen_counts(*, municipality_id: int) -> dict[int, int]:
    """Offer id -> citizens of the municipality who ever enrolled in it, one grouped query (analytics)."""
    return dict(Enrolment.all_tenants.filter(municipality_id=municipality_id).values("offer_id")
                .annotate(n=Count("citizen_id", distinct=True)).values_list("offer_id", "n"))
def enrolments_for_pseudonyms(*, vendor_id: int, keys) -> dict:
    """enrolment_for_pseudonym for many (offer_id, subject) pairs in three queries: each pair to
    (municipality_id, citizen_id, enrolment_id) or "offer_unknown" / "subject_unknown", exactly as one by one."""
    from .models import Enrolment, Offer, ProviderKind, UseEvent, UseKind

    keys = list(dict.fromkeys(keys))
    offer_ids = {offer_id for offer_id, _subject in keys}
    owned = set(Offer.objects.filter(pk__in=offer_ids, vendor_id=vendor_id, provider_kind=ProviderKind.VENDOR)
                .values_list("pk", flat=True))
    wanted = set(keys)
    enrolments_of: dict[tuple, set[int]] = {}
    for offer_id, subject, enrolment_id in UseEvent.all_tenants.filter(
            offer_id__in=owned, vendor_id=vendor_id, subject__in={s for o, s in keys if o in owned},
            kind=UseKind.ENROLLED, enrolment__isnull=False).values_list("offer_id", "subject", "enrolment_id"):
        if (offer_id, subject) in wanted:
            enrolments_of.setdefault((offer_id, subject), set()).add(enrolment_id)
    rows = {row[2]: row for row in Enrolment.all_tenants.filter(
        pk__in={e for ids in enrolments_of.values() for e in ids}).values_list(
        "municipality_id", "citizen_id", "id", "enrolled_at")}
    result: dict = {}
    for key in keys:
        if key[0] not in owned:
            result[key] = "offer_unknown"
            continue
        found = [rows[e] for e in enrolments_of.get(key, ()) if e in rows]
        latest = max(found, key=lambda row: (row[3], row[2]), default=None)  # -enrolled_at, -id
        result[key] = latest[:3] if latest is not None else "subject_unknown"
    return result


def enrolment_for_pseudonym(*, vendor_id: int, offer_id: int, subject: str):
    """The enrolment (any status) a vendor's pseudonym stands for in one of its own offers, latest first:
    (municipality_id, citizen_id, enrolment_id), or "offer_unknown" / "subject_unknown" as a string when there
    is none. For the learning records (ADR 0095), found the way reported use is (reporting._enrolment)."""
    from .models import Enrolment, Offer, ProviderKind, UseEvent, UseKind

    if not Offer.objects.filter(pk=offer_id, vendor_id=vendor_id, provider_kind=ProviderKind.VENDOR).exists():
        return "offer_unknown"
    enrolment_ids = UseEvent.all_tenants.filter(offer_id=offer_id, vendor_id=vendor_id, subject=subject,
                                                kind=UseKind.ENROLLED, enrolment__isnull=False).values("enrolment_id")
    found = (Enrolment.all_tenants.filter(pk__in=enrolment_ids).order_by("-enrolled_at", "-id")
             .values_list("municipality_id", "citizen_id", "id").first())
    return found if found is not None else "subject_unknown"
