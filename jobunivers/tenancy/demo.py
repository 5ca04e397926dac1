from pathlib import Path

from django.conf import settings

from jobunivers.core.demo import register

from .models import Municipality
from .services import municipalities_import, municipality_activate

# Two large municipalities and a small one.
DEMO_MUNICIPALITIES = {
    "0101": ("#004993", "Velkommen til Jobcenter København. Her finder du job, din plan og hjælp døgnet rundt.",
             "Welcome to Jobcenter Copenhagen. Find jobs, your plan and help around the clock."),
    "0751": ("#00515e", "Velkommen til Jobcenter Aarhus. Vi hjælper dig godt videre mod nyt job.",
             "Welcome to Jobcenter Aarhus. We help you on your way to a new job."),
    "0825": ("#2b5525", "Velkommen til Jobcenter Læsø. Kontakt os, hvis du har brug for en samtale.",
             "Welcome to Jobcenter Læsø. Contact us if you need a conversation."),
}


@register("municipalities", order=10)
def load(*, rng, stdout):
    path = Path(settings.REFERENCE_DATA_DIR) / "geo" / "municipalities.csv"
    report = municipalities_import(text=path.read_text(encoding="utf-8"), file_format="csv")
    stdout.write(f"  municipalities: {report.created} created, {report.updated} updated")
    for code, (colour, welcome_da, welcome_en) in DEMO_MUNICIPALITIES.items():
        municipality = Municipality.objects.get(code=code)
        municipality_activate(municipality=municipality, is_demo=True)
        theme = municipality.theme
        theme.primary_colour = colour
        theme.welcome_text_da = welcome_da
        theme.welcome_text_en = welcome_en
        theme.save()
