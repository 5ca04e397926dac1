"""Demo data for feedback: answers from demo citizens over the last two months, so the ratings page and the
comment search show something (questions about the demo's own threads come from the dialogue demo)."""

import datetime

from jobunivers.core.demo import register

SERVICES = [
    ("booking", "booking:video", "Videosamtale", (2, 3, 4, 4, 5, 5)),
    ("booking", "booking:physical", "Samtale på jobcentret", (3, 4, 4, 5, 5, 5)),
    ("marketplace", "offer:demo-cv", "Sådan skriver du et godt CV", (1, 2, 3, 4, 4, 5)),
    ("learning", "course:demo-interview", "Jobsamtalen", (3, 4, 5, 5)),
    ("assistant", "card:demo-ferie", "Ferie på dagpenge", None),
]
COMMENTS = {
    "happy": ["Rådgiveren lyttede og gav mig konkrete idéer.", "Godt og hurtigt svar.", "Det var nemt at bruge."],
    "unhappy": ["Lyden var dårlig i videosamtalen.", "Kurset var for svært og for langt.",
                "Jeg fik ikke svar på det, jeg spurgte om."],
}


@register("feedback", order=96)
def load(*, rng, stdout):
    from django.utils import timezone

    from jobunivers.citizens.models import Citizen
    from jobunivers.tenancy.models import Municipality

    from . import services
    from .contracts import Interaction

    answers = 0
    now = timezone.now()
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        # The first-day citizen ("-000") starts with an empty inbox, as the dialogue demo leaves it.
        citizens = [c for c in Citizen.all_tenants.filter(municipality=municipality, is_demo=True)
                    .select_related("user").order_by("id")[:61] if not c.user.username.endswith("-000")][:60]
        for index, citizen in enumerate(citizens):
            for turn in range(2):
                kind, service_key, label, scores = SERVICES[(index + turn) % len(SERVICES)]
                when = now - datetime.timedelta(days=1 + index % 25 + 30 * turn, hours=rng.randint(0, 6))
                request = services.pulse_request(interaction=Interaction(
                    municipality_id=municipality.pk, citizen_id=citizen.pk, kind=kind,
                    interaction_key=f"demo:{citizen.pk}:{turn}", service_key=service_key, service_label=label,
                    occurred_at=when), now=when)
                if request is None or request.status != "sent" or hasattr(request, "answer"):
                    continue
                score = rng.choice(scores) if scores else None
                yes = None if scores else rng.random() < 0.8
                unhappy = (score is not None and score <= 2) or yes is False
                text = rng.choice(COMMENTS["unhappy" if unhappy else "happy"]) if rng.random() < 0.4 else ""
                services.pulse_answer(request=request, score=score, yes=None if yes is None else ("yes" if yes else "no"),
                                      text=text, now=when + datetime.timedelta(hours=2))
                answers += 1
    stdout.write(f"  feedback: {answers} answers")
