from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.audit.services import log_staff_access
from jobunivers.citizens.selectors import access_citizen, citizen_for_user
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.links import reverser
from jobunivers.core.redirects import safe_next
from jobunivers.jobs import selectors as jobs
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from . import selectors, services
from .forms import DismissForm
from .models import DismissReason
from .scoring import PARTS


def _citizen_or_404(request):
    citizen = citizen_for_user(user=request.user)
    if citizen is None:
        raise Http404
    return citizen


def _feed_id(request) -> int | None:
    value = request.POST.get("feed") or request.GET.get("feed")
    return int(value) if value and str(value).isdigit() else None


def _context(feed, *, language: str):
    """Links and the reasons' <option>s are made once per page, not per job (20 jobs, 4 links each)."""
    links = {name: reverser(f"matching:{name}", "posting_id") for name in ("job", "save", "applied", "dismiss")}
    items = [{"item": item, "reasons": [(r.text(language), r.positive) for r in item.reasons],
              "urls": {name: link(item.posting_id) for name, link in links.items()}} for item in feed.items]
    options = format_html_join("", '<option value="{}">{}</option>', DismissReason.choices)
    return {"feed": feed, "items": items, "dismiss_reasons": DismissReason.choices, "reason_options": options,
            "parts": PARTS}


@municipal_view(Role.CITIZEN)
def feed(request):
    citizen = _citizen_or_404(request)
    result = selectors.feed_for(citizen_id=citizen.pk, limit=20)
    if result.has_profile:
        result = services.feed_record(citizen=citizen, feed=result)
    return render(request, "matching/feed.html", _context(result, language=get_language() or "da"))


def _back(request, default="matching:feed"):
    target = safe_next(request)
    return redirect(target or default)


def _act(request, posting_id: int, action, success: str):
    citizen = _citizen_or_404(request)
    try:
        action(citizen)
    except ValidationFailed as error:
        if request.htmx:
            return render(request, "matching/_item_message.html", {"text": str(error), "error": True}, status=400)
        messages.error(request, str(error))
        return _back(request)
    if request.htmx:
        return render(request, "matching/_item_message.html", {"text": success, "error": False})
    messages.success(request, success)
    return _back(request)


@municipal_view(Role.CITIZEN)
@require_POST
def save(request, posting_id: int):
    return _act(request, posting_id, lambda citizen: services.recommendation_save(
        actor=request.user, citizen=citizen, posting_id=posting_id, feed_id=_feed_id(request)),
        _("The job is saved under your saved jobs."))


@municipal_view(Role.CITIZEN)
@require_POST
def dismiss(request, posting_id: int):
    form = DismissForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else "invalid"
    return _act(request, posting_id, lambda citizen: services.recommendation_dismiss(
        actor=request.user, citizen=citizen, posting_id=posting_id, reason=reason, feed_id=_feed_id(request)),
        _("Thank you. We will not show you this job again, and we will show fewer like it."))


@municipal_view(Role.CITIZEN)
@require_POST
def applied(request, posting_id: int):
    return _act(request, posting_id, lambda citizen: services.recommendation_applied(
        actor=request.user, citizen=citizen, posting_id=posting_id, feed_id=_feed_id(request)),
        _("Good luck! The application is in your job log."))


@municipal_view(Role.CITIZEN)
def job(request, posting_id: int):
    """One recommended job with all its reasons; opening it is a click in the log (with consent)."""
    citizen = _citizen_or_404(request)
    posting = jobs.active_postings().filter(pk=posting_id).first()
    if posting is None:
        raise Http404
    result = selectors.feed_for(citizen_id=citizen.pk, limit=200)
    item = next((i for i in result.items if i.posting_id == posting_id), None)
    services.recommendation_opened(citizen=citizen, posting_id=posting_id, feed_id=_feed_id(request))
    language = get_language() or "da"
    return render(request, "matching/job.html", {
        "posting": posting, "item": item, "feed_id": _feed_id(request) or "",
        "reasons": [(r.text(language), r.positive) for r in item.reasons] if item else [],
        "dismiss_reasons": DismissReason.choices,
    })


@municipal_view()  # the citizen is looked up first: another municipality's id is 404 for every role
@citizen_data_view
def citizen_feed(request, citizen_id: int):
    """Staff: the citizen's feed as decision support (the same ranking and reasons; logged)."""
    citizen = access_citizen(actor=request.user, citizen_id=citizen_id)
    if request.role not in STAFF_ROLES:
        raise PermissionDenied
    result = selectors.feed_for(citizen_id=citizen.pk, limit=20)
    log_staff_access(request, citizen_id=citizen.pk, what="matching: job feed with reasons")
    context = _context(result, language=get_language() or "da")
    context["citizen"] = citizen
    return render(request, "matching/citizen_feed.html", context)
