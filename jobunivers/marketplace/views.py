"""Marketplace pages: the citizen browses, searches, reads "Til dig", enrols, starts and leaves offers; the
municipality's administrators choose, word, aim, promote and withdraw offers; caseworkers share an offer
with a citizen. Thin: parse, call a selector or service, render. Pages that show one object answer 404 to
everyone who may not see it (another municipality's, another citizen's, another role's)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens import selectors as citizen_selectors
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.segmentation import selectors as segmentation_selectors
from jobunivers.tenancy.decorators import municipal_view, national_view
from jobunivers.tenancy.roles import Role

from . import permissions, selectors, services
from .forms import (
    CurationForm,
    EnrolForm,
    LocalOfferForm,
    ModerationForm,
    OfferForm,
    RatingForm,
    ReasonForm,
    ReplyForm,
    ReviewForm,
    SearchForm,
    ShareForm,
    offer_initial,
)
from .models import ConsentField, EnrolmentStatus, LaunchMethod, ProviderKind

# --- The citizen ----------------------------------------------------------------------------------

def _page_number(request) -> int:
    try:
        return int(request.GET.get("side", "1"))
    except ValueError:
        return 1


@municipal_view(Role.CITIZEN)
def catalogue(request):
    citizen = citizen_selectors.own_citizen(user=request.user)
    form = SearchForm(request.GET or None)
    searching = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    context = selectors.citizen_context(citizen)
    if searching:
        data = form.cleaned_data
        page = selectors.catalogue_page(citizen=citizen, context=context, number=_page_number(request),
                                        query=data.get("q", ""), kind=data.get("kind", ""),
                                        format=data.get("format", ""), provider=data.get("provider", ""))
        for_you = []
    else:
        page, for_you = selectors.front_page(citizen=citizen, context=context, number=_page_number(request))
    # One rating query for both lists (the same offer may be on both: its card gets the same figure).
    selectors.with_ratings(page.entries + [r.entry for r in for_you], municipality_id=citizen.municipality_id)
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "marketplace/catalogue.html", {
        "form": form if form.is_bound else SearchForm(), "searching": searching, "page": page,
        "query": query.urlencode(), "for_you": for_you,
        "enrolments": selectors.own_enrolments(citizen=citizen).filter(status=EnrolmentStatus.ENROLLED)})


def _entry_or_404(request, entry_id: int):
    citizen = citizen_selectors.own_citizen(user=request.user)
    return citizen, selectors.access_entry(actor=request.user, citizen=citizen, id=entry_id)


def _detail_page(request, citizen, entry, *, form=None, rating_form=None):
    enrolment = selectors.active_enrolment(citizen=citizen, offer_id=entry.offer.pk)
    return render(request, "marketplace/detail.html", {
        "entry": entry, "enrolment": enrolment, "form": form or EnrolForm(asked=entry.version.consent_fields),
        "signed": entry.version.launch_method == LaunchMethod.SIGNED,
        "in_platform": entry.version.launch_method == LaunchMethod.IN_PLATFORM,
        "consented": [ConsentField(value).label for value in (enrolment.consented_fields if enrolment else [])],
        "summary": selectors.rating_summary(municipality_id=citizen.municipality_id, offer_id=entry.offer.pk),
        "own_rating": selectors.own_rating(citizen=citizen, offer_id=entry.offer.pk),
        "can_rate": permissions.can_rate(request.user, citizen, entry.offer.pk),
        "rating_form": rating_form or RatingForm()})


@municipal_view()
def detail(request, entry_id: int):
    citizen, entry = _entry_or_404(request, entry_id)
    form = None
    if request.method == "POST":
        form = EnrolForm(request.POST, asked=entry.version.consent_fields)
        if form.is_valid():
            try:
                services.enrol(actor=request.user, citizen=citizen, municipal_offer=entry.curated,
                               consented_fields=form.cleaned_data.get("consented_fields", []),
                               add_to_plan=form.cleaned_data["add_to_plan"])
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("You are enrolled."))
                return redirect("marketplace:detail", entry_id=entry.id)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return _detail_page(request, citizen, entry, form=form)


@require_POST
@municipal_view()
def rate(request, entry_id: int):
    """The citizen rates an offer they enrolled in or used; errors are shown on the offer's page."""
    citizen, entry = _entry_or_404(request, entry_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_submit(actor=request.user, citizen=citizen, municipal_offer=entry.curated,
                                   score=form.cleaned_data["score"], text=form.cleaned_data["text"])
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Thank you. The municipality reads your rating before it is shown."))
            return redirect("marketplace:detail", entry_id=entry.id)
    return _detail_page(request, citizen, entry, rating_form=form)


@require_POST
@municipal_view()
def start(request, entry_id: int):
    citizen, entry = _entry_or_404(request, entry_id)
    try:
        started = services.launch(actor=request.user, citizen=citizen, municipal_offer=entry.curated)
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
        return redirect("marketplace:detail", entry_id=entry.id)
    if not started.url:
        return redirect("marketplace:detail", entry_id=entry.id)
    return redirect(started.url)


@require_POST
@municipal_view()
def leave(request, enrolment_id: int):
    citizen = citizen_selectors.own_citizen(user=request.user)
    enrolment = selectors.access_own_enrolment(actor=request.user, citizen=citizen, id=enrolment_id)
    try:
        services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, _("You have left the offer."))
    return redirect("marketplace:detail", entry_id=enrolment.municipal_offer_id)


# --- The municipality's administrators ---------------------------------------------------------------

@municipal_view(Role.MUNICIPALITY_ADMIN)
def curation(request):
    return render(request, "marketplace/curation.html", {
        "own": selectors.own_municipal_offers(actor=request.user, municipality_id=request.municipality_id),
        "curated": selectors.curated_offers(actor=request.user, municipality_id=request.municipality_id),
        "available": selectors.enableable_offers(actor=request.user, municipality_id=request.municipality_id)})


@require_POST
@municipal_view()
def enable(request, offer_id: int):
    offer = selectors.access_published_offer(actor=request.user, municipality_id=request.municipality_id,
                                             id=offer_id)
    try:
        curated = services.municipal_offer_enable(actor=request.user, municipality_id=request.municipality_id,
                                                  offer=offer)
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
        return redirect("marketplace:curation")
    messages.success(request, _("The offer is now shown to citizens. Choose who sees it and whether to promote it."))
    return redirect("marketplace:curate", curated_id=curated.pk)


def _tracks():
    return [(t.key, t.name) for t in segmentation_selectors.tracks_for()]


@municipal_view()
def curate(request, curated_id: int):
    curated = selectors.access_curated(actor=request.user, municipality_id=request.municipality_id, id=curated_id)
    initial = {"local_title": curated.local_title, "local_summary": curated.local_summary,
               "local_text": curated.local_text, "audience": curated.audience,
               "audience_tracks": curated.audience_tracks, "audience_isco": ", ".join(curated.audience_isco),
               "promotion_priority": curated.promotion_priority, "promoted_from": curated.promoted_from,
               "promoted_until": curated.promoted_until, "version": curated.version}
    form, reason_form = CurationForm(initial=initial, tracks=_tracks()), ReasonForm()
    if request.method == "POST" and request.POST.get("form") == "withdraw":
        reason_form = ReasonForm(request.POST)
        if reason_form.is_valid():
            try:
                services.municipal_offer_withdraw(actor=request.user, municipal_offer=curated,
                                                  reason=reason_form.cleaned_data["reason"])
            except ValidationFailed as error:
                error.add_to_form(reason_form)
            else:
                messages.success(request, _("The offer is withdrawn. Citizens no longer see it."))
                return redirect("marketplace:curation")
    elif request.method == "POST":
        form = CurationForm(request.POST, tracks=_tracks())
        if form.is_valid():
            try:
                services.municipal_offer_update(actor=request.user, municipal_offer=curated,
                                                expected_version=form.cleaned_data["version"],
                                                values=form.cleaned_data)
            except ValidationFailed as error:
                error.add_to_form(form)
            except ConflictError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved."))
                return redirect("marketplace:curate", curated_id=curated.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "marketplace/curate.html", {"curated": curated, "form": form,
                                                       "reason_form": reason_form})


# --- The municipality's own offers -------------------------------------------------------------------

def _version_values(form) -> tuple[str, dict]:
    data = dict(form.cleaned_data)
    return data.pop("kind"), data


@municipal_view(Role.MUNICIPALITY_ADMIN)
def own_offer_new(request):
    """The administrator writes an offer of the municipality's own, shown only to its citizens."""
    form = LocalOfferForm(initial=offer_initial(None, None), tracks=_tracks())
    if request.method == "POST":
        form = LocalOfferForm(request.POST, tracks=_tracks())
        if form.is_valid():
            kind, values = _version_values(form)
            try:
                offer = services.offer_create(actor=request.user, provider_kind=ProviderKind.MUNICIPALITY, kind=kind,
                                              values=values, municipality_id=request.municipality_id)
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The draft is saved. Publish it when it is ready."))
                return redirect("marketplace:own_offer", offer_id=offer.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "marketplace/own_offer.html", {"form": form, "offer": None})


@municipal_view()
def own_offer(request, offer_id: int):
    """Edit the draft of one of the municipality's own offers, publish it, or withdraw the offer."""
    offer = selectors.access_own_offer(actor=request.user, municipality_id=request.municipality_id, id=offer_id)
    draft = selectors.open_version(offer=offer)
    form = LocalOfferForm(initial=offer_initial(offer, draft or offer.published_version), tracks=_tracks())
    reason_form = ReasonForm()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "save":
        form = LocalOfferForm(request.POST, tracks=_tracks())
        if form.is_valid():
            kind, values = _version_values(form)
            try:
                services.offer_version_save(actor=request.user, offer=offer, kind=kind, values=values)
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("marketplace:own_offer", offer_id=offer.pk)
    elif action == "publish":
        try:
            curated = services.own_offer_publish(actor=request.user, offer=offer)
        except ValidationFailed as error:
            _report(request, error)
            return redirect("marketplace:own_offer", offer_id=offer.pk)
        messages.success(request, _("The offer is published for the municipality's citizens. Choose who sees it "
                                    "and whether to promote it."))
        return redirect("marketplace:curate", curated_id=curated.pk)
    elif action == "withdraw":
        reason_form = ReasonForm(request.POST)
        if reason_form.is_valid():
            try:
                services.offer_withdraw(actor=request.user, offer=offer, reason=reason_form.cleaned_data["reason"])
            except ValidationFailed as error:
                error.add_to_form(reason_form)
            else:
                messages.success(request, _("The offer is withdrawn. Citizens no longer see it."))
                return redirect("marketplace:curation")
    elif request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "marketplace/own_offer.html", {
        "offer": offer, "draft": draft, "form": form, "reason_form": reason_form, "versions": offer.versions.all(),
        "curated": selectors.curated_of(municipality_id=request.municipality_id, offer_id=offer.pk)})


@municipal_view()
def usage(request):
    """Usage and rating per offer in the municipality, for its staff and administrators."""
    return render(request, "marketplace/usage.html", {
        "offers": selectors.offer_usage(actor=request.user, municipality_id=request.municipality_id),
        "can_curate": permissions.can_curate(request.user, request.municipality_id)})


@municipal_view(Role.MUNICIPALITY_ADMIN)
def ratings_moderation(request):
    return render(request, "marketplace/ratings_moderation.html", {
        "ratings": selectors.pending_ratings(actor=request.user, municipality_id=request.municipality_id)})


@require_POST
@municipal_view()
def rating_moderate(request, rating_id: int):
    rating = selectors.access_pending_rating(actor=request.user, municipality_id=request.municipality_id,
                                             id=rating_id)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("marketplace:ratings_moderation")
    try:
        services.rating_moderate(actor=request.user, rating=rating,
                                 approve=form.cleaned_data["decision"] == "approve",
                                 reason=form.cleaned_data["reason"])
    except ValidationFailed as error:
        _report(request, error)
    else:
        messages.success(request, _("The rating is approved.") if form.cleaned_data["decision"] == "approve"
                         else _("The rating is rejected."))
    return redirect("marketplace:ratings_moderation")


# --- Caseworkers ------------------------------------------------------------------------------------

@citizen_data_view
@municipal_view()
def staff_citizen(request, citizen_id: int):
    """A citizen's enrolments, and sharing an offer with them (it lands in their plan as a suggestion)."""
    citizen = citizen_selectors.access_citizen(actor=request.user, id=citizen_id, purpose="help",
                                               what="marketplace enrolments")
    offers = [e for e in selectors.catalogue(citizen=citizen)]
    form = ShareForm(offers=offers)
    if request.method == "POST":
        form = ShareForm(request.POST, offers=offers)
        if form.is_valid():
            chosen = next(e for e in offers if e.id == form.cleaned_data["offer"])
            try:
                services.offer_share(actor=request.user, citizen=citizen, municipal_offer=chosen.curated,
                                     note=form.cleaned_data["note"])
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The offer is in the citizen's plan as a suggestion."))
                return redirect("marketplace:staff_citizen", citizen_id=citizen.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "marketplace/staff_citizen.html", {
        "citizen": citizen, "form": form, "can_share": permissions.can_share_offer(request.user, citizen),
        "enrolments": selectors.enrolments_for_staff(actor=request.user, citizen=citizen)})


# --- Providers (vendor, operator) ---------------------------------------------------------------------

def _provider_kind(request) -> str:
    return ProviderKind.VENDOR if request.membership.role == Role.VENDOR else ProviderKind.NATIONAL


@national_view(Role.VENDOR, Role.PLATFORM_OPERATOR)
def provider_offers(request):
    """A vendor's own offers; for the operator, the national library and the versions waiting for review."""
    if request.membership.role == Role.VENDOR:
        try:
            offers = list(selectors.vendor_offers(actor=request.user))
        except NotFound:
            offers = []
        waiting = []
    else:
        offers = list(selectors.national_offers(actor=request.user))
        waiting = list(selectors.offers_waiting_for_review(actor=request.user))
    linked = request.membership.role != Role.VENDOR or permissions.vendor_id_of(request.user) is not None
    return render(request, "marketplace/provider_offers.html", {"offers": offers, "waiting": waiting,
                                                                "linked": linked})


@national_view(Role.VENDOR, Role.PLATFORM_OPERATOR)
def provider_offer_new(request):
    form = OfferForm(initial=offer_initial(None, None))
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                offer = services.offer_create(actor=request.user, provider_kind=_provider_kind(request),
                                              kind=data.pop("kind"), values=data)
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The draft is saved. Submit it for approval when it is ready."))
                return redirect("marketplace:provider_offer", offer_id=offer.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "marketplace/provider_offer.html", {"form": form, "offer": None})


def _report(request, error: ValidationFailed) -> None:
    for texts in error.messages.values():
        for text in texts:
            messages.error(request, text)


@national_view()
def provider_offer(request, offer_id: int):
    """Write the next version, submit it; the reviewer approves or rejects here. Others get 404."""
    offer = selectors.access_offer(actor=request.user, id=offer_id)
    draft = selectors.open_version(offer=offer)
    can_write = permissions.can_write_offer(request.user, offer)
    can_review = permissions.can_review_offer(request.user, offer)
    form = OfferForm(initial=offer_initial(offer, draft or offer.published_version))
    review_form = ReviewForm()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "save" and can_write:
        form = OfferForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.offer_version_save(actor=request.user, offer=offer, kind=data.pop("kind"), values=data)
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("marketplace:provider_offer", offer_id=offer.pk)
    elif action == "submit" and can_write:
        try:
            services.offer_submit(actor=request.user, offer=offer)
        except ValidationFailed as error:
            _report(request, error)
        else:
            messages.success(request, _("Submitted for approval."))
        return redirect("marketplace:provider_offer", offer_id=offer.pk)
    elif action == "review" and can_review:
        review_form = ReviewForm(request.POST)
        if review_form.is_valid():
            try:
                services.offer_review(actor=request.user, offer=offer,
                                      approve=review_form.cleaned_data["decision"] == "approve",
                                      note=review_form.cleaned_data["note"])
            except ValidationFailed as error:
                error.add_to_form(review_form)
            else:
                messages.success(request, _("The review is saved."))
                return redirect("marketplace:provider_offer", offer_id=offer.pk)
    elif request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "marketplace/provider_offer.html", {
        "offer": offer, "draft": draft, "form": form, "review_form": review_form, "can_write": can_write,
        "can_review": can_review, "versions": offer.versions.all()})


@national_view(Role.VENDOR)
def vendor_ratings(request):
    """Approved ratings of the vendor's own offers: score and text, never who wrote them."""
    try:
        ratings = list(selectors.vendor_ratings(actor=request.user))
    except NotFound:
        ratings = []
    return render(request, "marketplace/vendor_ratings.html", {"ratings": ratings, "reply_form": ReplyForm()})


@require_POST
@national_view()
def rating_reply(request, rating_id: int):
    rating = selectors.access_vendor_rating(actor=request.user, id=rating_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reply of at most 1000 characters."))
        return redirect("marketplace:vendor_ratings")
    try:
        services.rating_reply(actor=request.user, rating=rating, text=form.cleaned_data["reply"])
    except ValidationFailed as error:
        _report(request, error)
    else:
        messages.success(request, _("Your reply is shown with the rating."))
    return redirect("marketplace:vendor_ratings")
