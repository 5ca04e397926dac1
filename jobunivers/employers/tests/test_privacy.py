"""GDPR: a citizen's follows are in "Mine data" and the export; erasure removes them (and only theirs)."""

import json

import pytest

from jobunivers.audit.privacy import registration_for
from jobunivers.core.testing import client_for, murl
from jobunivers.employers.models import Follow, Organisation

from . import factories

pytestmark = pytest.mark.django_db


def test_follows_are_exported_and_erased(citizen, other_citizen):
    # given a citizen who follows an employer (notices off) and an occupation field, and another citizen
    netto = factories.organisation("Netto", cvr="12345678")
    factories.follow(citizen, netto, notify=False)
    Follow.all_tenants.create(municipality=citizen.municipality, citizen=citizen, kind="occupation_field",
                              isco_code="9334")
    factories.follow(other_citizen, netto)
    # then the export lists both of theirs
    rows = registration_for(Follow).export(citizen.user)
    assert [(r["kind"], r["followed"], r["cvr"], r["notify"]) for r in rows] == [
        ("employer", "Netto", "12345678", False), ("occupation_field", "9334", "", True)]
    # when their data is erased
    registration_for(Follow).erase(citizen.user)
    # then their follows are gone, the other citizen's and the employer stay
    assert list(Follow.all_tenants.values_list("citizen_id", flat=True)) == [other_citizen.pk]
    assert Organisation.objects.filter(pk=netto.pk).exists()


def test_mine_data_shows_the_follows(citizen):
    factories.follow(citizen, factories.organisation("Netto"))
    client = client_for(citizen.user)
    page = client.get(murl(citizen.municipality, "audit:my_data"))
    assert page.status_code == 200
    assert "Virksomheder og faggrupper du følger" in page.content.decode()
    exported = json.loads(client.get(murl(citizen.municipality, "audit:my_data_json")).content)
    assert "Netto" in json.dumps(exported, ensure_ascii=False)
