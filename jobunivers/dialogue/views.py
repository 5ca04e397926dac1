"""Citizen pages ("Beskeder": threads with the job centre) and the staff team inbox. Thin: parse,
call a selector or service, render. Drafts are saved with HTMX while typing (and by the "Save
draft" button without JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens.selectors import access_citizen, own_citizen
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from . import selectors, services
from .contracts import ABOUT_LABELS, Side
from .forms import AssignForm, MessageForm, NewThreadForm, StaffMessageForm, StaffNewThreadForm, apply_errors


def _files(request) -> list:
    return request.FILES.getlist("attachment")[: services.MAX_ATTACHMENTS + 1]


def _is_draft(request) -> bool:
    # The HTMX autosave posts to "?kladde=1" as well as action=draft, so a filtered parameter can
    # never turn a draft into a sent message.
    return request.POST.get("action") == "draft" or request.GET.get("kladde") == "1"


def _draft_response(request, thread, *, back: str):
    """Save the draft: HTMX autosave gets the status line, a plain form post goes back to `back`."""
    try:
        services.draft_save(actor=request.user, thread=thread, text=request.POST.get("text", ""))
        text = _("Draft saved.")
    except ValidationFailed as error:
        text = str(error)
    if getattr(request, "htmx", False):
        return render(request, "dialogue/_draft_status.html", {"text": text})
    messages.info(request, text)
    return redirect(back, thread_id=thread.pk)


def _file_response(attachment):
    path = services.attachment_directory() / attachment.storage_name
    if not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=attachment.content_type, as_attachment=True,
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The citizen ---------------------------------------------------------------------------------


@municipal_view(Role.CITIZEN)
def inbox(request):
    citizen = own_citizen(user=request.user)
    threads = selectors.own_threads(actor=request.user, citizen=citizen)
    return render(request, "dialogue/inbox.html", {"threads": threads, "side": Side.CITIZEN})


@municipal_view(Role.CITIZEN)
def new(request):
    citizen = own_citizen(user=request.user)
    form = NewThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_open(actor=request.user, citizen=citizen, subject=form.cleaned_data["subject"],
                                          text=form.cleaned_data["text"], attachments=_files(request))
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your message was sent to the job centre."))
            return redirect("dialogue:thread", thread_id=thread.pk)
    return render(request, "dialogue/new.html", {"form": form}, status=400 if form.errors else 200)


@municipal_view()
def thread(request, thread_id: int):
    """The citizen's own thread (staff use the team inbox: here they get 404 like anyone else)."""
    try:
        item = selectors.access_own_thread(actor=request.user, id=thread_id, municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    form = MessageForm()
    status = 200
    if request.method == "POST":
        if _is_draft(request):
            return _draft_response(request, item, back="dialogue:thread")
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_send(actor=request.user, thread=item, text=form.cleaned_data["text"],
                                      attachments=_files(request))
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Your message was sent to the job centre."))
                return redirect(reverse("dialogue:thread", kwargs={"thread_id": item.pk}) + "#seneste")
        status = 400
    else:
        services.thread_mark_read(actor=request.user, thread=item)
        form = MessageForm(initial={"text": selectors.draft_text(actor=request.user, thread=item)})
    return render(request, "dialogue/thread.html", {
        "thread": item, "messages_": selectors.messages_of(thread=item), "form": form, "side": Side.CITIZEN,
        "post_url": reverse("dialogue:thread", kwargs={"thread_id": item.pk})}, status=status)


@municipal_view()
def attachment(request, attachment_id: int):
    """A file in the citizen's own thread."""
    try:
        # Staff download through staff_attachment (access-logged there); here they get 404.
        item = selectors.access_own_attachment(actor=request.user, id=attachment_id,
                                               municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    return _file_response(item)


# --- Staff ---------------------------------------------------------------------------------------


def _flag(request, name: str) -> bool:
    return request.GET.get(name) in {"1", "on", "true"}


@municipal_view(*STAFF_ROLES)
@citizen_data_view
def team_inbox(request):
    try:
        page = int(request.GET.get("side", "1"))
    except ValueError:
        page = 1
    filters = selectors.InboxFilter(waiting=_flag(request, "venter"), mine=_flag(request, "mine"),
                                    unassigned=_flag(request, "utildelt"), oldest=_flag(request, "aeldste"),
                                    archived=_flag(request, "arkiv"), page=page)
    result = selectors.access_team_inbox(actor=request.user, municipality_id=request.municipality_id, filters=filters)
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "dialogue/team_inbox.html", {"page": result, "filters": filters,
                                                        "query": query.urlencode()})


def _staff_thread_context(request, item, form):
    staff = selectors.assignable_staff(municipality_id=request.municipality_id)
    return {"thread": item, "messages_": selectors.messages_of(thread=item), "form": form, "side": Side.JOB_CENTRE,
            "about_label": ABOUT_LABELS.get(item.about_kind, ""),
            "assign_form": AssignForm(staff=staff, initial={"assignee": item.assigned_to_id}),
            "post_url": reverse("dialogue:staff_thread", kwargs={"thread_id": item.pk})}


def _staff_thread(request, thread_id: int, *, purpose: str = "help"):
    try:
        return selectors.access_thread(actor=request.user, id=thread_id, municipality_id=request.municipality_id,
                                       purpose=purpose)
    except NotFound:
        raise Http404 from None


@municipal_view()
@citizen_data_view
def staff_thread(request, thread_id: int):
    item = _staff_thread(request, thread_id)
    status = 200
    if request.method == "POST":
        if _is_draft(request):
            return _draft_response(request, item, back="dialogue:staff_thread")
        form = StaffMessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_send(actor=request.user, thread=item, text=form.cleaned_data["text"],
                                      important=form.cleaned_data["important"],
                                      wants_answer=form.cleaned_data["wants_answer"], attachments=_files(request))
            except ValidationFailed as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Your answer was sent to the citizen."))
                return redirect(reverse("dialogue:staff_thread", kwargs={"thread_id": item.pk}) + "#seneste")
        status = 400
    else:
        services.thread_mark_read(actor=request.user, thread=item)
        form = StaffMessageForm(initial={"text": selectors.draft_text(actor=request.user, thread=item)})
    return render(request, "dialogue/staff_thread.html", _staff_thread_context(request, item, form), status=status)


@require_POST
@municipal_view()
@citizen_data_view
def staff_assign(request, thread_id: int):
    item = _staff_thread(request, thread_id)
    form = AssignForm(request.POST, staff=selectors.assignable_staff(municipality_id=request.municipality_id))
    if form.is_valid():
        from django.contrib.auth import get_user_model

        assignee_id = form.cleaned_data["assignee"]
        assignee = get_user_model().objects.filter(pk=assignee_id).first() if assignee_id else None
        try:
            services.thread_assign(actor=request.user, thread=item, assignee=assignee)
        except (ValidationFailed, NotFound):
            messages.error(request, _("Choose a member of the job centre's staff."))
        else:
            messages.success(request, _("The assignment was saved."))
    else:
        messages.error(request, _("Choose a member of the job centre's staff."))
    return redirect("dialogue:staff_thread", thread_id=item.pk)


@require_POST
@municipal_view()
@citizen_data_view
def staff_archive(request, thread_id: int):
    item = _staff_thread(request, thread_id)
    services.thread_archive(actor=request.user, thread=item)
    messages.success(request, _("The thread was archived."))
    return redirect("dialogue:team_inbox")


@municipal_view()
@citizen_data_view
def staff_attachment(request, attachment_id: int):
    try:
        item = selectors.access_attachment(actor=request.user, id=attachment_id,
                                           municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    return _file_response(item)


@municipal_view()
@citizen_data_view
def staff_new(request, citizen_id: int):
    """Staff write to a citizen (a new thread). The citizen's case is opened through access_citizen (logged)."""
    from .permissions import is_staff_of

    if not is_staff_of(request.user, request.municipality_id):
        raise Http404
    try:
        citizen = access_citizen(actor=request.user, id=citizen_id, purpose="help", what="dialogue thread")
    except NotFound:
        raise Http404 from None
    form = StaffNewThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.thread_open(actor=request.user, citizen=citizen, subject=form.cleaned_data["subject"],
                                        text=form.cleaned_data["text"], important=form.cleaned_data["important"],
                                        wants_answer=form.cleaned_data["wants_answer"], attachments=_files(request))
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your message was sent to the citizen."))
            return redirect("dialogue:staff_thread", thread_id=item.pk)
    return render(request, "dialogue/staff_new.html", {"form": form, "citizen": citizen},
                  status=400 if form.errors else 200)
