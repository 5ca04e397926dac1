"""Outcome pages: the citizen's "Jeg har fået job", and the staff page of a citizen's spells.
Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens.selectors import own_citizen
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role

from . import selectors, services
from .forms import FIND, OwnJobForm, StaffSpellForm, unsaved_copy
from .models import OutcomeSource


@municipal_view(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def own_job(request):
    from jobunivers.citizens.selectors import profile_for
    from jobunivers.taxonomy.selectors import label_of

    citizen = own_citizen(user=request.user)
    profile = profile_for(citizen_id=citizen.pk)
    wished = [(o.occupation_id, label_of({"preferred_label": o.label, "preferred_label_da": o.label_da}).text)
              for o in (profile.occupations if profile else ())]
    if request.method == "POST" and FIND in request.POST:  # show the occupations the words name; save nothing
        form = unsaved_copy(OwnJobForm, request.POST, wished=wished)
    else:
        form = OwnJobForm(request.POST or None, wished=wished)
    if request.method == "POST" and FIND not in request.POST and form.is_valid():
        try:
            services.own_job_report(actor=request.user, citizen=citizen,
                                    started_job_on=form.cleaned_data["started_job_on"],
                                    job_occupation_id=form.cleaned_data["job_occupation"])
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Congratulations! We have noted that you start in a job."))
            return redirect("analytics:own_job")
    spells = selectors.own_spells(actor=request.user, citizen=citizen)
    return render(request, "analytics/own_job.html", {"form": form, "spells": spells,
                                                       "citizen_source": OutcomeSource.CITIZEN},
                  status=400 if form.errors else 200)


@municipal_view(Role.CITIZEN)
@require_POST
def people_like_you_consent(request):
    """The start page's offer: yes turns the consent on, no records the answer so the offer is not repeated
    (both can be changed in "Mine data"). Anything else is a bad request and writes nothing."""
    from jobunivers.audit.services import consent_set

    from .home import CONSENT_PURPOSE

    answer = request.POST.get("answer", "")
    if answer not in ("yes", "no"):
        return _bad_request()
    own_citizen(user=request.user)  # a citizen of this municipality only (404 otherwise)
    consent_set(user=request.user, purpose=CONSENT_PURPOSE, given=answer == "yes")
    if answer == "yes":
        messages.success(request, _("Thank you. You now see what worked for people with a profile like yours. "
                                    "You can turn it off in My data."))
    else:
        messages.success(request, _("Fine. We will not ask again. You can turn it on in My data."))
    return redirect("citizens:home")


def _bad_request():
    from django.http import HttpResponseBadRequest

    return HttpResponseBadRequest(_("Choose yes or no."))


@municipal_view(Role.CITIZEN)
@require_POST
def own_job_withdraw(request):
    citizen = own_citizen(user=request.user)
    try:
        spell_id = int(request.POST.get("spell_id", ""))
        services.own_job_report_withdraw(actor=request.user, citizen=citizen, spell_id=spell_id)
    except (ValueError, NotFound):
        raise Http404 from None
    messages.success(request, _("Your report is withdrawn."))
    return redirect("analytics:own_job")


@municipal_view()  # object first: another municipality's citizen is 404 for every role (the selector checks)
@citizen_data_view
@require_http_methods(["GET", "POST"])
def citizen_spells(request, citizen_id: int):
    citizen, spells = selectors.access_spells(actor=request.user, citizen_id=citizen_id, purpose="help")
    if request.method == "POST" and FIND in request.POST:  # show the occupations the words name; save nothing
        form = unsaved_copy(StaffSpellForm, request.POST)
    else:
        form = StaffSpellForm(request.POST or None)
    if request.method == "POST" and FIND not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_spell_record(actor=request.user, citizen=citizen, started_on=data["started_on"],
                                        ended_on=data["ended_on"], exit_reason=data["exit_reason"],
                                        job_occupation_id=data["job_occupation"])
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The period is saved, labelled as recorded by the job centre."))
            return redirect("analytics:citizen_spells", citizen_id=citizen.pk)
    name = citizen.user.get_full_name() or citizen.user.username
    return render(request, "analytics/citizen_spells.html", {"citizen": citizen, "name": name, "spells": spells,
                                                              "form": form}, status=400 if form.errors else 200)


# --- Effect of services (staff and administrators; aggregates only) --------------------------------


@municipal_view()  # the selector checks the role: everyone else gets 404, like another municipality's service
@require_GET
def effects(request):
    try:
        services_ = selectors.services_overview(actor=request.user, municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    return render(request, "analytics/effects.html", {"services": services_})


@municipal_view()
@require_GET
def effect(request, service_key: str):
    from .charts import percent, step_chart
    from .wording import EVIDENCE_LABELS, EVIDENCE_TEXTS, LADDER, REASONS, characteristic

    try:
        result = selectors.service_effect(actor=request.user, municipality_id=request.municipality_id,
                                          service_key=service_key)
    except NotFound:
        raise Http404 from None
    found = result.estimate
    shown = found is not None and selectors.suppressed(found.users) and selectors.suppressed(found.non_users)
    chart, rows = None, []
    if shown and found.curves:
        users_name, non_users_name = _("Users"), _("Comparable non-users") if found.evidence != "descriptive" else _("Non-users")
        chart = step_chart(chart_id="chart-time-to-job", title=_("Share in a job, by weeks after day %(days)s of "
                                                                  "unemployment") % {"days": result.landmark_days},
                           series=[(users_name, found.curves["users"]), (non_users_name, found.curves["non_users"])])
        users_curve, non_users_curve = found.curves["users"], found.curves["non_users"]
        for week in (4, 8, 13, 26):
            if week < len(users_curve.weeks):
                rows.append({"week": week,
                             "users": percent(users_curve.share[week]),
                             "users_band": f"{percent(users_curve.lower[week])} – {percent(users_curve.upper[week])}",
                             "non_users": percent(non_users_curve.share[week]),
                             "non_users_band": f"{percent(non_users_curve.lower[week])} – {percent(non_users_curve.upper[week])}"})
    differences = [{"week": d.week, "users": percent(d.users), "non_users": percent(d.non_users),
                    "difference": _points(d.difference), "lower": _points(d.lower), "upper": _points(d.upper)}
                   for d in (found.differences if shown else ())]
    return render(request, "analytics/effect.html", {
        "result": result, "found": found, "shown": shown, "chart": chart, "rows": rows, "differences": differences,
        "label": EVIDENCE_LABELS.get(found.evidence, "") if found else "",
        "text": EVIDENCE_TEXTS.get(found.evidence, "") if found else "",
        "reason": REASONS.get(found.reason, "") if found else "",
        "ladder": [(key, EVIDENCE_LABELS[key], key == (found.evidence if found else None)) for key in LADDER],
        "balance": [{"name": characteristic(name), "before": f"{before:.2f}", "after": f"{after:.2f}"}
                    for name, (before, after) in (found.balance.items() if found and shown else [])],
    })


def _points(value: float) -> str:
    from django.utils.formats import number_format

    return number_format(round(100 * value, 1), decimal_pos=1, force_grouping=False)


# --- Monitoring -------------------------------------------------------------------------------------------


def _count(value: int | None) -> str:
    from .monitoring import small

    return _("fewer than 5") if small(value) else str(value)


def _share_text(share) -> str:
    from .charts import percent

    return _("hidden (fewer than 5)") if share.hidden else percent(share.value if share.eligible else None)


def _rating_text(service) -> str | None:
    """"4,2 (37 answers after use)" or "(12 reviews)"; None under 5 ratings (small cells)."""
    from django.utils.formats import number_format

    from .exposures import RATING_PULSE
    from .monitoring import small

    if service.rating is None or small(service.ratings) or not service.ratings:
        return None
    rating = number_format(round(service.rating, 1), decimal_pos=1)
    if service.rating_source == RATING_PULSE:
        return _("%(rating)s (%(n)s answers after use)") % {"rating": rating, "n": service.ratings}
    return _("%(rating)s (%(n)s reviews)") % {"rating": rating, "n": service.ratings}


@municipal_view()  # the selector checks the role: everyone else gets 404
@require_GET
def dashboard(request):
    """The figures as last stored (ADR 0155); the first visit, with none stored yet, computes them."""
    from django.utils.formats import number_format

    from jobunivers.core.charts import Series, bar_chart

    from .exposures import service_label
    from .monitoring import MONTHS, small
    from .snapshots import dashboard_from_snapshot

    try:
        data = selectors.dashboard(actor=request.user, municipality_id=request.municipality_id)
        if data is None:
            data = dashboard_from_snapshot(services.dashboard_first_snapshot(
                actor=request.user, municipality_id=request.municipality_id))
    except NotFound:
        raise Http404 from None
    found = data.figures
    tracks = list(data.tracks) + ([(_("No decided track yet"), data.undecided)] if data.undecided else [])
    shown_tracks = [(name, 0 if small(n) else n) for name, n in tracks]
    shares = [found.outcomes.shares.get(m) for m in MONTHS]
    month_labels = [_("%(months)s months") % {"months": m} if m > 1 else _("1 month") for m in MONTHS]
    per_person = [(_("Booked conversations"), found.per_person(found.bookings)),
                  (_("Held conversations"), found.per_person(found.held)),
                  (_("Message threads"), found.per_person(found.threads))]
    return render(request, "analytics/dashboard.html", {
        "found": found, "today": data.today, "computed_at": data.computed_at,
        "tracks": [(name, _count(n)) for name, n in tracks],
        "chart_tracks": bar_chart(chart_id="chart-tracks", title=_("Citizens on the platform by track"),
                                  labels=[name for name, _n in shown_tracks],
                                  series=[Series(_("Citizens"), [n for _name, n in shown_tracks])], width=360),
        "shares": [{"label": label, "share": share, "text": _share_text(share),
                    "eligible": _count(share.eligible), "in_job": _count(share.in_job)}
                   for label, share in zip(month_labels, shares, strict=True) if share is not None],
        # The chart draws the shares the table shows as numbers, written as the table writes them ("26,7 %");
        # a hidden share (fewer than 5) or one without spells is left out, not drawn as 0 %.
        "chart_shares": bar_chart(
            chart_id="chart-in-job", title=_("Share in a job after the spell started (per cent)"),
            labels=[label for label, s in zip(month_labels, shares, strict=True) if s is not None and s.value is not None],
            series=[Series(_("Per cent in a job"), [round(100 * s.value, 1) for s in shares
                                                    if s is not None and s.value is not None],
                           decimals=1, unit="%")],
            width=360),
        "median_weeks": (number_format(found.outcomes.median_weeks, decimal_pos=1)
                         if found.outcomes.median_weeks is not None and not small(found.outcomes.spells) else None),
        "jobs": _count(found.outcomes.jobs), "reported_jobs": _count(found.outcomes.reported_jobs),
        "citizens": _count(found.citizens),
        "per_person": [(label, "–" if value is None else number_format(value, decimal_pos=2))
                       for label, value in per_person],
        "services": [{"key": s.key, "label": service_label(s.key, s.label), "citizens": _count(s.citizens),
                      "rating": _rating_text(s)} for s in data.services],
    })


@municipal_view()  # the service checks the role: everyone else gets 404, as for the page
@require_POST
def dashboard_refresh(request):
    """"Opdater tallene nu": the refresh is scheduled; the page says so and shows the stored figures until
    the new ones are in."""
    try:
        services.dashboard_refresh_request(actor=request.user, municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    messages.info(request, _("The figures are being updated. Reload the page in a minute to see the new ones."))
    return redirect("analytics:dashboard")


@municipal_view()
@require_GET
def national(request):
    try:
        rows = selectors.national_comparison(actor=request.user, municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    return render(request, "analytics/national.html", {"rows": [_national_row(code, name, f) for code, name, f in rows],
                                                        "own": request.municipality.code})


def _national_row(code: str, name: str, found) -> dict:
    from django.utils.formats import number_format

    from .monitoring import small

    shares = found.outcomes.shares
    return {"code": code, "name": name, "citizens": _count(found.citizens),
            "in_job_3": _share_text(shares[3]) if 3 in shares else "–",
            "in_job_6": _share_text(shares[6]) if 6 in shares else "–",
            "median_weeks": (number_format(found.outcomes.median_weeks, decimal_pos=1)
                             if found.outcomes.median_weeks is not None and not small(found.outcomes.spells) else "–"),
            "bookings": "–" if found.per_person(found.bookings) is None else number_format(found.per_person(found.bookings), decimal_pos=2)}


# --- Open data (public, national, aggregates only) ----------------------------------------------------------


@require_GET
def open_data_json(request):
    from django.http import JsonResponse

    from .opendata import records

    return JsonResponse(records(selectors.open_data()), json_dumps_params={"ensure_ascii": False})


@require_GET
def open_data_csv(request):
    import csv

    from django.http import HttpResponse

    from .opendata import COLUMNS, records

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jobunivers-resultater.csv"'
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for row in records(selectors.open_data())["municipalities"]:
        writer.writerow(["" if row[column] is None else row[column] for column in COLUMNS])
    return response
