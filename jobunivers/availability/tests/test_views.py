import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.availability import services
from jobunivers.availability.models import AvailabilityConfirmation, AvailabilityStatus
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl

pytestmark = pytest.mark.django_db


def test_citizen_sees_state_and_confirms(municipality):
    # given a citizen past the deadline
    citizen = CitizenFactory(municipality=municipality, registered_on=timezone.localdate() - datetime.timedelta(days=33))
    services.statuses_refresh(municipality_id=municipality.pk)
    client = client_for(citizen.user)
    # when they open their availability page
    page = client.get(murl(municipality, "availability:mine")).content.decode()
    # then it is labelled availability control and shows the state
    assert "Rådighedskontrol" in page and "Frist overskredet" in page
    # when they confirm without ticking the box, nothing is stored and they are told why
    response = client.post(murl(municipality, "availability:mine"), {"comment": "hej"})
    assert response.status_code == 200 and "Sæt kryds for at bekræfte." in response.content.decode()
    assert AvailabilityConfirmation.all_tenants.count() == 0
    # when they confirm properly
    response = client.post(murl(municipality, "availability:mine"), {"confirm": "on", "comment": ""})
    # then the state is active again
    assert response.status_code == 302
    assert AvailabilityStatus.all_tenants.get(citizen=citizen).state == "active"


def test_staff_worklist_lists_citizens_past_the_deadline_and_logs_availability_purpose(municipality, member):
    # given one citizen past the deadline and one active
    late = CitizenFactory(municipality=municipality, registered_on=timezone.localdate() - datetime.timedelta(days=45),
                          user__first_name="Sent")
    CitizenFactory(municipality=municipality, registered_on=timezone.localdate(), user__first_name="Frisk")
    services.statuses_refresh(municipality_id=municipality.pk)
    staff = member("personal_consultant", municipality)
    # when staff open the availability worklist
    page = client_for(staff).get(murl(municipality, "availability:worklist")).content.decode()
    # then only the late citizen is there, with a summons link labelled availability
    assert "Sent" in page and "Frisk" not in page
    assert murl(municipality, "caseworker:summon", citizen_id=late.pk) + "?purpose=availability" in page
    entry = AccessLogEntry.all_tenants.get()
    assert (entry.purpose, entry.action) == ("availability", "search")


def test_citizens_cannot_open_the_staff_worklist(municipality, member):
    citizen = member("citizen", municipality)
    assert client_for(citizen).get(murl(municipality, "availability:worklist")).status_code == 403
