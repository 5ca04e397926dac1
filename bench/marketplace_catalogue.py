"""The catalogue data set of bench_marketplace (issue 17): 2,000 offers and 117,000 citizens.

Offers (national records): 300 from the national library (guides on CV, applications, interviews, rights
and duties, in variants for target groups), 1,500 from 40 vendors (courses, digital tools, job clubs,
networks, events; aimed at occupation groups, tracks and situations) and 200 municipalities' own (50 per
municipality). Each of four municipalities shows the whole national library, its own 50 and 1,000 of the
vendors' offers: about 1,350 offers each, 85 % for everyone, the rest for chosen tracks or occupation
groups, about 5 % promoted (some promotions over, some not yet begun).

Citizens: 117,000 across the four municipalities, registered as unemployed 0-24 months ago, born
1960-2005, 70 % with a profile seeking 1-2 of 30 occupations (real ISCO-08 codes), 60 % with a decided
track, 30 % with an open plan item, 10 % enrolled in an offer.
Everything is created once in bulk (a few minutes at most) and reused.
"""

from __future__ import annotations

import datetime
import random

MUNICIPALITIES = [("9171", "Østerå Kommune", "bench-market-oest"), ("9172", "Vesterå Kommune", "bench-market-vest"),
                  ("9173", "Nordby Kommune", "bench-market-nord"), ("9174", "Sønderå Kommune", "bench-market-syd")]
CITIZENS = 117_000
NATIONAL, VENDOR_OFFERS, LOCAL_EACH, VENDORS, VENDOR_SHOWN = 300, 1_500, 50, 40, 1_000

OCCUPATIONS = [  # Danish title, ISCO-08 unit group
    ("Lagermedarbejder", "4321"), ("Truckfører", "8344"), ("Lastbilchauffør", "8332"), ("Buschauffør", "8331"),
    ("Rengøringsassistent", "9112"), ("Køkkenmedhjælper", "9412"), ("Kok", "5120"), ("Tjener", "5131"),
    ("Butiksassistent", "5223"), ("Kassemedarbejder", "5230"), ("Kundeservicemedarbejder", "4222"),
    ("Social- og sundhedshjælper", "5322"), ("Pædagogmedhjælper", "5312"), ("Sygeplejerske", "2221"),
    ("Bogholder", "4311"), ("Kontorassistent", "4110"), ("Receptionist", "4226"), ("IT-supporter", "3512"),
    ("Softwareudvikler", "2512"), ("Elektriker", "7411"), ("Tømrer", "7115"), ("Murer", "7112"),
    ("Maler", "7131"), ("Smed", "7212"), ("Mekaniker", "7231"), ("Gartner", "6113"), ("Kranfører", "8343"),
    ("Produktionsmedarbejder", "8189"), ("Slagteriarbejder", "7511"), ("Projektleder", "2421"),
]
NATIONAL_TOPICS = [
    ("Sådan skriver du et godt CV", "Et CV, der viser, hvad du kan, på én side."),
    ("Skriv en målrettet ansøgning", "Fra jobopslag til ansøgning, der bliver læst."),
    ("Forbered dig til jobsamtalen", "De spørgsmål, der kommer, og hvordan du svarer."),
    ("Dine rettigheder og pligter som ledig", "Rådighed, jobsøgning og samtaler med jobcentret."),
    ("Uopfordret ansøgning trin for trin", "Find virksomhederne, før jobbet bliver slået op."),
    ("Brug dit netværk i jobsøgningen", "Venner, tidligere kolleger og LinkedIn som vej til job."),
    ("LinkedIn-profil, der bliver set", "Overskrift, billede og erfaring, så rekrutterere finder dig."),
    ("Huller i CV'et: sådan forklarer du dem", "Ærligt og kort om perioder uden job."),
    ("Jobsøgning på nettet", "Jobportaler, søgeagenter og Jobnet."),
    ("Sådan bruger du din joblog", "Hvad du skriver, og hvorfor jobcentret læser den."),
    ("Løn og ansættelsesvilkår", "Overenskomst, prøvetid og kontrakten, før du skriver under."),
    ("Fleksjob og job med løntilskud", "Hvem kan få det, og hvordan du søger."),
    ("Efteruddannelse, mens du er ledig", "Seks ugers jobrettet uddannelse og andre muligheder."),
    ("Video-CV og videosamtaler", "Sådan ser og lyder du godt på skærmen."),
    ("Sådan klarer du de første dage i nyt job", "Kolleger, regler og forventninger."),
]
NATIONAL_VARIANTS = ["", " for ufaglærte", " for faglærte", " for akademikere", " for dig over 50",
                     " for unge under 30", " på let dansk", " – video", " – tjekliste", " – kort guide",
                     " for nyuddannede", " for dig med anden baggrund end dansk", " i sundhedssektoren",
                     " i bygge og anlæg", " i handel og service", " i transport og logistik", " i industrien",
                     " i kontor og administration", " i IT", " efter sygdom"]
VENDOR_TOPICS = [  # title, ISCO prefixes aimed at, kind, format
    ("Truckcertifikat", ["8344", "4321", "93"], "course", "physical"),
    ("Lagerlogistik og scannere", ["4321", "93"], "course", "blended"),
    ("Kørekort til lastbil (C/CE)", ["833"], "course", "physical"),
    ("Erhvervskørsel og køre-hviletid", ["833"], "course", "blended"),
    ("Hygiejnebevis for fødevarebranchen", ["5120", "9412", "7511"], "course", "online"),
    ("Førstehjælp på arbejdspladsen", [], "course", "physical"),
    ("Excel for begyndere", ["41", "43"], "course", "online"),
    ("Bogføring i praksis", ["4311", "33"], "course", "online"),
    ("Rengøringsteknik og arbejdsmiljø", ["9112"], "course", "physical"),
    ("Kundeservice, der gør en forskel", ["5223", "5230", "4222"], "course", "blended"),
    ("Introduktion til social- og sundhedsområdet", ["5322", "5312"], "course", "blended"),
    ("Dansk på arbejdspladsen", [], "course", "blended"),
    ("IT-support og helpdesk", ["3512"], "course", "online"),
    ("Programmering i Python", ["2512", "3512"], "course", "online"),
    ("Projektledelse med Scrum", ["2421", "2512"], "course", "online"),
    ("Stresshåndtering og mental styrke", [], "course", "blended"),
    ("Sundhed og bevægelse for jobsøgende", [], "course", "physical"),
    ("Jobklub for faglærte", ["7"], "job_club", "physical"),
    ("Netværk for akademikere", ["2"], "network", "blended"),
    ("Kranførercertifikat", ["8343", "7"], "course", "physical"),
    ("Svejsning (MIG/MAG)", ["7212"], "course", "physical"),
    ("Sikkerhed på byggepladsen", ["711", "7411", "71"], "course", "physical"),
    ("Jobrettet engelsk", [], "course", "online"),
    ("Jobsøgningsapp med daglige opgaver", [], "digital_tool", "online"),
    ("CV-værktøj med skabeloner", [], "digital_tool", "online"),
    ("Træn jobsamtalen med video", [], "digital_tool", "online"),
    ("Jobmesse for transport og logistik", ["83", "4321"], "event", "physical"),
    ("Jobbørs for hotel og restaurant", ["5120", "5131", "9412"], "job_board", "online"),
    ("Mentorforløb med erhvervsfolk", [], "network", "blended"),
    ("Iværksætteri: fra idé til CVR-nummer", [], "course", "blended"),
]
VENDOR_SUFFIXES = ["", " – intensivt", " – aftenhold", " – online", " for unge", " for seniorer",
                   " – hold i Aarhus", " – hold i Odense", " – hold i Aalborg", " – hold i Esbjerg",
                   " – på engelsk", " – trin 2", " – med praktik", " – kort forløb", " – weekendhold",
                   " – for kvinder", " – med sprogstøtte", " – for ledige over 6 måneder", " – opfølgning",
                   " – hold i Vejle", " – hold i Kolding", " – hold i Herning", " – hold i Randers",
                   " – hold i Holstebro", " – hold i Silkeborg"]
LOCAL_TOPICS = ["Jobcafé på biblioteket", "Virksomhedsbesøg", "Jobmesse i rådhushallen", "Mentorordning",
                "Jobklub tirsdag formiddag", "Gå-tur-netværk for jobsøgende", "Sprogcafé", "Åbent CV-værksted",
                "Informationsmøde om fleksjob", "Praktikpladsbanken"]
VENDOR_NAMES = ["Kompetencehuset", "Jobvejen", "LæringsLab", "Karrierefabrikken", "Uddannelsescentret Nord",
                "Logistikskolen", "Sund Start", "Kodeskolen", "Vækstakademiet", "Erhvervsmentorerne"]
SITUATIONS = ["newly_unemployed", "over_3_months", "over_6_months", "over_12_months", "under_30", "over_50"]
PLAN_TITLES = ["Søg 2 job om ugen", "Tag truckcertifikat", "Opdater mit CV", "Kontakt 3 virksomheder",
               "Forbered jobsamtale", "Find et kursus i Excel", "Lær om bogføring", "Deltag i jobklub",
               "Søg praktik i en butik", "Skriv en uopfordret ansøgning"]


def _version(offer, number: int, title: str, summary: str, rng: random.Random, *, isco=(), tracks=(),
             situations=(), fmt="online"):
    from jobunivers.marketplace.models import OfferVersion

    return OfferVersion(offer=offer, number=number, status="published", title_da=title, summary_da=summary,
                        body_da=f"{summary} Forløbet er tilrettelagt, så du kan passe din jobsøgning ved siden af.",
                        target_isco=list(isco), target_tracks=list(tracks), target_situations=list(situations),
                        format=fmt, duration=rng.choice(["", "1 dag", "3 uger", "6 uger", "2 timer", "10 moduler"]),
                        languages=["da"], launch_method=rng.choice(["link", "signed", "in_platform"]),
                        launch_url="https://kursus.example.dk/start")


def _offers(rng: random.Random, municipalities, today: datetime.date):
    """2,000 published offers with their versions; returns (national ids, vendor ids, {municipality: own ids})."""
    from django.utils import timezone

    from jobunivers.marketplace.models import Offer, OfferVersion, Vendor
    from jobunivers.marketplace.validation import nth_valid_cvr

    now = timezone.now()
    vendors = Vendor.objects.bulk_create([
        Vendor(name=f"{VENDOR_NAMES[n % len(VENDOR_NAMES)]} {'ApS' if n % 2 else 'A/S'} {n // len(VENDOR_NAMES) + 1}",
               cvr=nth_valid_cvr(1000 + n), launch_salt=f"{n:064x}") for n in range(VENDORS)])
    vendors = list(Vendor.objects.filter(cvr__in=[v.cvr for v in vendors]).order_by("id"))
    specs = []  # (Offer, version kwargs)
    for title, summary in NATIONAL_TOPICS:
        for variant in NATIONAL_VARIANTS:
            kind = "video" if "video" in variant.lower() else "article"
            situations = (["over_50"] if "over 50" in variant else ["under_30"] if "under 30" in variant
                          else rng.sample(SITUATIONS[:4], 1) if rng.random() < 0.3 else [])
            specs.append((Offer(kind=kind, provider_kind="national"), title + variant, summary,
                          {"situations": situations}))
    for n in range(VENDOR_OFFERS):
        title, isco, kind, fmt = VENDOR_TOPICS[n % len(VENDOR_TOPICS)]
        suffix = VENDOR_SUFFIXES[(n // len(VENDOR_TOPICS)) % len(VENDOR_SUFFIXES)]
        vendor = vendors[n % VENDORS]
        tracks = rng.sample(["selvbetjening-med-jobraadgiver", "personlig-jobkonsulent"], 1) if rng.random() < 0.2 else []
        situations = rng.sample(SITUATIONS, rng.choice([0, 0, 1, 2]))
        specs.append((Offer(kind=kind, provider_kind="vendor", vendor=vendor),
                      f"{title}{suffix}" + (f" ({vendor.name.split()[0]})" if n >= 750 else ""),
                      f"{title} hos {vendor.name}. Målrettet job, med bevis til sidst.",
                      {"isco": isco, "tracks": tracks, "situations": situations, "fmt": fmt}))
    for municipality in municipalities:
        for n in range(LOCAL_EACH):
            topic = LOCAL_TOPICS[n % len(LOCAL_TOPICS)]
            specs.append((Offer(kind=rng.choice(["event", "job_club", "network"]), provider_kind="municipality",
                                owner_municipality=municipality),
                          f"{topic} ({n // len(LOCAL_TOPICS) + 1}. halvår)" if n >= len(LOCAL_TOPICS) else topic,
                          f"{topic} i {municipality.name}. Gratis og uden tilmelding.", {"fmt": "physical"}))
    offers = Offer.objects.bulk_create([spec[0] for spec in specs], batch_size=1000)
    versions = OfferVersion.objects.bulk_create([
        _version(offer, 1, title, summary, rng, **extra) for offer, (_o, title, summary, extra) in zip(offers, specs, strict=True)],
        batch_size=1000)
    for offer, version in zip(offers, versions, strict=True):
        offer.status, offer.published_version, offer.published_at = "published", version, now
    Offer.objects.bulk_update(offers, ["status", "published_version", "published_at"], batch_size=1000)
    national = [o.pk for o in offers if o.provider_kind == "national"]
    vendor_ids = [o.pk for o in offers if o.provider_kind == "vendor"]
    own = {m.pk: [o.pk for o in offers if o.owner_municipality_id == m.pk] for m in municipalities}
    return national, vendor_ids, own


def _curate(rng: random.Random, municipalities, national, vendor_ids, own, today):
    from django.utils import timezone

    from jobunivers.marketplace.models import MunicipalOffer

    now, rows = timezone.now(), []
    for municipality in municipalities:
        for offer_id in national + own[municipality.pk] + rng.sample(vendor_ids, VENDOR_SHOWN):
            audience, tracks, isco = "everyone", [], []
            roll = rng.random()
            if roll < 0.08:
                audience, tracks = "tracks", rng.sample(["selvbetjening", "selvbetjening-med-jobraadgiver",
                                                         "personlig-jobkonsulent"], rng.choice([1, 2]))
            elif roll < 0.15:
                audience, isco = "occupations", [rng.choice(OCCUPATIONS)[1][:rng.choice([1, 2, 4])]]
            priority, start, end = 0, None, None
            if rng.random() < 0.05:
                priority = rng.choice([10, 25, 50, 80, 100])
                start = today + datetime.timedelta(days=rng.randint(-60, 10))
                end = start + datetime.timedelta(days=rng.choice([14, 30, 90]))
            rows.append(MunicipalOffer(municipality=municipality, offer_id=offer_id, audience=audience,
                                       audience_tracks=tracks, audience_isco=isco, promotion_priority=priority,
                                       promoted_from=start, promoted_until=end, enabled_at=now,
                                       local_title="" if rng.random() < 0.95 else "Anbefalet af jobcentret: "
                                       + f"tilbud {offer_id}"))
    MunicipalOffer.all_tenants.bulk_create(rows, batch_size=2000)


def _citizens(rng: random.Random, municipalities, occupations, tracks_by_municipality, admin, today):
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen, PlanItem, Profile
    from jobunivers.marketplace.models import Enrolment, MunicipalOffer
    from jobunivers.segmentation.models import Decision, Suggestion
    from jobunivers.tenancy.models import Membership

    now = timezone.now()
    shown = {m.pk: list(MunicipalOffer.all_tenants.filter(municipality=m, audience="everyone")
                        .values_list("id", "offer_id")) for m in municipalities}
    batch = 6_000
    for start in range(0, CITIZENS, batch):
        numbers = range(start, min(start + batch, CITIZENS))
        with transaction.atomic():
            User.objects.bulk_create([User(username=f"bench-market-{n}", first_name="Borger", last_name=str(n),
                                           password="!") for n in numbers], batch_size=2000)
            users = list(User.objects.filter(username__in=[f"bench-market-{n}" for n in numbers]).order_by("id"))
            home = {u.pk: municipalities[rng.randrange(len(municipalities))] for u in users}
            Citizen.all_tenants.bulk_create([Citizen(
                municipality=home[u.pk], user=u, birth_year=rng.randint(1960, 2005),
                registered_on=today - datetime.timedelta(days=rng.randint(0, 730))) for u in users], batch_size=2000)
            Membership.objects.bulk_create([Membership(user=u, municipality=home[u.pk], role="citizen")
                                            for u in users], batch_size=2000)
            citizens = list(Citizen.all_tenants.filter(user__in=users).values_list("id", "municipality_id"))
            with_profile = [c for c in citizens if rng.random() < 0.7]
            Profile.all_tenants.bulk_create([Profile(municipality_id=m, citizen_id=c, radius_km=30)
                                             for c, m in with_profile], batch_size=2000)
            through = Profile.occupations.through
            through.objects.bulk_create([
                through(profile_id=p, occupation_id=o) for p in Profile.all_tenants.filter(
                    citizen_id__in=[c for c, _m in with_profile]).values_list("id", flat=True)
                for o in rng.sample(occupations, rng.choice([1, 1, 2]))], batch_size=2000)
            decided = [(c, m) for c, m in citizens if rng.random() < 0.6]
            Suggestion.all_tenants.bulk_create([Suggestion(
                municipality_id=m, citizen_id=c, track=rng.choice(tracks_by_municipality[m]), status="decided")
                for c, m in decided], batch_size=2000)
            Decision.all_tenants.bulk_create([Decision(
                municipality_id=s.municipality_id, suggestion=s, citizen_id=s.citizen_id, track_id=s.track_id,
                changed=False, decided_by=admin) for s in Suggestion.all_tenants.filter(
                    citizen_id__in=[c for c, _m in decided])], batch_size=2000)
            PlanItem.all_tenants.bulk_create([PlanItem(
                municipality_id=m, citizen_id=c, item_type="own_activity", title=rng.choice(PLAN_TITLES),
                created_by_kind="citizen") for c, m in citizens if rng.random() < 0.3], batch_size=2000)
            enrolments = []
            for c, m in citizens:
                if rng.random() < 0.1:
                    curated_id, offer_id = rng.choice(shown[m])
                    enrolments.append(Enrolment(municipality_id=m, citizen_id=c, offer_id=offer_id,
                                                municipal_offer_id=curated_id, enrolled_at=now))
            Enrolment.all_tenants.bulk_create(enrolments, batch_size=2000)


def ensure_catalogue():
    """The four municipalities (created once with all their data); returns them."""
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen
    from jobunivers.segmentation.services import tracks_ensure_defaults
    from jobunivers.taxonomy.models import Occupation
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.services import membership_grant
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    municipalities = []
    for code, name, slug in MUNICIPALITIES:
        municipalities.append(Municipality.objects.filter(slug=slug).first()
                              or MunicipalityFactory(code=code, name=name, slug=slug))
    if Citizen.all_tenants.filter(municipality__in=municipalities).count() >= CITIZENS:
        return municipalities
    rng, today = random.Random(1717), timezone.localdate()
    admin, _ = User.objects.get_or_create(username="bench-market-admin",
                                          defaults={"first_name": "Anne", "last_name": "Admin"})
    tracks = {}
    for municipality in municipalities:
        membership_grant(user=admin, role="municipality_admin", municipality=municipality)
        tracks[municipality.pk] = tracks_ensure_defaults(municipality_id=municipality.pk)
    with transaction.atomic():
        Occupation.objects.bulk_create([
            Occupation(uri=f"bench:market:{isco}:{title}", isco_code=isco, preferred_label=title,
                       preferred_label_da=title, is_local=True) for title, isco in OCCUPATIONS], ignore_conflicts=True)
        occupations = list(Occupation.objects.filter(uri__startswith="bench:market:").values_list("id", flat=True))
        national, vendor_ids, own = _offers(rng, municipalities, today)
        _curate(rng, municipalities, national, vendor_ids, own, today)
    _citizens(rng, municipalities, occupations, tracks, admin, today)
    return municipalities
