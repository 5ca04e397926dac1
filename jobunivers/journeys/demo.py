"""Demo data for journeys: in every demo municipality a published welcome journey for citizens on the track of
the least support, with a two-arm experiment on its first step and a 10 % holdout, run by the engine over the
last week so "Mit forløb", the staff citizen page and the experiment's results page show a running journey."""

import datetime

from jobunivers.core.demo import register

STEPS = [
    {"kind": "message", "title": "Velkommen – sådan kommer du godt i gang",
     "body": "Du er ny som jobsøgende. Vi sender dig nogle få trin de næste uger: gode råd, en tjekliste og job, "
             "der passer til dig.", "wait_days": 0, "condition": "opened", "condition_days": 3,
     "reminder_after_days": 2},
    {"kind": "checklist", "title": "Tjekliste: gør dit CV klar",
     "body": "Skriv dine seneste job ind\nTilføj dine kompetencer\nVælg de job, du søger", "wait_days": 2,
     "weekdays_only": True, "condition": "clicked", "condition_days": 5},
    {"kind": "jobs", "title": "Se de job, der passer til dig", "body": "Vi har fundet job ud fra din profil.",
     "wait_days": 3, "condition": "job_log", "condition_days": 7, "reminder_after_days": 4},
    {"kind": "feedback", "title": "Hvordan går det med din jobsøgning?", "wait_days": 7, "condition": "none"},
]
EXPERIMENT = {
    "key": "velkomst-demo", "name": "Kort eller personlig velkomst", "step_position": 1, "holdout_percent": 10,
    "variants": [{"key": "a", "name": "Kort velkomst", "weight": 50, "title": "Velkommen – kom godt i gang"},
                 {"key": "b", "name": "Personlig velkomst", "weight": 50,
                  "title": "Velkommen – vi hjælper dig det første stykke",
                  "body": "Hej! Det kan være svært at starte som ledig. Vi sender dig et lille skridt ad gangen, så "
                          "du ved, hvad du skal gøre først."}],
}


@register("journeys", order=99)
def load(*, rng, stdout):
    from django.utils import timezone

    from jobunivers.segmentation.models import Track
    from jobunivers.tenancy.models import Membership, Municipality
    from jobunivers.tenancy.roles import Role

    from . import engine, services
    from .models import JourneyVersion, StepRun

    now = timezone.now()
    enrolled = 0
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        admin = (Membership.objects.filter(municipality=municipality, role=Role.MUNICIPALITY_ADMIN)
                 .select_related("user").order_by("id").first())
        track = Track.all_tenants.filter(municipality=municipality, is_active=True).order_by("support_level").first()
        if admin is None or track is None:
            continue
        journey = services.journey_create(actor=admin.user, municipality_id=municipality.pk,
                                          name="Velkommen som jobsøgende",
                                          why="Du er ny som jobsøgende, så vi sender dig nogle få trin de første uger.",
                                          track_key=track.key)
        version = JourneyVersion.all_tenants.get(journey=journey)
        for data in STEPS:
            services.step_save(actor=admin.user, version=version, data=data)
        experiment = dict(EXPERIMENT, key=f"velkomst-demo-{municipality.code}")
        services.experiment_save(actor=admin.user, version=version, **experiment)
        start = now - datetime.timedelta(days=6)
        services.version_publish(actor=admin.user, version=version, now=start)
        enrolled += engine.enrol(municipality_id=municipality.pk, now=start)
        engine.advance(municipality_id=municipality.pk, now=start)
        # Some citizens followed the link of the first step; the engine then ran every day since.
        runs = list(StepRun.all_tenants.filter(municipality=municipality).values_list("pk", flat=True))
        clicked = [pk for pk in runs if rng.random() < 0.4]
        StepRun.all_tenants.filter(pk__in=clicked).update(clicked_at=start + datetime.timedelta(hours=5))
        for day in range(1, 7):
            engine.advance(municipality_id=municipality.pk, now=start + datetime.timedelta(days=day))
    stdout.write(f"  journeys: {enrolled} citizens enrolled")
