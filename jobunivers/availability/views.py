"""Availability pages: the citizen's own (state, deadline, confirm) and the staff worklist.

Both are labelled "availability control" so the citizen and staff can tell it from help
(ARCHITECTURE.md, "Personal data"); staff reads are logged with purpose "availability".
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens.selectors import citizen_for_user
from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from . import selectors, services
from .forms import ConfirmationForm


@municipal_view(Role.CITIZEN)
def mine(request):
    citizen = citizen_for_user(user=request.user)
    if citizen is None:
        raise Http404
    form = ConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirmation_create(actor=request.user, citizen=citizen, comment=form.cleaned_data["comment"])
        except ValidationFailed as error:
            for field, texts in error.messages.items():
                for text in texts:
                    form.add_error(None if field == "__all__" else field, text)
        else:
            messages.success(request, _("Thank you. Your availability is confirmed and your deadline starts again."))
            return redirect("availability:mine")
    return render(request, "availability/mine.html", {
        "form": form,
        "status": selectors.status_for_citizen(citizen_id=citizen.pk),
        "notices": selectors.notices_for_citizen(citizen_id=citizen.pk),
        "confirmations": selectors.confirmations_for_citizen(citizen_id=citizen.pk, limit=5),
        "thresholds": services.thresholds_for(request.municipality_id),
    })


@municipal_view(*STAFF_ROLES)
@citizen_data_view
def worklist(request):
    data = selectors.access_past_deadline(actor=request.user, municipality_id=request.municipality_id)
    return render(request, "availability/worklist.html", {"statuses": data.statuses, "total": data.total})
