

def test_opening_an_action_form_is_logged_as_a_read(municipality, member):
    # given a consultant and a citizen of the municipality
    from jobunivers.audit.models import AccessLogEntry
    from jobunivers.citizens.tests.factories import CitizenFactory
    from jobunivers.core.testing import client_for, murl

    consultant = member("personal_consultant", municipality)
    citizen = CitizenFactory(municipality=municipality)
    before = AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk).count()
    # when the consultant opens the summons form, which shows the citizen's name
    response = client_for(consultant).get(murl(municipality, "caseworker:summon", citizen_id=citizen.pk))
    # then the look-up is in the access log as a read
    assert response.status_code == 200
    entries = AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk).order_by("pk")
    assert entries.count() == before + 1
    assert entries.last().action == "read"
