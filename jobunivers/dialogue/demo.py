"""Demo data for the dialogue: a few threads per demo municipality between demo citizens and the
job centre, some waiting for an answer from us (team inbox, worklist alert), some answered."""

from jobunivers.core.demo import register

SUBJECTS = [
    ("Spørgsmål om kursus", "Kan jeg tage et truckkørekort, mens jeg er ledig?"),
    ("Ferie i juli", "Jeg vil gerne holde en uges ferie i juli. Hvad skal jeg gøre?"),
    ("Min joblog", "Jeg kan ikke finde ud af at registrere en ansøgning i joblog. Kan I hjælpe?"),
    ("Samtale om praktik", "Jeg vil gerne tale om virksomhedspraktik som lagermedarbejder."),
]
ANSWER = "Tak for din besked. Vi ringer til dig i morgen formiddag."


@register("dialogue", order=92)
def load(*, rng, stdout):
    from jobunivers.citizens.models import Citizen
    from jobunivers.core.context import tenant_context
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.selectors import staff_of

    from . import services

    threads = answered = 0
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        with tenant_context(municipality):
            advisers = [m.user for m in staff_of(municipality_id=municipality.pk, roles={"job_adviser"})]
            if not advisers:
                continue
            citizens = [c for c in Citizen.objects.filter(is_demo=True).select_related("user").order_by("id")[:40]
                        if not c.user.username.endswith("-000")][:12]
            for index, citizen in enumerate(citizens):
                subject, text = SUBJECTS[index % len(SUBJECTS)]
                thread = services.thread_open(actor=citizen.user, citizen=citizen, subject=subject, text=text)
                threads += 1
                if index % 3 == 0:
                    services.thread_assign(actor=advisers[0], thread=thread, assignee=rng.choice(advisers))
                if index % 2 == 1:
                    services.message_send(actor=rng.choice(advisers), thread=thread, text=ANSWER,
                                          wants_answer=index % 4 == 1)
                    answered += 1
    stdout.write(f"  dialogue: {threads} threads, {answered} answered")
