"""The provider pages: a vendor writes and submits an offer, the operator approves it into the library;
another vendor and other roles get 404; bad input is answered in Danish and nothing is written."""

import pytest

from jobunivers.core.testing import client_for, nurl
from jobunivers.marketplace.models import Offer, OfferVersion
from jobunivers.tenancy.roles import Role

from . import factories

pytestmark = pytest.mark.django_db

DRAFT = {"kind": "course", "title_da": "Lagerkursus", "summary_da": "Tre uger på lageret.", "format": "online",
         "launch_method": "signed", "launch_url": "https://kursus.example.dk/", "consent_fields": ["name"],
         "languages": "da", "target_isco": "93", "price_dkk": "4800"}


def test_a_vendor_submits_and_the_operator_approves_into_the_library(vendor, vendor_actor, operator):
    client = client_for(vendor_actor)
    response = client.post(nurl("marketplace:provider_offer_new"), DRAFT)
    offer = Offer.objects.get()
    assert response["Location"] == nurl("marketplace:provider_offer", offer_id=offer.pk)
    client.post(nurl("marketplace:provider_offer", offer_id=offer.pk), {"action": "submit"})
    reviewer = client_for(operator)
    queue = reviewer.get(nurl("marketplace:provider_offers")).content.decode()
    assert "Venter på godkendelse" in queue and "Lagerkursus" in queue
    rejected = reviewer.post(nurl("marketplace:provider_offer", offer_id=offer.pk),
                             {"action": "review", "decision": "reject", "note": ""}).content.decode()
    assert "Skriv, hvorfor versionen afvises." in rejected
    reviewer.post(nurl("marketplace:provider_offer", offer_id=offer.pk), {"action": "review", "decision": "approve"})
    offer.refresh_from_db()
    assert (offer.status, offer.vendor_id, offer.published_version.title_da) == ("published", vendor.pk, "Lagerkursus")


def test_bad_offer_input_is_answered_in_danish_and_nothing_is_written(vendor_actor):
    page = client_for(vendor_actor).post(nurl("marketplace:provider_offer_new"),
                                         {**DRAFT, "launch_url": "ftp://x", "price_dkk": "gratis"}).content.decode()
    assert "Angiv en adresse, der begynder med https://." in page
    assert "Angiv en pris i kroner fra 0 til 1.000.000 med højst to decimaler." in page
    assert (Offer.objects.count(), OfferVersion.objects.count()) == (0, 0)


def test_another_vendor_and_other_roles_get_404(member, vendor, municipality, world):
    offer = factories.offer(provider_kind="vendor", vendor_=vendor)
    stranger = factories.vendor_user(member, factories.vendor("Andet firma"))
    url = nurl("marketplace:provider_offer", offer_id=offer.pk)
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(stranger).post(url, {"action": "submit"}).status_code == 404
    answers = {role: client_for(world.users[role]).get(url).status_code
               for role in (Role.CITIZEN, Role.JOB_ADVISER, Role.MUNICIPALITY_ADMIN, Role.EMPLOYER)}
    assert answers == {Role.CITIZEN: 403, Role.JOB_ADVISER: 403, Role.MUNICIPALITY_ADMIN: 403, Role.EMPLOYER: 404}
    assert "Andet firma" not in client_for(factories.vendor_user(member, vendor)).get(
        nurl("marketplace:provider_offers")).content.decode()


def test_the_vendor_start_page_leads_to_the_vendors_pages(vendor_actor):
    from django.urls import reverse
    from django.utils import translation

    # when the vendor opens the start page in Danish
    with translation.override("da"):
        response = client_for(vendor_actor).get(reverse("accounts:vendor_home"), HTTP_ACCEPT_LANGUAGE="da")
    # then it links to the offers, agreements, statements and use, in Danish
    html = response.content.decode()
    assert response.status_code == 200
    for name, text in (("marketplace:provider_offers", "Dine tilbud"), ("agreements:vendor_agreements", "Aftaler"),
                       ("agreements:vendor_statements", "Opgørelser"), ("agreements:vendor_usage", "Forbrug")):
        assert f'<a href="{reverse(name)}">{text}</a>' in html
