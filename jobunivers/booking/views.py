"""Booking pages: the citizen books, moves and cancels a conversation and reads minutes; staff see
the day list, record attendance, set deadlines, book for a citizen and write minutes. Thin: parse,
call a selector or service, render."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens import selectors as citizen_selectors
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from . import permissions, selectors, services
from .forms import (
    AbsenceForm,
    AttendanceForm,
    AvailabilityForm,
    BookForm,
    BookingSettingsForm,
    CancelForm,
    ChannelForm,
    CommentForm,
    LocationForm,
    MessageForm,
    MinutesForm,
    MoveForm,
    WindowForm,
    parse_slot,
)
from .models import AvailabilityException, BookingSettings, Channel, Location, WeeklyAvailability

PAGE_TIMES = 12  # the next free times first; a short list is quicker to read on a phone


def _names(slots) -> dict[int, str]:
    ids = {s.adviser_id for s in slots}
    return {u.pk: (u.get_full_name() or u.get_username()) for u in get_user_model().objects.filter(pk__in=ids)}




# --- The citizen --------------------------------------------------------------------------------

@municipal_view(Role.CITIZEN)
def my_bookings(request):
    citizen = citizen_selectors.own_citizen(user=request.user)
    return render(request, "booking/my_bookings.html", {
        "bookings": selectors.own_bookings(citizen=citizen), "windows": selectors.open_windows_for(citizen_id=citizen.pk),
        "minutes": selectors.own_minutes(citizen=citizen), "exempt": services.is_exempt(citizen_id=citizen.pk)})


@municipal_view(Role.CITIZEN)
def book(request):
    citizen = citizen_selectors.own_citizen(user=request.user)
    if services.is_exempt(citizen_id=citizen.pk):
        return render(request, "booking/book.html", {"exempt": True})
    source = request.POST if request.method == "POST" else request.GET
    channel = source.get("channel") or source.get("kanal") or Channel.VIDEO
    channel = channel if channel in Channel.values else Channel.VIDEO
    window = None
    window_id = source.get("window", "")
    if window_id.isdigit():
        window = selectors.own_window(citizen=citizen, window_id=int(window_id))
    saved_jobs = list(citizen_selectors.saved_jobs_for(citizen_id=citizen.pk)[:50])
    free = selectors.free_times(citizen=citizen, channel=channel, window=window, limit=PAGE_TIMES)
    if request.method == "POST":
        form = BookForm(request.POST, saved_jobs=saved_jobs, slots=free, names=_names(free))
        chosen = parse_slot(request.POST.get("slot", ""))
        if chosen is not None:  # a time shown a moment ago may have gone: the service decides
            form.fields["slot"].choices = [(request.POST["slot"], "")] + form.fields["slot"].choices
        if form.is_valid() and chosen is not None:
            data = form.cleaned_data
            try:
                booking = services.booking_create(
                    actor=request.user, citizen=citizen, adviser_id=chosen[0], starts_at=chosen[1], channel=channel,
                    purpose=data["purpose"], text=data["text"], posting_id=data["posting_id"],
                    idempotency_key=data["key"], window_id=window.pk if window else None)
            except services.SlotTaken as taken:
                form = BookForm(request.POST, saved_jobs=saved_jobs, slots=taken.alternatives,
                                names=_names(taken.alternatives))
                form.is_valid()
                taken.add_to_form(form)
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Your conversation is booked. The invitation is in your inbox."))
                return redirect("booking:mine", booking_id=booking.pk)
    elif request.method == "GET":
        initial = {"channel": channel, "key": uuid.uuid4().hex, "window": window.pk if window else None}
        posting = request.GET.get("job", "")
        if posting.isdigit():
            initial.update(purpose="job", posting_id=int(posting))
        form = BookForm(initial=initial, saved_jobs=saved_jobs, slots=free, names=_names(free))
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "booking/book.html", {
        "form": form, "channel_form": ChannelForm(initial={"kanal": channel}), "window": window, "channel": channel,
        "has_times": bool(free) or bool(form.fields["slot"].choices)})


@municipal_view()
def mine(request, booking_id: int):
    booking = selectors.access_own_booking(actor=request.user, id=booking_id)
    move_form = cancel_form = None
    message_form = MessageForm()
    if request.method == "POST" and request.POST.get("action") == "message":
        message_form = MessageForm(request.POST)
        try:
            thread = services.booking_message_job_centre(actor=request.user, booking=booking,
                                                         text=request.POST.get("text", ""))
        except ValidationFailed as error:
            message_form.is_valid()
            error.add_to_form(message_form)
        else:
            messages.success(request, _("Your message is sent to the job centre."))
            return redirect("dialogue:thread", thread_id=thread.pk)
    elif booking.status == "booked":
        free = selectors.free_times(citizen=booking.citizen, channel=booking.channel, limit=12)
        move_form, cancel_form = MoveForm(slots=free, names=_names(free)), CancelForm()
        if request.method == "POST":
            try:
                if request.POST.get("action") == "cancel":
                    cancel_form = CancelForm(request.POST)
                    services.booking_cancel(actor=request.user, booking=booking,
                                            reason=request.POST.get("reason", ""))
                    messages.success(request, _("The conversation is cancelled."))
                else:
                    move_form = MoveForm(request.POST, slots=free, names=_names(free))
                    chosen = parse_slot(request.POST.get("slot", ""))
                    if chosen is None:
                        raise ValidationFailed({"slot": [_("Choose a new time.")]})
                    services.booking_reschedule(actor=request.user, booking=booking, adviser_id=chosen[0],
                                                starts_at=chosen[1], reason=request.POST.get("reason", ""))
                    messages.success(request, _("The conversation is moved. The new invitation is in your inbox."))
            except ValidationFailed as error:
                target = cancel_form if request.POST.get("action") == "cancel" else move_form
                target.is_valid()
                error.add_to_form(target)
            else:
                return redirect("booking:mine", booking_id=booking.pk)
    return render(request, "booking/mine.html", {
        "booking": booking, "move_form": move_form, "cancel_form": cancel_form, "message_form": message_form,
        "may_change": booking.status == "booked" and services._citizen_may_still_change(booking, timezone.now())})


@municipal_view()
def invitation(request, booking_id: int):
    booking = selectors.access_own_booking(actor=request.user, id=booking_id)
    latest = selectors.latest_invitation(booking=booking)
    if latest is None:
        raise NotFound
    response = HttpResponse(latest.ics, content_type=f"text/calendar; charset=utf-8; method={latest.method}")
    response["Content-Disposition"] = 'attachment; filename="samtale.ics"'
    return response


@municipal_view()
def my_minutes(request, minutes_id: int):
    minutes = selectors.access_own_minutes(actor=request.user, id=minutes_id)
    form = CommentForm()
    if request.method == "POST":
        form = CommentForm(request.POST)
        try:
            services.minutes_comment_add(actor=request.user, minutes=minutes, text=request.POST.get("text", ""))
        except ValidationFailed as error:
            form.is_valid()
            error.add_to_form(form)
        else:
            messages.success(request, _("Your comment is saved."))
            return redirect("booking:my_minutes", minutes_id=minutes.pk)
    return render(request, "booking/my_minutes.html", {
        "minutes": minutes, "form": form, "correction": selectors.correction_of(minutes=minutes),
        "agreements": minutes.agreements.all(), "comments": minutes.comments.select_related("author")})


# --- Staff --------------------------------------------------------------------------------------

@municipal_view(*STAFF_ROLES)
@citizen_data_view
def day_list(request):
    try:
        day = datetime.date.fromisoformat(request.GET.get("dag", ""))
    except ValueError:
        day = timezone.localdate()
    everyone = request.GET.get("alle") == "1"
    bookings = selectors.day_list(actor=request.user, municipality_id=request.municipality_id,
                                  adviser_id=None if everyone else request.user.pk, day=day)
    return render(request, "booking/day_list.html", {
        "bookings": bookings, "day": day, "everyone": everyone, "form": AttendanceForm(),
        "previous": day - datetime.timedelta(days=1), "next": day + datetime.timedelta(days=1),
        "now": timezone.now()})


@municipal_view()
@citizen_data_view
@require_POST
def attendance(request, booking_id: int):
    booking = selectors.access_booking(actor=request.user, id=booking_id)
    try:
        services.booking_record_attendance(actor=request.user, booking=booking, status=request.POST.get("status", ""))
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, _("Attendance is recorded."))
    return redirect(f"{_day_list_url()}?dag={timezone.localtime(booking.starts_at).date().isoformat()}")


def _day_list_url() -> str:
    from django.urls import reverse

    return reverse("booking:day_list")


@municipal_view()
@citizen_data_view
def staff_citizen(request, citizen_id: int):
    """Book for a citizen, set a booking deadline, exempt from self-booking, and write minutes."""
    citizen = selectors.access_citizen_for_booking(actor=request.user, citizen_id=citizen_id)
    if not permissions.can_book_for(request.user, citizen):
        raise NotFound
    window_form = WindowForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "window":
                window_form = WindowForm(request.POST)
                if not window_form.is_valid():
                    raise ValidationFailed({})
                services.window_open(actor=request.user, citizen=citizen, **window_form.cleaned_data)
                messages.success(request, _("The citizen is asked to book a conversation."))
            elif action == "exempt":
                services.exemption_set(actor=request.user, citizen=citizen, exempt=request.POST.get("exempt") == "1",
                                       reason=request.POST.get("reason", ""))
                messages.success(request, _("Saved."))
            elif action == "book":
                chosen = parse_slot(request.POST.get("slot", ""))
                if chosen is None:
                    raise ValidationFailed({"slot": [_("Choose a time.")]})
                services.booking_create(actor=request.user, citizen=citizen, adviser_id=chosen[0],
                                        starts_at=chosen[1], channel=request.POST.get("channel", ""),
                                        purpose="plan", text=request.POST.get("text", ""),
                                        idempotency_key=request.POST.get("key", ""),
                                        video_link=request.POST.get("video_link", ""))
                messages.success(request, _("The conversation is booked and the citizen has the invitation."))
            else:
                raise ValidationFailed(_("Choose what to do."))
        except ValidationFailed as error:
            if action == "window" and error.messages:
                error.add_to_form(window_form)
            for texts in ([] if action == "window" else error.messages.values()):
                for text in texts:
                    messages.error(request, text)
        else:
            return redirect("booking:staff_citizen", citizen_id=citizen.pk)
    free = selectors.free_times(citizen=citizen, limit=12, now=None)
    return render(request, "booking/staff_citizen.html", {
        "citizen": citizen, "window_form": window_form, "free": free, "names": _names(free),
        "exemption": selectors.exemption_for(citizen_id=citizen.pk), "key": uuid.uuid4().hex,
        "timeline": selectors.timeline_for_citizen(actor=request.user, citizen_id=citizen.pk),
        "channels": Channel.choices})


@municipal_view()
@citizen_data_view
def minutes_edit(request, citizen_id: int, minutes_id: int | None = None, corrects_id: int | None = None):
    citizen = selectors.access_citizen_for_booking(actor=request.user, citizen_id=citizen_id)
    if not permissions.can_write_minutes(request.user, citizen):
        raise NotFound
    minutes = corrects = None
    if minutes_id is not None:
        minutes = selectors.access_minutes(actor=request.user, id=minutes_id)
        if minutes.citizen_id != citizen.pk:
            raise NotFound
    if corrects_id is not None:
        corrects = selectors.access_minutes(actor=request.user, id=corrects_id)
        if corrects.citizen_id != citizen.pk:
            raise NotFound
    source = minutes or corrects
    initial: dict[str, object] = {}
    if source is not None:
        initial = {"talked_about": source.talked_about, "jobs_to_apply_for": source.jobs_to_apply_for,
                   "next_conversation": source.next_conversation}
        for n, agreement in enumerate(source.agreements.all()[:3], start=1):
            initial[f"agreement_{n}"], initial[f"agreement_{n}_due"] = agreement.title, agreement.due_on
    form = MinutesForm(initial=initial)
    if request.method == "POST" and (minutes is None or minutes.status == "draft"):
        form = MinutesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.minutes_write(
                    actor=request.user, citizen=citizen, talked_about=data["talked_about"],
                    agreements=form.agreements(), jobs_to_apply_for=data["jobs_to_apply_for"],
                    next_conversation=data["next_conversation"], minutes=minutes, corrects=corrects)
                if request.POST.get("share") == "1":
                    services.minutes_share(actor=request.user, minutes=saved)
                    messages.success(request, _("The minutes are shared with the citizen."))
                else:
                    messages.success(request, _("The draft is saved."))
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                return redirect("booking:minutes_edit", citizen_id=citizen.pk, minutes_id=saved.pk)
    return render(request, "booking/minutes_edit.html", {
        "citizen": citizen, "minutes": minutes, "corrects": corrects, "form": form,
        "correction": selectors.correction_of(minutes=minutes) if minutes else None,
        "comments": minutes.comments.select_related("author") if minutes else []})


@municipal_view(Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT, Role.MUNICIPALITY_ADMIN)
def availability(request):
    """The adviser's own hours (weekly, per channel and meeting place) and days away."""
    locations = list(Location.objects.all())
    form = AvailabilityForm(locations=locations)
    absence_form = AbsenceForm()
    if request.method == "POST" and request.POST.get("form") == "absence":
        absence_form = AbsenceForm(request.POST)
        if absence_form.is_valid():
            try:
                services.absence_add(actor=request.user, municipality_id=request.municipality_id,
                                     adviser_id=request.user.pk, **absence_form.cleaned_data)
            except ValidationFailed as error:
                error.add_to_form(absence_form)
            else:
                messages.success(request, _("The absence is registered; no one can book you then."))
                return redirect("booking:availability")
    elif request.method == "POST":
        form = AvailabilityForm(request.POST, locations=locations)
        if form.is_valid():
            data = dict(form.cleaned_data)
            location_id = data.pop("location")
            try:
                services.availability_add(actor=request.user, municipality_id=request.municipality_id,
                                          adviser_id=request.user.pk,
                                          location=next((loc for loc in locations if loc.pk == location_id), None),
                                          **data)
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Your hours are published."))
                return redirect("booking:availability")
    rules = list(WeeklyAvailability.objects.filter(adviser=request.user).select_related("location"))
    for rule in rules:
        rule.weekday_name = WEEKDAYS.get(rule.weekday, "")
    absences = AvailabilityException.objects.filter(adviser=request.user, day__gte=timezone.localdate()).order_by("day")
    return render(request, "booking/availability.html", {
        "form": form, "rules": rules, "absence_form": absence_form, "absences": absences,
        "no_places": not locations})


@require_POST
@municipal_view()  # anyone but the adviser gets 404, as for any object not theirs
def availability_remove(request, rule_id: int):
    rule = WeeklyAvailability.objects.filter(pk=rule_id, adviser=request.user).first()
    if rule is None:
        raise NotFound
    services.availability_remove(actor=request.user, rule=rule)
    messages.success(request, _("The hours are withdrawn. Conversations already booked in them stay booked."))
    return redirect("booking:availability")


@require_POST
@municipal_view()  # anyone but the adviser gets 404, as for any object not theirs
def absence_remove(request, absence_id: int):
    absence = AvailabilityException.objects.filter(pk=absence_id, adviser=request.user).first()
    if absence is None:
        raise NotFound
    services.absence_remove(actor=request.user, absence=absence)
    messages.success(request, _("The absence is removed."))
    return redirect("booking:availability")


@municipal_view(Role.MUNICIPALITY_ADMIN)
def settings(request):
    """The municipality's booking policy and its meeting places, for its administrators."""
    from .video import providers

    if not permissions.can_manage_booking_settings(request.user, request.municipality_id):
        raise NotFound
    current = BookingSettings.objects.first() or BookingSettings(municipality_id=request.municipality_id)
    provider_names = providers.names()
    form = BookingSettingsForm(instance=current, provider_names=provider_names)
    location_form = LocationForm()
    if request.method == "POST" and request.POST.get("form") == "location":
        location_form = LocationForm(request.POST)
        if location_form.is_valid():
            try:
                services.location_add(actor=request.user, municipality_id=request.municipality_id,
                                      **location_form.cleaned_data)
            except ValidationFailed as error:
                error.add_to_form(location_form)
            else:
                messages.success(request, _("The meeting place is added."))
                return redirect("booking:settings")
    elif request.method == "POST":
        form = BookingSettingsForm(request.POST, instance=BookingSettings(municipality_id=request.municipality_id),
                                   provider_names=provider_names)
        if form.is_valid():
            try:
                services.booking_settings_save(actor=request.user, municipality_id=request.municipality_id, values={
                    name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS})
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The booking settings are saved."))
                return redirect("booking:settings")
    return render(request, "booking/settings.html", {
        "form": form, "location_form": location_form, "locations": Location.objects.all()})
