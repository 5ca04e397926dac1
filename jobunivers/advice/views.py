"""The diagnosis ("Hvorfor ser jeg dette?"), answering a step, and the market around me. Thin: parse,
call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobunivers.citizens.selectors import own_citizen
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.redirects import safe_next
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from . import selectors, services
from .charts import bar_chart
from .modules import FEW_JOBS, MODULE_NAMES, TOPIC_NAMES


@municipal_view(Role.CITIZEN)
@require_GET
def why(request):
    citizen = own_citizen(user=request.user)
    try:
        diagnosis = selectors.own_diagnosis(actor=request.user, citizen=citizen)
    except NotFound:
        raise Http404 from None
    return render(request, "advice/why.html", {"diagnosis": diagnosis, "few_jobs": FEW_JOBS})


@municipal_view(Role.CITIZEN)
@require_POST
def answer(request):
    citizen = own_citizen(user=request.user)
    back = safe_next(request, reverse("advice:why"))
    module, step = request.POST.get("module", ""), request.POST.get("step", "")
    try:
        if request.POST.get("answer") == "withdraw":
            services.step_answer_withdraw(actor=request.user, citizen=citizen, module=module, step=step)
            messages.success(request, _("The step is shown again."))
        else:
            services.step_answer(actor=request.user, citizen=citizen, module=module, step=step,
                                 answer=request.POST.get("answer", ""))
            messages.success(request, _("Thank you. The step is marked."))
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
    except NotFound:
        raise Http404 from None
    return redirect(back)


@municipal_view(Role.CITIZEN)
@require_GET
def market(request):
    citizen = own_citizen(user=request.user)
    try:
        found = selectors.own_market(actor=request.user, citizen=citizen)
    except NotFound:
        raise Http404 from None
    charts = {}
    if found is not None:
        charts["months"] = bar_chart(chart_id="chart-months", title=_("New jobs per month in your occupations"),
                                     rows=[(date_format(start, "YEAR_MONTH_FORMAT"), figure)
                                           for start, figure in found.months])
        if found.employers:
            charts["employers"] = bar_chart(chart_id="chart-employers", title=_("Employers posting most near you"),
                                            rows=list(found.employers))
        if found.neighbours:
            charts["neighbours"] = bar_chart(chart_id="chart-neighbours",
                                             title=_("Neighbouring occupations with more open jobs"),
                                             rows=[(label, figure) for _id, label, figure in found.neighbours])
    likely = selectors.likely_employers_for(actor=request.user, citizen=citizen) if found is not None else []
    return render(request, "advice/market.html", {"market": found, "charts": charts, "likely": likely})


@municipal_view(*STAFF_ROLES, Role.MUNICIPALITY_ADMIN)
@require_GET
def module_statistics(request):
    try:
        figures = selectors.module_statistics(actor=request.user, municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    rows = [{"name": MODULE_NAMES.get(f.module, f.module), "topic": TOPIC_NAMES.get(f.topic, f.topic), "figures": f}
            for f in figures]
    return render(request, "advice/module_statistics.html", {"rows": rows})
