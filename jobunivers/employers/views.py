"""Citizen pages of employers: an employer's page, what I follow, employers likely to hire and why.
Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.citizens import selectors as citizens
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.redirects import safe_next
from jobunivers.taxonomy import selectors as taxonomy
from jobunivers.tenancy.decorators import municipal_view

from . import selectors, services
from .contracts import Place


def _back(request, default: str):
    return redirect(safe_next(request) or default)


def _int_or_none(value):
    return int(value) if value and str(value).isdigit() and len(str(value)) < 10 else None


@municipal_view()  # a member without a citizen record gets 404 (_citizen)
def employer(request, organisation_id: int):
    citizen = citizens.own_citizen(user=request.user)
    try:
        organisation = selectors.get_organisation(organisation_id=organisation_id)
    except NotFound:
        raise Http404 from None
    return render(request, "employers/employer.html", {
        "organisation": organisation, "postings": selectors.open_postings_of(organisation=organisation),
        "history": selectors.posting_history(organisation=organisation),
        "following": selectors.is_following(citizen_id=citizen.pk, organisation_id=organisation.pk),
    })


@municipal_view()  # a member without a citizen record gets 404 (_citizen)
def follows(request):
    citizen = citizens.own_citizen(user=request.user)
    query = request.GET.get("q", "")[:100]
    profile = citizens.profile_record(citizen=citizen)
    old_text = profile.followed_companies if profile is not None else ""
    suggestions = []
    for line in [part.strip() for part in old_text.replace(";", "\n").replace(",", "\n").splitlines()]:
        if len(line) >= 2:
            suggestions.append((line, selectors.search_organisations(query=line, limit=3)))
    items = selectors.follows_of(citizen=citizen)
    return render(request, "employers/follows.html", {
        "items": items, "query": query, "followed": {i.organisation_id for i in items if i.organisation_id},
        "results": selectors.search_organisations(query=query) if query else None,
        "old_text": old_text, "suggestions": suggestions,
        "fields": _field_choices(request.GET.get("field_q", "")[:100]),
        "own_fields": selectors.fields_of_profile(citizen_id=citizen.pk),
        "field_query": request.GET.get("field_q", "")[:100],
    })


def _field_choices(query: str):
    text = query.strip()
    if len(text) < 2:
        return []
    return selectors.search_fields(query=text)


@municipal_view()  # a member without a citizen record gets 404 (_citizen)
@require_POST
def follow(request):
    citizen = citizens.own_citizen(user=request.user)
    notify = request.POST.get("notify", "on") == "on"
    try:
        if request.POST.get("isco_code"):
            item, created = services.follow_occupation_field(actor=request.user, citizen=citizen,
                                                            isco_code=request.POST["isco_code"][:10], notify=notify)
            label = selectors.field_label(item.isco_code)
        else:
            item, created = services.follow_employer(actor=request.user, citizen=citizen,
                                                     organisation_id=request.POST.get("organisation_id", ""),
                                                     notify=notify)
            label = item.organisation.name
    except ValidationFailed as error:
        messages.error(request, str(error))
        return _back(request, "employers:follows")
    if created:
        messages.success(request, _("You now follow %(name)s. New jobs from it come first in your feed.") % {"name": label})
    else:
        messages.info(request, _("You already follow %(name)s.") % {"name": label})
    return _back(request, "employers:follows")


def _own_follow(request, follow_id: int):
    citizen = citizens.own_citizen(user=request.user)
    try:
        return citizen, selectors.access_own_follow(citizen_id=citizen.pk, follow_id=follow_id)
    except NotFound:
        raise Http404 from None


@municipal_view()  # a member without a citizen record gets 404 (_citizen)
@require_POST
def unfollow(request, follow_id: int):
    citizen, item = _own_follow(request, follow_id)
    services.unfollow(actor=request.user, citizen=citizen, follow=item)
    messages.success(request, _("You no longer follow it."))
    return _back(request, "employers:follows")


@municipal_view()  # a member without a citizen record gets 404 (_citizen)
@require_POST
def follow_notify(request, follow_id: int):
    citizen, item = _own_follow(request, follow_id)
    notify = request.POST.get("notify") == "on"
    services.follow_set_notify(actor=request.user, citizen=citizen, follow=item, notify=notify)
    messages.success(request, _("We will send you a notice about new jobs.") if notify
                     else _("We will not send you notices about it; its new jobs still come first in your feed."))
    return _back(request, "employers:follows")


def _occupation_and_place(request, citizen):
    """The occupation chosen on the page (one of the citizen's own, or any known occupation), else theirs."""
    profile = citizens.profile_for(citizen_id=citizen.pk)
    own = [(o.occupation_id, o) for o in profile.occupations] if profile else []
    wanted = _int_or_none(request.GET.get("occupation"))
    if wanted is not None and taxonomy.get_occupation(occupation_id=wanted) is None:
        wanted = None
    occupation_id = wanted or (own[0][0] if own else None)
    place: Place | None = selectors.default_place(profile)
    return profile, own, occupation_id, place


@municipal_view()  # a member without a citizen record gets 404 (_citizen)
def likely(request):
    citizen = citizens.own_citizen(user=request.user)
    profile, own, occupation_id, place = _occupation_and_place(request, citizen)
    items = (selectors.likely_employers(citizen=citizen, occupation_id=occupation_id, place=place, limit=10)
             if occupation_id else [])
    labels = taxonomy.occupation_labels([o for o, _x in own] + ([occupation_id] if occupation_id else []))
    followed = {f.organisation_id for f in selectors.follows_of(citizen=citizen) if f.organisation_id}
    return render(request, "employers/likely.html", {
        "items": items, "occupation_id": occupation_id, "occupation_label": labels.get(occupation_id),
        "choices": [(o, labels.get(o)) for o, _x in own], "place": place, "has_profile": profile is not None,
        "followed": followed,
    })


@municipal_view()  # a member without a citizen record gets 404 (_citizen)
def why(request, organisation_id: int):
    citizen = citizens.own_citizen(user=request.user)
    _profile, _own, occupation_id, place = _occupation_and_place(request, citizen)
    try:
        organisation = selectors.get_organisation(organisation_id=organisation_id)
    except NotFound:
        raise Http404 from None
    items = (selectors.likely_employers(citizen=citizen, occupation_id=occupation_id, place=place, limit=50)
             if occupation_id else [])
    item = next((i for i in items if i.organisation_id == organisation.pk), None)
    labels = taxonomy.occupation_labels([occupation_id] if occupation_id else [])
    return render(request, "employers/why.html", {
        "organisation": organisation, "item": item, "occupation_id": occupation_id,
        "occupation_label": labels.get(occupation_id), "place": place,
    })


@municipal_view()  # a member without a citizen record gets 404 (_citizen)
@require_POST
def unsolicited(request, organisation_id: int):
    citizen = citizens.own_citizen(user=request.user)
    occupation_id = _int_or_none(request.POST.get("occupation"))
    try:
        services.unsolicited_application_log(actor=request.user, citizen=citizen, organisation_id=organisation_id,
                                             occupation_id=occupation_id)
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The unsolicited application is in your job log."))
    return _back(request, "employers:likely")
