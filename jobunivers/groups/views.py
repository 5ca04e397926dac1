"""Pages of courses and job clubs (ADR 0120): the citizen's list, a group with joining, leaving and sharing;
the teacher's pages under the staff area (groups, meetings, tasks, participants, waiting list, attendance);
and the job centre's view of a citizen's groups. Thin: parse, call a selector or service, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens.selectors import own_citizen
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view, national_view
from jobunivers.tenancy.roles import Role

from . import permissions, selectors, services
from .forms import GroupEditForm, GroupForm, SessionForm, TaskForm
from .models import AttendanceStatus, EnrolmentStatus

# --- The citizen ------------------------------------------------------------------------------------------

@municipal_view()
@require_GET
def citizen_list(request):
    citizen = own_citizen(user=request.user)
    cards = selectors.groups_for_citizen(actor=request.user, citizen=citizen, now=timezone.now())
    mine = [c for c in cards if c.enrolment and c.enrolment.status != EnrolmentStatus.LEFT]
    others = [c for c in cards if c not in mine and c.group.status == "open"]
    return render(request, "groups/list.html", {"mine": mine, "others": others})


@municipal_view()
@require_GET
def citizen_detail(request, group_id: int):
    citizen = own_citizen(user=request.user)
    page = selectors.group_for_citizen(actor=request.user, citizen=citizen, group_id=group_id)
    return render(request, "groups/detail.html", {"page": page, "now": timezone.now()})


@municipal_view()
@require_POST
def citizen_join(request, group_id: int):
    citizen = own_citizen(user=request.user)
    try:
        enrolment = services.join(actor=request.user, citizen=citizen, group_id=group_id,
                                  share_with_job_centre=request.POST.get("share") == "on")
    except ValidationFailed as error:
        error.flash(request)
    else:
        if enrolment.status == EnrolmentStatus.WAITING:
            messages.info(request, _("The group is full. You are on the waiting list and get a place "
                                     "automatically when one is free."))
        else:
            messages.success(request, _("You are signed up. The meetings are in your plan."))
    return redirect("groups:detail", group_id=group_id)


@municipal_view()
@require_POST
def citizen_leave(request, group_id: int):
    citizen = own_citizen(user=request.user)
    enrolment = selectors.own_enrolment(actor=request.user, citizen=citizen, group_id=group_id)
    try:
        services.leave(actor=request.user, enrolment=enrolment)
    except ValidationFailed as error:
        error.flash(request)
    else:
        messages.success(request, _("You have left the group. Your coming meetings are cancelled in your plan."))
    return redirect("groups:detail", group_id=group_id)


@municipal_view()
@require_POST
def citizen_sharing(request, group_id: int):
    citizen = own_citizen(user=request.user)
    enrolment = selectors.own_enrolment(actor=request.user, citizen=citizen, group_id=group_id)
    share = request.POST.get("share") == "on"
    services.sharing_set(actor=request.user, enrolment=enrolment, share=share)
    messages.success(request, _("The job centre can now see your attendance and the teacher's notes.") if share
                     else _("The job centre can no longer see your attendance and the teacher's notes."))
    return redirect("groups:detail", group_id=group_id)


# --- The teacher ---------------------------------------------------------------------------------------------

@municipal_view()
@require_GET
def staff_list(request):
    groups = selectors.groups_of_municipality(actor=request.user, municipality_id=request.municipality_id)
    return render(request, "groups/staff_list.html", {"groups": groups})


@municipal_view()
@require_http_methods(["GET", "POST"])
def staff_create(request):
    if not permissions.can_create_group(request.user, request.municipality_id):
        raise Http404
    form = GroupForm(request.POST or None,
                     partner_choices=selectors.partner_choices(municipality_id=request.municipality_id),
                     vendor_choices=selectors.vendor_choices(municipality_id=request.municipality_id))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                group = services.group_create(
                    actor=request.user, municipality_id=request.municipality_id, kind=data["kind"],
                    title=data["title"], description=data["description"], capacity=data["capacity"],
                    is_cross_municipal=data["is_cross_municipal"], partner_ids=data["partners"],
                    vendor_id=data["vendor"])
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The group is created. Add its meetings."))
                return redirect("groups:staff_group", group_id=group.pk)
        status = 422
    return render(request, "groups/staff_form.html", {"form": form, "heading": _("New course or job club")},
                  status=status)


def _roster_page(request, group_id: int, *, session_form=None, task_form=None, edit_form=None, status=200):
    roster = selectors.access_group_roster(actor=request.user, municipality_id=request.municipality_id,
                                           group_id=group_id)
    group = roster.group
    modules = _modules(request) if group.kind == "course" else []
    return render(request, "groups/staff_group.html", {
        "roster": roster, "group": group, "now": timezone.now(), "statuses": AttendanceStatus.choices,
        "session_form": session_form or SessionForm(),
        "task_form": task_form or (TaskForm(modules=modules) if group.kind == "course" else None),
        "edit_form": edit_form or GroupEditForm(
            initial={"title": group.title, "description": group.description, "capacity": group.capacity,
                     "status": group.status, "vendor": group.vendor_id},
            vendor_choices=selectors.vendor_choices(municipality_id=group.municipality_id, current=group))},
        status=status)


def _modules(request):
    from jobunivers.learning.selectors import modules_for

    return modules_for(municipality_id=request.municipality_id)


@citizen_data_view
@municipal_view()
@require_GET
def staff_group(request, group_id: int):
    return _roster_page(request, group_id)


@municipal_view()
@require_POST
def staff_edit(request, group_id: int):
    group = selectors.group_for_teacher(actor=request.user, municipality_id=request.municipality_id,
                                        group_id=group_id)
    form = GroupEditForm(request.POST,
                         vendor_choices=selectors.vendor_choices(municipality_id=group.municipality_id, current=group))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.group_update(actor=request.user, group=group, title=data["title"],
                                  description=data["description"], capacity=data["capacity"], status=data["status"],
                                  vendor_id=data["vendor"])
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The group is saved."))
            return redirect("groups:staff_group", group_id=group_id)
    return _roster_page(request, group_id, edit_form=form, status=422)


@municipal_view()
@require_POST
def staff_session_add(request, group_id: int):
    group = selectors.group_for_teacher(actor=request.user, municipality_id=request.municipality_id,
                                        group_id=group_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        zone = timezone.get_current_timezone()
        starts = datetime.datetime.combine(data["day"], data["starts"], tzinfo=zone)
        ends = datetime.datetime.combine(data["day"], data["ends"], tzinfo=zone)
        try:
            services.session_add(actor=request.user, group=group, starts_at=starts, ends_at=ends,
                                 place=data["place"], video_link=data["video_link"], agenda=data["agenda"])
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The meeting is added and is in the participants' plans."))
            return redirect("groups:staff_group", group_id=group_id)
    return _roster_page(request, group_id, session_form=form, status=422)


@municipal_view()
@require_POST
def staff_task_add(request, group_id: int):
    group = selectors.group_for_teacher(actor=request.user, municipality_id=request.municipality_id,
                                        group_id=group_id)
    form = TaskForm(request.POST, modules=_modules(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.task_add(actor=request.user, group=group, title=data["title"], description=data["description"],
                              due_on=data["due_on"], module_id=data["module"] or None)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The task is added and is in the participants' plans."))
            return redirect("groups:staff_group", group_id=group_id)
    return _roster_page(request, group_id, task_form=form, status=422)


def _attendance_page(request, session, *, municipality_id: int, group_id: int, done_url: str, template: str):
    """Record attendance at a meeting (GET: the form; POST: attendance_record), for a staff or vendor teacher."""
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        entries = {}
        for key in request.POST:
            if key.startswith("status-"):
                enrolment_id = key.removeprefix("status-")
                entries[enrolment_id] = (request.POST.get(key, ""), request.POST.get(f"note-{enrolment_id}", ""))
        try:
            services.attendance_record(actor=request.user, session=session, entries=entries)
        except ValidationFailed as error:
            errors = error.messages
        else:
            messages.success(request, _("Attendance is recorded and the participants' plans are updated."))
            return redirect(done_url)
    roster = selectors.access_group_roster(actor=request.user, municipality_id=municipality_id, group_id=group_id)
    lines = [{"line": line, "attendance": line.attendance.get(session.pk),
              "posted_status": request.POST.get(f"status-{line.enrolment.pk}") if errors else None,
              "posted_note": request.POST.get(f"note-{line.enrolment.pk}") if errors else None,
              "errors": errors.get(f"status-{line.enrolment.pk}", []) + errors.get(f"note-{line.enrolment.pk}", [])}
             for line in roster.participants]
    return render(request, template, {
        "group": roster.group, "session": session, "lines": lines, "statuses": AttendanceStatus.choices,
        "general_errors": errors.get("__all__", []), "started": session.starts_at <= timezone.now(),
        "back_url": done_url}, status=422 if errors else 200)


@citizen_data_view
@municipal_view()
@require_http_methods(["GET", "POST"])
def staff_attendance(request, group_id: int, session_id: int):
    session = selectors.session_for_teacher(actor=request.user, municipality_id=request.municipality_id,
                                            group_id=group_id, session_id=session_id)
    return _attendance_page(request, session, municipality_id=request.municipality_id, group_id=group_id,
                            done_url=reverse("groups:staff_group", args=[group_id]),
                            template="groups/staff_attendance.html")


@municipal_view()
@require_POST
def staff_complete(request, group_id: int, enrolment_id: int):
    enrolment = selectors.enrolment_for_teacher(actor=request.user, municipality_id=request.municipality_id,
                                                group_id=group_id, enrolment_id=enrolment_id)
    try:
        services.course_complete(actor=request.user, enrolment=enrolment)
    except ValidationFailed as error:
        error.flash(request)
    else:
        messages.success(request, _("The course is marked as completed in the participant's plan."))
    return redirect("groups:staff_group", group_id=group_id)


@citizen_data_view
@municipal_view()
@require_GET
def staff_citizen(request, citizen_id: int):
    try:
        citizen, lines = selectors.access_citizen_groups(actor=request.user, citizen_id=citizen_id)
    except NotFound:
        raise Http404 from None
    return render(request, "groups/staff_citizen.html", {"citizen": citizen, "lines": lines})


# --- A vendor who teaches (national pages under /leverandoer/) -----------------------------------------------
# The group belongs to its municipality: each page runs in that municipality's tenant context, as the staff
# pages do, and reads through the same selectors and services (can_teach admits the vendor's members).

@national_view(Role.VENDOR)
@require_GET
def vendor_list(request):
    return render(request, "groups/vendor_list.html", {"groups": selectors.groups_for_vendor(actor=request.user)})


@national_view(Role.VENDOR)
@require_GET
def vendor_group(request, group_id: int):
    group = selectors.group_for_vendor(actor=request.user, group_id=group_id)
    with tenant_context(group.municipality_id):
        roster = selectors.access_group_roster(actor=request.user, municipality_id=group.municipality_id,
                                               group_id=group.pk)
        return render(request, "groups/vendor_group.html", {"roster": roster, "group": group,
                                                            "now": timezone.now()})


@national_view(Role.VENDOR)
@require_http_methods(["GET", "POST"])
def vendor_attendance(request, group_id: int, session_id: int):
    group = selectors.group_for_vendor(actor=request.user, group_id=group_id)
    with tenant_context(group.municipality_id):
        session = selectors.session_for_teacher(actor=request.user, municipality_id=group.municipality_id,
                                                group_id=group.pk, session_id=session_id)
        return _attendance_page(request, session, municipality_id=group.municipality_id, group_id=group.pk,
                                done_url=reverse("groups:vendor_group", args=[group.pk]),
                                template="groups/staff_attendance.html")
