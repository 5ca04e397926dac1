"""Demo data for the staff workspace (order 90): full caseloads, notes and reminders, summonses.

Caseloads are topped up through segmentation's assignment service; summonses go through the
staff workspace's own service, so each one also lands in the citizen's plan and inbox.
"""

import datetime

from django.utils import timezone

from jobunivers.citizens.models import Citizen
from jobunivers.core.context import tenant_context
from jobunivers.core.demo import register
from jobunivers.segmentation.selectors import caseload_sizes
from jobunivers.segmentation.services import consultant_assign
from jobunivers.tenancy.models import Municipality
from jobunivers.tenancy.selectors import consultants_of

from . import services
from .models import CaseNote, NoteColour

CASELOAD = 25
NOTES = [
    ("Ring om praktikpladsen hos Lagerhuset", NoteColour.YELLOW),
    ("Har bedt om hjælp til CV — book værksted", NoteColour.BLUE),
    ("Afventer lægeattest", NoteColour.RED),
    ("God energi; søger bredt inden for lager og logistik", NoteColour.GREEN),
]


@register("staff_workspace", order=90)
def load(*, rng, stdout):
    notes = summonses = assigned = 0
    now = timezone.now()
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        with tenant_context(municipality):
            consultants = [m.user for m in consultants_of(municipality_id=municipality.pk)]
            if not consultants:
                continue
            lead = next((m.user for m in consultants_of(municipality_id=municipality.pk) if m.is_team_lead),
                        consultants[0])
            sizes = caseload_sizes(municipality_id=municipality.pk)
            from jobunivers.segmentation.models import ConsultantAssignment

            taken = set(ConsultantAssignment.objects.filter(ended_at__isnull=True).values_list("citizen_id", flat=True))
            free = [c for c in Citizen.objects.filter(is_demo=True).order_by("id") if c.pk not in taken]
            for consultant in consultants:
                while sizes.get(consultant.pk, 0) < CASELOAD and free:
                    citizen = free.pop(rng.randrange(len(free)))
                    consultant_assign(actor=lead, citizen_id=citizen.pk, consultant_user_id=consultant.pk,
                                      reason="Demo: fast kontaktperson")
                    sizes[consultant.pk] = sizes.get(consultant.pk, 0) + 1
                    assigned += 1
            for consultant in consultants:
                caseload = list(ConsultantAssignment.objects.filter(consultant=consultant, ended_at__isnull=True)
                                .select_related("citizen__municipality").order_by("id")[:CASELOAD])
                for index, row in enumerate(caseload):
                    if index % 3 == 0:
                        text, colour = NOTES[index % len(NOTES)]
                        CaseNote.objects.create(
                            municipality=municipality, citizen=row.citizen, author=consultant, text=text, colour=colour,
                            due_on=timezone.localdate() + datetime.timedelta(days=rng.randint(-3, 10)),
                        )
                        notes += 1
                    if index % 5 == 0:
                        starts_at = (now + datetime.timedelta(days=rng.randint(0, 10))).replace(
                            hour=rng.choice([9, 10, 13, 14]), minute=rng.choice([0, 30]), second=0, microsecond=0)
                        if starts_at <= now:
                            starts_at += datetime.timedelta(days=1)
                        services.conversation_summon(
                            actor=consultant, citizen=row.citizen, starts_at=starts_at, mode="in_person",
                            place=f"Jobcenter {municipality.name}", agenda="Opfølgning på din jobsøgning og din plan",
                        )
                        summonses += 1
    stdout.write(f"  staff workspace: {assigned} citizens assigned, {notes} notes, {summonses} summonses")
