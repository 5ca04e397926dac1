"""Realistic synthetic job postings for the demo and the benchmarks, marked `is_synthetic`.

Titles come from the project's Danish job titles (mapped to ESCO), texts from
Danish templates written for the project, places from real postcodes, chosen by
municipality size (approximate populations, in thousands, Statistics Denmark
2024, rounded; municipalities not listed count as 40,000).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from jobunivers.taxonomy import selectors as taxonomy

from .services import ImportReport, postings_import
from .sources.base import FeedRecord

SOURCE = "synthetic"
POPULATION_THOUSANDS = {
    "0101": 660, "0751": 370, "0851": 222, "0461": 208, "0630": 122, "0561": 116, "0147": 104, "0730": 99,
    "0791": 98, "0740": 97, "0621": 95, "0615": 97, "0657": 90, "0265": 90, "0370": 84, "0157": 75, "0330": 80,
    "0159": 70, "0316": 73, "0540": 74, "0860": 64, "0217": 64, "0376": 60, "0813": 59, "0746": 64, "0661": 59,
    "0259": 62, "0479": 59, "0173": 57, "0151": 52, "0167": 54, "0580": 58, "0510": 56, "0219": 52, "0607": 52,
    "0326": 48, "0400": 39, "0492": 6, "0825": 2, "0741": 4, "0563": 3, "0411": 0,
}
EMPLOYER_WORDS = ["Nordisk", "Dansk", "Jysk", "Fynsk", "Sjællands", "Vestkyst", "Østjysk", "Midtby", "Fjord", "Hav",
                  "Skov", "Bakke", "Å", "Sol", "Lyngby", "Kyst", "Ny", "Grøn", "Egholm", "Lindholm"]
EMPLOYER_KINDS = {
    "7": ["Byg", "Tømrer & Snedker", "El-service", "VVS", "Entreprise", "Maskinfabrik"],
    "8": ["Transport", "Logistik", "Produktion", "Industri"],
    "9": ["Service", "Rengøring", "Facility", "Lager"],
    "5": ["Pleje", "Butik", "Café", "Restaurant", "Service"],
    "4": ["Kontorservice", "Administration", "Regnskab"],
    "3": ["Teknik", "Consult", "Laboratorium"],
    "2": ["Rådgivning", "IT", "Sundhed", "Skole"],
    "1": ["Holding", "Gruppen"],
    "6": ["Gartneri", "Landbrug", "Fiskeri"],
    "0": ["Forsvar"],
}
EMPLOYER_SUFFIXES = ["ApS", "A/S", "I/S", "", "& Co."]
INTROS = [
    "Vi søger en {title_lower} til vores team i {city}.",
    "Har du lyst til at arbejde som {title_lower} i {city}? Så er det måske dig, vi leder efter.",
    "{employer} søger en engageret {title_lower} med start hurtigst muligt.",
    "Vil du være en del af en travl hverdag som {title_lower} hos {employer}?",
]
TASKS = [
    "Du får en alsidig hverdag med mange forskellige opgaver og gode kolleger.",
    "Opgaverne spænder bredt, og du får ansvar for dit eget arbejde fra første dag.",
    "Du indgår i et fællesskab, hvor vi hjælper hinanden og deler viden.",
    "Vi lægger vægt på kvalitet, sikkerhed og et godt arbejdsmiljø.",
]
PROFILE = [
    "Vi forventer, at du har erfaring fra et lignende job, men nyuddannede er også velkomne til at søge.",
    "Du er mødestabil, ansvarsbevidst og god til at samarbejde.",
    "Det er en fordel, hvis du har kørekort til almindelig bil.",
    "Du taler og skriver dansk eller engelsk.",
    "Du har en relevant uddannelse eller tilsvarende erfaring.",
]
OFFER = [
    "Vi tilbyder løn efter overenskomst, pension og en god frokostordning.",
    "Du får mulighed for efteruddannelse og faglig udvikling.",
    "Vi tilbyder fleksible arbejdstider og et uformelt miljø.",
]
# Titles as Danish ads write them: the occupation's name, sometimes with a word before it or the hours,
# the shift, the kind of contract or the town after it ("Tømrer til renovering, 30 timer"), never glued
# onto it ("Deltidstømrer"). {hours}: weekly hours of a part-time post (the record says the same).
VARIANTS = ["{title}", "{title}", "{title}", "Erfaren {title_lower}", "{title} søges", "{title} til fast stilling",
            "{title} – barselsvikariat", "{title}, {hours} timer", "{title}, deltid", "{title}, nattevagt",
            "{title} til {city}", "{title} søges til {city}, {hours} timer om ugen"]
PART_TIME_HOURS = [15, 20, 25, 28, 30, 32]
SALARIES = ["Efter overenskomst", "Efter aftale", "Løn efter kvalifikationer", "32.000-38.000 kr. om måneden",
            "Timeløn 175-210 kr.", ""]


def _weighted_postcodes() -> tuple[list, list[float]]:
    postcodes = taxonomy.all_postcodes()
    per_municipality: dict[str, int] = {}
    for postcode in postcodes:
        per_municipality[postcode.municipality_code] = per_municipality.get(postcode.municipality_code, 0) + 1
    weights = [POPULATION_THOUSANDS.get(p.municipality_code, 40) / per_municipality[p.municipality_code] for p in postcodes]
    return postcodes, weights


def generate_records(*, count: int, seed: int = 42, prefix: str = "syn") -> Iterator[FeedRecord]:
    rng = random.Random(seed)
    titles = [t for t in taxonomy.danish_job_titles() if t.occupation_id]
    if not titles:
        raise RuntimeError("Import ESCO first: the generator needs the Danish job titles mapped to occupations.")
    postcodes, weights = _weighted_postcodes()
    if not postcodes:
        raise RuntimeError("Import postcodes first.")
    now = timezone.now()
    chosen_titles = rng.choices(titles, k=count)
    chosen_places = rng.choices(postcodes, weights=weights, k=count)
    for number, (job_title, place) in enumerate(zip(chosen_titles, chosen_places, strict=True), start=1):
        isco_major = job_title.isco_code[:1]
        employer = " ".join(p for p in [rng.choice(EMPLOYER_WORDS), rng.choice(EMPLOYER_KINDS.get(isco_major, ["Service"])),
                                        rng.choice(EMPLOYER_SUFFIXES)] if p)
        variant, hours = rng.choice(VARIANTS), rng.choice(PART_TIME_HOURS)
        title = variant.format(title=job_title.title, title_lower=job_title.title.lower(), hours=hours, city=place.name)
        says_hours = "{hours}" in variant
        part_time = says_hours or "deltid" in variant or rng.random() < 0.2
        values = {"title_lower": job_title.title.lower(), "city": place.name, "employer": employer}
        description = "\n\n".join([
            rng.choice(INTROS).format(**values),
            " ".join(rng.sample(TASKS, 2)),
            " ".join(rng.sample(PROFILE, 2)),
            rng.choice(OFFER),
        ])
        published = now - timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 1440))
        employment = rng.choices(["permanent", "temporary", "substitute", "seasonal", "hourly"], weights=[70, 12, 8, 5, 5])[0]
        if "barselsvikariat" in title:
            employment = "substitute"
        # Spread the workplace around the postcode's centre, as real addresses are.
        latitude = place.latitude + rng.uniform(-0.02, 0.02)
        longitude = place.longitude + rng.uniform(-0.03, 0.03)
        yield FeedRecord(
            position=f"synthetic {number}", external_id=f"{prefix}-{seed}-{number}", title=title[:255],
            employer_name=employer, description=description, occupation_uri=job_title.occupation_uri,
            isco_code=job_title.isco_code, postcode=place.code, city=place.name,
            municipality_code=place.municipality_code, country="DK", latitude=latitude, longitude=longitude,
            hours="part_time" if part_time else "full_time", hours_per_week=Decimal(hours) if says_hours else None,
            employment_type=employment, salary_text=rng.choice(SALARIES), positions=rng.choice([1, 1, 1, 1, 2, 3]),
            application_deadline=(published + timedelta(days=rng.randint(14, 60))).date(),
            apply_url=f"https://job.example/{prefix}-{seed}-{number}", apply_email="",
            apply_contact=rng.choice(["Mette Hansen", "Jens Nielsen", "Sara Pedersen", "Ali Hassan", "Lone Jensen"]),
            published_at=published, changed_at=published, is_synthetic=True,
        )


def generate_postings(*, count: int, seed: int = 42, embed: bool = False, prefix: str = "syn") -> ImportReport:
    """Create (or refresh: same seed, same ids) `count` synthetic postings through the normal import path."""
    return postings_import(source=SOURCE, items=generate_records(count=count, seed=seed, prefix=prefix), embed=embed)
