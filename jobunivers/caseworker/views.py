"""Staff workspace pages. Thin: parse, call a selector or service, render.

Every page that shows a citizen's data reads it through an `access_<entity>` selector, which
checks the actor (`permissions`) and writes the access-log entry with its purpose in the same
transaction: "help", or "availability" when the page was opened from availability control
(`?purpose=availability`). Services log the changes they make; searches and lists are logged
with their criterion by their `access_<list>` selectors (access_citizen_search, access_worklist,
access_conversation_day, access_find), so views log nothing themselves.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens import selectors as citizen_selectors
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role
from jobunivers.tenancy.selectors import consultants_of

from . import adapters, alerts, charts, permissions, selectors, services
from .forms import (
    ActivityForm,
    FindForm,
    NoteForm,
    OfferSegmentForm,
    OutcomeForm,
    PushForm,
    SendForm,
    SummonsForm,
)
from .models import ConversationMode, Purpose, PushKind
from .worklist_rows import table_rows

GROUP_SENDERS = (Role.JOB_JOURNEY_ASSISTANT, Role.PERSONAL_CONSULTANT)


def _purpose(request) -> str:
    value = request.POST.get("purpose") or request.GET.get("purpose")
    return Purpose.AVAILABILITY if value == Purpose.AVAILABILITY else Purpose.HELP


def _add_errors(form, error: ValidationFailed) -> None:
    for field, texts in error.messages.items():
        target = field if field in form.fields else None
        for text in texts:
            form.add_error(target, text)


def _citizen(request, citizen_id: int, what: str):
    """The citizen, checked and access-logged by the selector (404 for anyone who may not see them)."""
    return selectors.access_citizen(actor=request.user, id=citizen_id, purpose=_purpose(request), what=what)


def _name(citizen) -> str:
    return citizen.user.get_full_name() or citizen.user.username


# --- Start page and search ---------------------------------------------------------------------


@municipal_view(*STAFF_ROLES)
def home(request):
    """Each staff profile's start page: counts and ways in, never a single citizen's data."""
    role = request.membership.role
    context = {
        "role": role,
        "is_consultant": role == Role.PERSONAL_CONSULTANT,
        "is_adviser": role == Role.JOB_ADVISER,
        "is_assistant": role == Role.JOB_JOURNEY_ASSISTANT,
        "can_group_send": role in GROUP_SENDERS,
        "worklist_url_name": permissions.worklist_url_name(request.membership),
    }
    if role == Role.JOB_ADVISER:
        context["day"] = selectors.conversation_day_summary()
    if role == Role.JOB_JOURNEY_ASSISTANT:
        context["total"] = selectors.population_total()
        context["pushes"] = selectors.push_summary()
    return render(request, "caseworker/home.html", context)


@require_http_methods(["GET", "POST"])
@municipal_view(*STAFF_ROLES)
def citizen_search(request):
    # POST, so a name or CPR number typed here stays out of URLs, browser history and server logs.
    text = (request.POST.get("q") or "").strip() if request.method == "POST" else ""
    results = selectors.access_citizen_search(actor=request.user, municipality_id=request.municipality_id, text=text)
    return render(request, "caseworker/search.html", {"q": text, "results": results})


# --- Mine borgere ----------------------------------------------------------------------------------


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@municipal_view(*STAFF_ROLES)
@citizen_data_view
def worklist(request):
    if not permissions.can_view_caseload(request.membership, request.municipality):
        # The adviser's and the assistant's worklists are their own pages.
        return redirect(permissions.worklist_url_name(request.membership))
    alert_keys = [k for k in request.GET.getlist("alert") if k in alerts.ALERT_KEYS]
    days = _int_or_none(request.GET.get("days"))
    if days is not None and not 1 <= days <= 365:
        days = None
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.SORTS else "alerts"
    data = selectors.access_worklist(actor=request.user, membership=request.membership, alert_keys=alert_keys,
                                     inactive_days=days, sort=sort,
                                     consultant_id=_int_or_none(request.GET.get("consultant")),
                                     text=request.GET.get("q", ""))
    alert_options = [
        {"key": a.key, "label": (_("No login or job log entry for %(days)s days") % {"days": data.inactive_days})
         if a.key == "inactive" else a.label, "count": data.counts.get(a.key, 0), "checked": a.key in alert_keys}
        for a in alerts.ALERTS if data.is_team_lead or not a.team_lead_only
    ]
    return render(request, "caseworker/worklist.html", {
        "data": data, "rows": table_rows(data.rows), "alert_options": alert_options,
        "sorts": selectors.SORTS.items(), "sort": sort,
        "days": data.inactive_days, "q": request.GET.get("q", ""), "query": request.GET.urlencode(),
        "saved_filters": selectors.saved_filters_of(user=request.user), "note_form": NoteForm(prefix="bulk"),
        "selected_consultant": _int_or_none(request.GET.get("consultant")),
    })


@require_POST
@municipal_view(Role.PERSONAL_CONSULTANT)
@citizen_data_view
def worklist_bulk(request):
    back = reverse("caseworker:worklist") + ("?" + request.POST["query"] if request.POST.get("query") else "")
    ids = [i for i in (_int_or_none(v) for v in request.POST.getlist("citizen")) if i is not None]
    allowed = _bulk_scope(request, ids)
    citizens = selectors.citizens_by_ids(allowed)
    try:
        if len(allowed) != len(set(ids)):
            raise ValidationFailed(_("Some of the chosen citizens are not in your worklist."))
        action = request.POST.get("action")
        if action == "note":
            due_on = _parse_date(request.POST.get("bulk-due_on"))
            services.notes_bulk_create(actor=request.user, citizens=citizens, text=request.POST.get("bulk-text", ""),
                                       colour=request.POST.get("bulk-colour", ""), due_on=due_on)
            added = ngettext("The note was added to %(n)s citizen.", "The note was added to %(n)s citizens.",
                             len(citizens))
            messages.success(request, added % {"n": len(citizens)})
        elif action == "assign":
            consultant_id = _int_or_none(request.POST.get("consultant"))
            consultant = next((m.user for m in consultants_of(municipality_id=request.municipality_id)
                               if m.user_id == consultant_id), None)
            count = services.bulk_assign(actor=request.user, municipality_id=request.municipality_id,
                                         citizens=citizens, consultant=consultant,
                                         reason=request.POST.get("reason", ""))
            assigned = ngettext("%(n)s citizen was assigned.", "%(n)s citizens were assigned.", count)
            messages.success(request, assigned % {"n": count})
        else:
            raise ValidationFailed(_("Choose what to do with the chosen citizens."))
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
    return redirect(back)


def _bulk_scope(request, ids: list[int]) -> list[int]:
    """The chosen citizens the actor may act on: their caseload, or (team lead) the team's and unassigned."""
    membership = request.membership
    if membership.is_team_lead:
        team = [m.user_id for m in consultants_of(municipality_id=request.municipality_id)]
        scope = set(adapters.caseload(consultant_ids=team)) | set(adapters.unassigned_citizen_ids(limit=100000))
    else:
        scope = set(adapters.caseload(consultant_ids=[membership.user_id]))
    return [i for i in dict.fromkeys(ids) if i in scope]


def _parse_date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed({"due_on": [_("Enter a valid date.")]}) from None


@require_POST
@municipal_view(*STAFF_ROLES)
def saved_filter_save(request):
    try:
        services.saved_filter_save(actor=request.user, municipality_id=request.municipality_id,
                                   name=request.POST.get("name", ""), query=request.POST.get("query", ""))
        messages.success(request, _("The filter was saved."))
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
    return redirect(reverse("caseworker:worklist") + ("?" + request.POST["query"] if request.POST.get("query") else ""))


@require_POST
@municipal_view()
def saved_filter_delete(request, filter_id: int):
    saved = selectors.access_saved_filter(actor=request.user, id=filter_id)
    services.saved_filter_delete(actor=request.user, saved_filter=saved)
    messages.success(request, _("The filter was deleted."))
    return redirect("caseworker:worklist")


@municipal_view(*STAFF_ROLES)
@citizen_data_view
def today(request):
    """The job adviser's worklist: today's conversations and the citizens' open requests."""
    day = selectors.access_conversation_day(actor=request.user, membership=request.membership)
    return render(request, "caseworker/today.html", {"day": day})


@municipal_view(*STAFF_ROLES)
def overview(request):
    """The job-journey assistant's worklist: the population in numbers and what was pushed."""
    if not permissions.can_view_population_overview(request.membership, request.municipality):
        raise PermissionDenied
    data = selectors.population(municipality=request.municipality, top=5)
    return render(request, "caseworker/overview.html", {
        "data": data, "pushes": selectors.push_summary(latest=10),
        "can_group_send": request.membership.role in GROUP_SENDERS,
    })


# --- One page per citizen --------------------------------------------------------------------------


def _overview(request, citizen, *, feed_limit: int):
    """What the citizen page and the cue card show. The profile is read once for the page, not again for
    the recommended jobs (nothing here changes it)."""
    with citizen_selectors.profiles_read_once():
        return _overview_read(request, citizen, feed_limit=feed_limit)


def _overview_read(request, citizen, *, feed_limit: int):
    plan_items = list(citizen_selectors.plan_items_for(citizen_id=citizen.pk))
    job_log = list(citizen_selectors.job_log_for(citizen_id=citizen.pk)[:50])
    conversations = selectors.citizen_conversations(citizen_id=citizen.pk)
    notes = selectors.citizen_notes(citizen_id=citizen.pk)
    pushes = selectors.citizen_pushes(citizen_id=citizen.pk)
    segmentation = adapters.segmentation_of(citizen_id=citizen.pk, language=get_language() or "da")
    today = timezone.localdate()
    return {
        "citizen": citizen,
        "name": _name(citizen),
        "profile": citizen_selectors.profile_for(citizen_id=citizen.pk),
        "answers": citizen_selectors.onboarding_answers_for(citizen_id=citizen.pk),
        "plan_items": plan_items,
        "open_agreements": [i for i in plan_items if i.agreed_with_job_centre and i.status in ("planned", "in_progress")],
        "overdue_ids": {i.pk for i in plan_items if i.due_on and i.due_on < today and i.status in ("planned", "in_progress")},
        "job_log": job_log,
        "weeks": selectors.job_log_weeks(citizen_id=citizen.pk),
        "conversations": conversations,
        "notes": notes,
        "pushes": pushes,
        "track": segmentation.track,
        "feed": adapters.recommended_jobs(citizen_id=citizen.pk, limit=feed_limit),
        "diagnosis": adapters.diagnosis_for(actor=request.user, citizen_id=citizen.pk, purpose=_purpose(request)),
        "availability": selectors.availability_state(citizen_id=citizen.pk),
        "timeline": selectors.timeline(citizen=citizen, plan_items=plan_items, job_log=job_log,
                                       conversations=conversations, notes=notes, pushes=pushes,
                                       segmentation_history=segmentation.history),
        "purpose": _purpose(request),
        "today": today,
    }


@municipal_view()  # object first: another municipality's citizen is 404 for every role
@citizen_data_view
def citizen(request, citizen_id: int):
    person = _citizen(request, citizen_id, what="citizen overview")
    services.citizen_opened(staff_user=request.user, citizen=person)
    context = _overview(request, person, feed_limit=5)
    context["journeys"] = adapters.journeys_for(actor=request.user, citizen=person, purpose=_purpose(request))
    context["note_form"] = NoteForm()
    return render(request, "caseworker/citizen.html", context)


@municipal_view()  # object first: another municipality's citizen is 404 for every role
@citizen_data_view
def cue_card(request, citizen_id: int):
    person = _citizen(request, citizen_id, what="cue card")
    services.citizen_opened(staff_user=request.user, citizen=person)
    context = _overview(request, person, feed_limit=3)
    context["gaps"] = sorted({gap for job in (context["feed"] or []) for gap in job.gaps})
    return render(request, "caseworker/cue_card.html", context)


# --- Actions ----------------------------------------------------------------------------------------


# What each action form shows, as logged (described for the citizen in caseworker/privacy.py).
ACTION_FORM_SUBJECTS = {
    "caseworker/note_form.html": "note form",
    "caseworker/activity_form.html": "activity form",
    "caseworker/summons_form.html": "summons form",
    "caseworker/outcome_form.html": "outcome form",
    "caseworker/send_form.html": "send form",
}


def _action_page(request, person, template: str, form, extra=None):
    # The form page shows who the action is for: the selector logged that read (ACTION_FORM_SUBJECTS).
    context = {"citizen": person, "name": _name(person), "form": form, "purpose": _purpose(request)}
    context.update(extra or {})
    return render(request, template, context)


@municipal_view()  # object first: another municipality's citizen is 404 for every role
def note_add(request, citizen_id: int):
    person = _citizen(request, citizen_id, what=ACTION_FORM_SUBJECTS["caseworker/note_form.html"])
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_create(actor=request.user, citizen=person, purpose=_purpose(request), **form.cleaned_data)
        except ValidationFailed as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The note was saved."))
            return redirect("caseworker:citizen", citizen_id=person.pk)
    return _action_page(request, person, "caseworker/note_form.html", form)


@require_POST
@municipal_view()
@citizen_data_view
def note_done(request, note_id: int):
    note = selectors.access_note(actor=request.user, id=note_id)
    services.note_mark_done(actor=request.user, note=note)
    messages.success(request, _("The reminder is done."))
    return redirect("caseworker:citizen", citizen_id=note.citizen_id)


@municipal_view()  # object first: another municipality's citizen is 404 for every role
def activity_add(request, citizen_id: int):
    person = _citizen(request, citizen_id, what=ACTION_FORM_SUBJECTS["caseworker/activity_form.html"])
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_add(actor=request.user, citizen=person, purpose=_purpose(request), **form.cleaned_data)
        except ValidationFailed as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The activity was added to the plan as agreed with the job centre."))
            return redirect("caseworker:citizen", citizen_id=person.pk)
    return _action_page(request, person, "caseworker/activity_form.html", form)


@municipal_view()  # object first: another municipality's citizen is 404 for every role
def summon(request, citizen_id: int):
    person = _citizen(request, citizen_id, what=ACTION_FORM_SUBJECTS["caseworker/summons_form.html"])
    purpose = _purpose(request)
    form = SummonsForm(request.POST or None, initial={"purpose": purpose, "mode": ConversationMode.IN_PERSON})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        try:
            services.conversation_summon(
                actor=request.user, citizen=person, starts_at=starts_at, mode=data["mode"], agenda=data["agenda"],
                place=data["place"], video_link=data["video_link"], duration_minutes=data["duration_minutes"],
                purpose=data["purpose"],
            )
        except ValidationFailed as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is summoned. They are told in their inbox and by the channels "
                                        "they chose, and see the meeting in their plan.") % {"name": _name(person)})
            return redirect("caseworker:citizen", citizen_id=person.pk)
    return _action_page(request, person, "caseworker/summons_form.html", form)


@municipal_view()
def outcome(request, conversation_id: int):
    conversation = selectors.access_conversation(actor=request.user, id=conversation_id,
                                                what=ACTION_FORM_SUBJECTS["caseworker/outcome_form.html"])
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_record_outcome(actor=request.user, conversation=conversation,
                                                 status=form.cleaned_data["status"],
                                                 outcome=form.cleaned_data["outcome"])
        except ValidationFailed as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The outcome was recorded."))
            return redirect("caseworker:citizen", citizen_id=conversation.citizen_id)
    return _action_page(request, conversation.citizen, "caseworker/outcome_form.html", form,
                        {"conversation": conversation})


@municipal_view()  # object first: another municipality's citizen is 404 for every role
def send(request, citizen_id: int):
    person = _citizen(request, citizen_id, what=ACTION_FORM_SUBJECTS["caseworker/send_form.html"])
    form = SendForm(request.POST or None, initial={"posting_id": request.GET.get("posting")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content = _content_from(kind=data["kind"], posting_id=data["posting_id"], title=data["title"],
                                    message=data["message"], link=data["link"])
            services.push_send(actor=request.user, municipality_id=request.municipality_id, content=content,
                               citizens=[person], cap=1, criteria={"citizen": person.pk},
                               idempotency_key=request.POST.get("idempotency_key") or uuid.uuid4().hex)
        except ValidationFailed as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Sent to %(name)s.") % {"name": _name(person)})
            return redirect("caseworker:citizen", citizen_id=person.pk)
    return _action_page(request, person, "caseworker/send_form.html", form, {"idempotency_key": uuid.uuid4().hex})


def _content_from(*, kind: str, posting_id, title: str, message: str, link: str) -> services.PushContent:
    """A push's content; for a posting, title and link come from the posting itself."""
    if kind == PushKind.POSTING:
        from jobunivers.jobs.selectors import posting_summary

        if not posting_id:
            raise ValidationFailed({"posting_id": [_("Choose a job posting.")]})
        try:
            posting = posting_summary(posting_id=posting_id, with_skills=False)
        except NotFound:
            raise ValidationFailed({"posting_id": [_("There is no job posting with that number.")]}) from None
        if not posting.is_active:
            raise ValidationFailed({"posting_id": [_("The job posting is no longer active.")]})
        try:
            link = reverse("jobs:detail", kwargs={"posting_id": posting.id})
        except Exception:  # the jobs app may not have a detail page yet
            link = ""
        return services.PushContent(kind=kind, posting_id=posting.id, title=f"{posting.title}, {posting.employer_name}"[:200],
                                    message=message or "", link=link)
    return services.PushContent(kind=kind, title=title or "", message=message or "", link=link or "")


# --- The citizen's own view of a summons ------------------------------------------------------------


@municipal_view()
def my_summons(request, conversation_id: int):
    conversation = selectors.access_own_summons(actor=request.user, id=conversation_id)
    error_messages: list[str] = []
    if request.method == "POST":
        try:
            services.conversation_respond(actor=request.user, conversation=conversation,
                                          response=request.POST.get("response", ""),
                                          message=request.POST.get("message", ""))
        except ValidationFailed as error:
            error_messages = [t for texts in error.messages.values() for t in texts]
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect("caseworker:my_summons", conversation_id=conversation.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "caseworker/my_summons.html", {"conversation": conversation, "errors": error_messages,
                                                          "message": request.POST.get("message", "")})


# --- Population and group pushes ---------------------------------------------------------------------


@municipal_view(*STAFF_ROLES)
def population(request):
    data = selectors.population(municipality=request.municipality)
    citizens_label, postings_label = _("Citizens"), _("Active postings within reach")
    return render(request, "caseworker/population.html", {
        "data": data,
        "chart_track": charts.bar_chart(chart_id="chart-track", title=_("Citizens by track"),
                                        labels=[r[0] for r in data.by_track],
                                        series=[charts.Series(citizens_label, [r[1] for r in data.by_track])]),
        "chart_time": charts.bar_chart(chart_id="chart-time", title=_("Citizens by time unemployed"),
                                       labels=[r[0] for r in data.by_time_unemployed],
                                       series=[charts.Series(citizens_label, [r[1] for r in data.by_time_unemployed])]),
        "chart_supply": charts.bar_chart(
            chart_id="chart-supply", title=_("Occupations sought against active postings within reach"),
            labels=[r["label"] for r in data.supply_demand],
            series=[charts.Series(citizens_label, [r["citizens"] for r in data.supply_demand]),
                    charts.Series(postings_label, [r["postings"] for r in data.supply_demand])]),
        "chart_area": charts.bar_chart(
            chart_id="chart-area", title=_("Citizens and active postings by area"),
            labels=[r["label"] for r in data.by_area],
            series=[charts.Series(citizens_label, [r["citizens"] for r in data.by_area]),
                    charts.Series(_("Active postings"), [r["postings"] for r in data.by_area])]),
    })


def _find_form(request, data):
    from jobunivers.taxonomy.selectors import sort_key

    # The occupations citizens seek, by their label in the page's language, in Danish alphabetical
    # order: a select is searchable by typing the first letters.
    occupations = sorted(((o, label) for o, label, _n in adapters.occupations_sought_counts(top=200)),
                         key=lambda choice: sort_key(choice[1]))
    return FindForm(data, occupations=occupations, tracks=adapters.tracks())


def run_find(form, *, actor=None, municipality_id: int | None = None) -> tuple[selectors.FindResult, dict, object]:
    """The preview and the push run the same query, so what was previewed is what is sent.

    With an actor (the preview) the read goes through `selectors.access_find`, which logs the
    search in its transaction; the push logs its own search in `services.push_send`."""
    data = form.cleaned_data
    cap = data["cap"]
    posting = None
    query = None
    if data.get("posting_id"):
        from jobunivers.jobs.selectors import posting_summary

        try:
            posting = posting_summary(posting_id=data["posting_id"], with_skills=False)
        except NotFound:
            raise ValidationFailed({"posting_id": [_("There is no job posting with that number.")]}) from None
        criteria: dict = {"posting_id": posting.id}
    else:
        query = selectors.FindQuery(
            occupation_id=data.get("occupation_id"), postcode_prefix=data.get("postcode_prefix") or "",
            track_id=data.get("track_id"), min_weeks_unemployed=data.get("min_weeks"),
            max_weeks_unemployed=data.get("max_weeks"), skill_text=(data.get("skill_text") or "").strip(),
        )
        criteria = query.as_criteria()
    criteria["cap"] = cap
    if actor is not None and municipality_id is not None:
        result = selectors.access_find(actor=actor, municipality_id=municipality_id, limit=cap, query=query,
                                       posting=posting)
    elif posting is not None:
        result = selectors.find_for_posting(posting=posting, limit=cap, municipality=None)
    else:
        result = selectors.find_citizens(query=query or selectors.FindQuery(), limit=cap)
    return result, criteria, posting


@municipal_view(*GROUP_SENDERS)
def find(request):
    form = _find_form(request, request.GET or None)
    result = criteria = posting = None
    push_form = None
    if form.is_bound and form.is_valid():
        try:
            result, criteria, posting = run_find(form, actor=request.user, municipality_id=request.municipality_id)
        except ValidationFailed as error:
            _add_errors(form, error)
        else:
            kind = PushKind.POSTING if posting else PushKind.CONTENT
            push_form = PushForm(initial={"kind": kind, "title": f"{posting.title}, {posting.employer_name}" if posting else ""})
            if posting:
                notice_kind = adapters.notification_kinds().JOB_SUGGESTION
                result.already_received = adapters.received_subjects(
                    citizen_user_ids=[c.user_id for c in result.citizens], kind=notice_kind,
                    subject_key=f"posting:{posting.id}")
    return render(request, "caseworker/find.html", {
        "form": form, "result": result, "posting": posting, "push_form": push_form,
        "query": request.GET.urlencode(), "idempotency_key": uuid.uuid4().hex,
    })


@require_POST
@municipal_view(*GROUP_SENDERS)
@citizen_data_view
def push_create(request):
    from django.http import QueryDict

    query = QueryDict(request.POST.get("query", ""))
    form = _find_form(request, query)
    back = reverse("caseworker:find") + "?" + query.urlencode()
    if not form.is_valid():
        messages.error(request, _("The search is no longer valid. Please search again."))
        return redirect(back)
    try:
        result, criteria, posting = run_find(form)
        content = _content_from(kind=PushKind.POSTING if posting else request.POST.get("kind", PushKind.CONTENT),
                                posting_id=posting.id if posting else None, title=request.POST.get("title", ""),
                                message=request.POST.get("message", ""), link=request.POST.get("link", ""))
        push = services.push_send(actor=request.user, municipality_id=request.municipality_id, content=content,
                                  citizens=result.citizens, cap=form.cleaned_data["cap"], criteria=criteria,
                                  idempotency_key=request.POST.get("idempotency_key") or uuid.uuid4().hex,
                                  matched_count=result.total, reasons=result.reasons)
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
        return redirect(back)
    messages.success(request, ngettext("Sent to %(n)s citizen.", "Sent to %(n)s citizens.", push.recipient_count) % {
        "n": push.recipient_count})
    return redirect("caseworker:push_detail", push_id=push.pk)


@municipal_view(*STAFF_ROLES)
def push_list(request):
    return render(request, "caseworker/push_list.html", {"pushes": selectors.pushes()})


@municipal_view()
@citizen_data_view
def push_detail(request, push_id: int):
    push = selectors.access_push(actor=request.user, id=push_id)
    recipients = selectors.push_recipients(push=push)
    return render(request, "caseworker/push_detail.html", {"push": push, "recipients": recipients})




# --- A marketplace offer pushed to a segment (municipality administrators) ---------------------------


def _segment_form(data):
    from jobunivers.taxonomy.selectors import sort_key

    occupations = sorted(((o, label) for o, label, _n in adapters.occupations_sought_counts(top=200)),
                         key=lambda choice: sort_key(choice[1]))
    return OfferSegmentForm(data, occupations=occupations, tracks=adapters.tracks())


def _segment_query(data) -> selectors.FindQuery:
    return selectors.FindQuery(
        occupation_id=data.get("occupation_id"), postcode_prefix=data.get("postcode_prefix") or "",
        track_id=data.get("track_id"), min_weeks_unemployed=data.get("min_weeks"),
        max_weeks_unemployed=data.get("max_weeks"), skill_text=(data.get("skill_text") or "").strip())


@municipal_view()
def offer_push(request, curated_id: int):
    """Send an offer the municipality shows to a segment of its audience: the preview says how many citizens
    get it and shows the notice; sending runs the same query (the preview's search and the push are logged)."""
    from jobunivers.marketplace.selectors import access_pushable_offer

    offer = access_pushable_offer(actor=request.user, municipality_id=request.municipality_id, id=curated_id)
    if request.method == "POST":
        from django.http import QueryDict

        query = QueryDict(request.POST.get("query", ""))
        form = _segment_form(query)
        back = reverse("caseworker:offer_push", kwargs={"curated_id": offer.curated_id}) + "?" + query.urlencode()
        if not form.is_valid():
            messages.error(request, _("The search is no longer valid. Please search again."))
            return redirect(back)
        data = form.cleaned_data
        segment = selectors.access_offer_segment(actor=request.user, municipality_id=request.municipality_id,
                                                 offer=offer, query=_segment_query(data), limit=data["cap"])
        try:
            push = services.offer_push(actor=request.user, municipality_id=request.municipality_id, offer=offer,
                                       message=data.get("message") or "", citizens=segment.citizens, cap=data["cap"],
                                       criteria=_segment_query(data).as_criteria(), matched_count=segment.total,
                                       idempotency_key=request.POST.get("idempotency_key") or uuid.uuid4().hex)
        except ValidationFailed as error:
            for texts in error.messages.values():
                for text in texts:
                    messages.error(request, text)
            return redirect(back)
        messages.success(request, ngettext("Sent to %(n)s citizen.", "Sent to %(n)s citizens.",
                                           push.recipient_count) % {"n": push.recipient_count})
        return redirect("marketplace:curate", curated_id=offer.curated_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = _segment_form(request.GET or None)
    result: selectors.FindResult | None = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = selectors.access_offer_segment(actor=request.user, municipality_id=request.municipality_id,
                                                offer=offer, query=_segment_query(data), limit=data["cap"])
        result.already_received = adapters.received_subjects(
            citizen_user_ids=[c.user_id for c in result.citizens], kind=adapters.notification_kinds().GENERAL,
            subject_key=services.offer_content(offer).subject_key())
    message = (form.cleaned_data.get("message") if result is not None else "") or offer.summary
    return render(request, "caseworker/offer_push.html", {
        "offer": offer, "form": form if form.is_bound else _segment_form(None), "result": result,
        "message": message, "query": request.GET.urlencode(), "idempotency_key": uuid.uuid4().hex,
        "new_count": len(result.citizens) - len(result.already_received) if result is not None else 0})
