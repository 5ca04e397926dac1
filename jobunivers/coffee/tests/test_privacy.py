"""GDPR export and erasure of coffee-meeting data, and retention of cards after the invitation ended."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.privacy import registration_for
from jobunivers.coffee import services
from jobunivers.coffee.models import Answer, FunnelEvent, Invitation, Offer, Visibility
from jobunivers.coffee.retention import coffee_purge
from jobunivers.coffee.tasks import purge_coffee

from .helpers import invitation_data, seeker

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(boss, occupation, sara):
    user, membership = boss
    invitation = services.invitation_publish(actor=user, membership=membership, data=invitation_data(occupation))
    services.invitation_offer(invitation_id=invitation.pk)
    offer = Offer.all_tenants.get(citizen=sara)
    services.answer_give(actor=sara.user, citizen=sara, offer_id=offer.pk, choice="yes")
    return invitation, offer


def test_the_export_holds_the_choice_the_card_and_what_the_yes_shared(answered, sara, boss):
    invitation, offer = answered
    assert [(v["is_open"], v["job_kinds"], v["fields"]) for v in registration_for(Visibility).export(sara.user)] == [
        (True, ["7"], ["name", "occupations", "skills"])]
    cards = registration_for(Offer).export(sara.user)
    assert [(c["employer"], c["role"], c["reasons"][0]) for c in cards] == [
        ("Byggesen Tømrer ApS", "Tømrer til renovering", "Søger job inden for netop denne stilling")]
    answers = registration_for(Answer).export(sara.user)
    assert [(a["choice"], a["shared"]) for a in answers] == [
        ("yes", {"name": "Sara Jensen", "occupations": ["tømrer"], "skills": ["træarbejde"]})]
    assert [i["role"] for i in registration_for(Invitation).export(boss[0])] == ["Tømrer til renovering"]


def test_erasure_removes_the_citizens_data_keeps_the_funnel_counts_and_no_one_elses(answered, sara, municipality,
                                                                                    occupation, boss):
    invitation, _offer = answered
    other = seeker(municipality, occupation, first_name="Per")
    services.visibility_set(actor=other.user, citizen=other, is_open=True, job_kinds=["7"], fields=["name"])
    for model in (Answer, Offer, Visibility):
        registration_for(model).erase(sara.user)
    registration_for(Invitation).erase(boss[0])
    assert Offer.all_tenants.filter(citizen=sara).count() == 0 and Answer.all_tenants.count() == 0
    assert list(Visibility.all_tenants.values_list("citizen_id", flat=True)) == [other.pk]
    assert Offer.all_tenants.filter(citizen=other).count() == 1
    assert sorted(FunnelEvent.all_tenants.filter(invitation=invitation, offer__isnull=True).values_list(
        "step", flat=True)) == ["shown", "yes"]
    assert Invitation.objects.get(pk=invitation.pk).created_by_id is None


def test_cards_go_after_the_period_counted_from_the_invitations_last_day(answered, municipality, other_municipality,
                                                                        occupation, boss):
    from jobunivers.tenancy.models import MunicipalitySettings

    invitation, offer = answered
    elsewhere = seeker(other_municipality, occupation, first_name="Ole", postcode="1050")
    services.visibility_set(actor=elsewhere.user, citizen=elsewhere, is_open=True, job_kinds=["7"], fields=[])
    MunicipalitySettings.objects.update_or_create(municipality=municipality,
                                                  defaults={"marketplace_retention_days": 30})
    Invitation.objects.filter(pk=invitation.pk).update(last_day=timezone.localdate() - datetime.timedelta(days=40))
    result = purge_coffee.apply().get()
    assert result[municipality.pk] == {"cards": 1} and result[other_municipality.pk] == {"cards": 0}
    assert list(Offer.all_tenants.values_list("citizen_id", flat=True)) == [elsewhere.pk]
    assert coffee_purge(municipality_id=municipality.pk, retention_days=30) == {"cards": 0}
