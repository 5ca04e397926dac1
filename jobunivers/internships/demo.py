"""Demo data for internships under `make run`: the demo employer (Bente Byggesen) offers an internship place for
a carpenter's helper starting in two weeks, offered to the demo citizens who fit it. Idempotent (core.demo)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.core.demo import register


@register("internships", order=98)
def load(*, rng, stdout):
    from jobunivers.jobs.models import EmployerAccount
    from jobunivers.taxonomy.models import Occupation, Postcode

    from .models import Place
    from .services import place_offer, place_publish

    account = EmployerAccount.objects.select_related("membership__user").filter(
        membership__user__username="demo-arbejdsgiver").first()
    occupation = (Occupation.objects.filter(isco_code="7115").order_by("pk").first()
                  or Occupation.objects.filter(isco_code__startswith="7").order_by("pk").first())
    postcode = Postcode.objects.filter(code="8000").first() or Postcode.objects.order_by("code").first()
    if account is None or occupation is None or postcode is None:
        stdout.write("  internships: no demo employer, craft occupation or postcode; skipped")
        return
    if not Place.objects.filter(employer_id=account.employer_id).exists():
        start = timezone.localdate() + datetime.timedelta(days=14)
        place = place_publish(actor=account.membership.user, membership=account.membership, data={
            "title": "Tømrerhjælper i virksomhedspraktik", "occupation": str(occupation.pk),
            "starts_on": start, "ends_on": start + datetime.timedelta(weeks=4) - datetime.timedelta(days=1),
            "hours_per_week": 25, "address": "Byggesen Tømrer & Snedker ApS, Værkstedsvej 4",
            "postcode": postcode.code, "places": 2,
            "description": "Du hjælper vores tømrere med renovering af etageboliger: opmåling, nedrivning, "
                           "montering af gulve og døre. Du får en fast makker og lærer at bruge værktøjet sikkert."})
        place_offer(place_id=place.pk)
    stdout.write(f"  internships: {Place.objects.count()} places")
