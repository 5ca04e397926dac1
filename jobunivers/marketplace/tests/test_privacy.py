"""GDPR: a citizen's enrolments, shared offers and use are exported; erasure removes enrolments and shares
and unlinks the use events, which keep only the pseudonym (accounting records)."""

import pytest

from jobunivers.audit.privacy import registration_for
from jobunivers.marketplace.models import Enrolment, UseEvent

from . import factories

pytestmark = pytest.mark.django_db


def test_export_and_erasure(citizen, municipality):
    curated = factories.enabled(municipality, factories.offer(title="Skriv dit CV"))
    enrolment = factories.enrolment(citizen, curated, consented_fields=["email"])
    factories.use_event(enrolment, "launched", subject="pseudonym-1")
    assert [row["offer"] for row in registration_for(Enrolment).export(citizen.user)] == ["Skriv dit CV"]
    assert [(row["kind"], row["quantity"]) for row in registration_for(UseEvent).export(citizen.user)] == [
        ("launched", "1.00")]
    registration_for(UseEvent).erase(citizen.user)
    registration_for(Enrolment).erase(citizen.user)
    assert Enrolment.all_tenants.count() == 0
    assert list(UseEvent.all_tenants.values_list("citizen_id", "enrolment_id", "subject")) == [
        (None, None, "pseudonym-1")]
