"""Demo data for coffee meetings under `make run`: the demo employer (Bente Byggesen) has an open invitation
for carpenters, and the demo citizens who seek a craft trade have chosen to be seen for craft jobs (name,
occupations, skills and experience), so they get the card. Idempotent (core.demo registry)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.core.demo import register


@register("coffee", order=97)
def load(*, rng, stdout):
    from jobunivers.citizens.models import Citizen, Profile
    from jobunivers.jobs.models import EmployerAccount
    from jobunivers.taxonomy.models import Occupation

    from .models import Invitation
    from .services import invitation_offer, invitation_publish, visibility_set

    account = EmployerAccount.objects.select_related("membership__user").filter(
        membership__user__username="demo-arbejdsgiver").first()
    occupation = (Occupation.objects.filter(isco_code="7115").order_by("pk").first()
                  or Occupation.objects.filter(isco_code__startswith="7").order_by("pk").first())
    if account is None or occupation is None:
        stdout.write("  coffee: no demo employer or craft occupation; skipped")
        return
    opened = 0
    for profile in Profile.all_tenants.filter(citizen__is_demo=True, occupations__isco_code__startswith="7").distinct():
        citizen = Citizen.all_tenants.select_related("user").get(pk=profile.citizen_id)
        visibility_set(actor=citizen.user, citizen=citizen, is_open=True, job_kinds=["7"],
                       fields=["name", "occupations", "skills", "experience"])
        opened += 1
    if not Invitation.objects.filter(employer_id=account.employer_id).exists():
        today = timezone.localdate()
        start = today + datetime.timedelta(days=1)
        invitation = invitation_publish(actor=account.membership.user, membership=account.membership, data={
            "title": "Tømrer til renovering af etageboliger", "occupation": str(occupation.pk),
            "needs": "Vi søger to tømrere med erfaring fra renovering. Kom og få en kop kaffe og hør om firmaet – "
                     "ingen ansøgning nødvendig.",
            "place": "Byggesen Tømrer & Snedker ApS, Værkstedsvej 4", "postcode": "", "video_link": "",
            "first_day": start, "last_day": start + datetime.timedelta(days=13),
            "day_starts": datetime.time(9, 0), "day_ends": datetime.time(14, 0), "meeting_minutes": 30,
            "meetings": 6})
        invitation_offer(invitation_id=invitation.pk)
    stdout.write(f"  coffee: {opened} demo citizens visible for craft jobs, "
                 f"{Invitation.objects.count()} invitations")
