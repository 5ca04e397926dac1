"""Demo data for the marketplace: four guides in the national library (CV, application, job interview,
rights and duties) written by us in Danish and approved by the demo operator; the demo vendor's course,
submitted and approved; and in each demo municipality the guides shown to citizens (the CV guide promoted)
plus a job club of the municipality's own. The vendor's course waits for an agreement (the agreements app)
before a municipality can show it."""

from jobunivers.core.demo import register

GUIDES: list[tuple[str, str, str, str, list[str], list[str]]] = [
    ("article", "Sådan skriver du et CV, der bliver læst",
     "Et kort og klart CV på én til to sider – med dine resultater først.",
     "Start med en kort profil på tre-fire linjer: hvem du er, hvad du kan, og hvilket job du søger.\n\n"
     "Skriv din erhvervserfaring med det nyeste først. Under hvert job skriver du to-tre ting, du har opnået "
     "eller været ansvarlig for – gerne med tal, fx 'pakkede 120 ordrer i timen'.\n\n"
     "Tag uddannelse, kurser og certifikater med, også korte kurser som truckcertifikat eller førstehjælp. "
     "Skriv dine sprog og dit kørekort.\n\n"
     "Tilpas dit CV til hvert job: brug de samme ord som jobopslaget, når de passer på dig. Bed en anden om at "
     "læse det igennem for stavefejl.",
     ["newly_unemployed"], []),
    ("article", "Sådan skriver du en god ansøgning",
     "Vis arbejdsgiveren, hvorfor netop du passer til jobbet – på under én side.",
     "Læs jobopslaget grundigt, og find de tre vigtigste krav. Ring gerne til arbejdsgiveren og spørg ind til "
     "jobbet – det giver dig noget konkret at skrive om.\n\n"
     "Begynd med det vigtigste: hvorfor du søger, og hvad du kan bidrage med. Giv et eksempel for hvert krav på, "
     "hvordan du har vist, at du kan det.\n\n"
     "Skriv kort og i dit eget sprog. Slut med, at du gerne vil til en samtale. Husk at skrive ansøgningen i din "
     "joblog, når du har sendt den.",
     [], []),
    ("video", "Klar til jobsamtalen",
     "Forbered dig på de spørgsmål, der næsten altid kommer, og på dine egne spørgsmål.",
     "Find ud af, hvad virksomheden laver, og læs jobopslaget igen. Tænk over tre eksempler fra dit arbejdsliv, "
     "der viser, hvad du kan.\n\n"
     "Øv svar på de typiske spørgsmål: Fortæl lidt om dig selv. Hvorfor søger du jobbet? Hvad er du god til, og "
     "hvad vil du gerne blive bedre til?\n\n"
     "Forbered to-tre spørgsmål til arbejdsgiveren, fx om de første uger i jobbet. Mød til tiden, og send gerne "
     "en kort tak for samtalen bagefter.",
     ["over_3_months"], []),
    ("article", "Dine rettigheder og pligter som ledig",
     "Hvad jobcentret forventer af dig, og hvad du kan forvente af jobcentret.",
     "Når du er ledig, skal du stå til rådighed for arbejdsmarkedet. Det betyder blandt andet, at du søger job "
     "aktivt, skriver dine ansøgninger i joblog, deltager i samtaler og tilbud, som jobcentret indkalder dig "
     "til, og tjekker din indbakke.\n\n"
     "Du har ret til en plan for din jobsøgning, til samtaler med jobcentret og til at få forklaret de afgørelser, "
     "der træffes om dig. Du kan altid se dine egne data og bede om at få rettet forkerte oplysninger.\n\n"
     "Reglerne afhænger af, om du får dagpenge eller kontanthjælp. Er du i tvivl, så spørg jobcentret eller din "
     "a-kasse, før du siger nej til et job eller et tilbud.",
     [], []),
]

COURSE = {"title_da": "Truckcertifikat – kom i gang på lageret",
          "summary_da": "Tre ugers kursus med truckcertifikat (B) og en praktikdag på et lager.",
          "body_da": "Kurset giver dig truckcertifikat B og en introduktion til lagerarbejde: pluk, pak, sikkerhed "
                     "og scannere. Du øver dig på et rigtigt lager og får hjælp til at søge lagerjob bagefter.",
          "format": "blended", "duration": "3 uger, 4 dage om ugen", "languages": ["da"],
          "accessibility": "Undervisningslokalet er i stueplan. Teorien kan tages med oplæsning.",
          "price_dkk": "4800", "price_note": "Pr. deltager; betales kun ved gennemført certifikat.",
          "launch_method": "signed", "launch_url": "https://kompetencehuset.example/jobunivers/start",
          "consent_fields": ["name", "email"], "target_isco": ["93", "83"],
          "target_situations": ["over_3_months"]}


def _operator():
    from jobunivers.tenancy.models import Membership
    from jobunivers.tenancy.roles import Role

    membership = (Membership.objects.filter(role=Role.PLATFORM_OPERATOR, is_active=True).select_related("user")
                  .order_by("pk").first())
    return membership.user if membership else None


def _vendor_course(operator, stdout) -> None:
    from jobunivers.tenancy.models import Membership
    from jobunivers.tenancy.roles import Role

    from . import services
    from .models import Vendor, VendorAccount
    from .validation import nth_valid_cvr

    membership = (Membership.objects.filter(role=Role.VENDOR, is_active=True).exclude(organisation="")
                  .select_related("user").order_by("pk").first())
    if membership is None or VendorAccount.objects.filter(membership=membership).exists():
        return
    vendor = (Vendor.objects.filter(name=membership.organisation).first()
              or services.vendor_register(actor=operator, name=membership.organisation, cvr=nth_valid_cvr(Vendor.objects.count(), start=35000000),
                                          contact_email="kontakt@kompetencehuset.example"))
    services.vendor_link_account(actor=operator, membership=membership, vendor=vendor)
    offer = services.offer_create(actor=membership.user, provider_kind="vendor", kind="course", values=COURSE)
    services.offer_submit(actor=membership.user, offer=offer)
    services.offer_review(actor=operator, offer=offer, approve=True)
    stdout.write(f"  marketplace: {vendor.name}'s course in the library")


@register("marketplace", order=93)
def load(*, rng, stdout):
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.roles import Role
    from jobunivers.tenancy.selectors import staff_of

    from . import services
    from .models import MunicipalOffer, Offer

    operator = _operator()
    if operator is None:
        return
    guides = list(Offer.objects.filter(provider_kind="national").order_by("pk"))
    if not guides:
        for kind, title, summary, body, situations, isco in GUIDES:
            offer = services.offer_create(
                actor=operator, provider_kind="national", kind=kind,
                values={"title_da": title, "summary_da": summary, "body_da": body, "launch_method": "in_platform",
                        "format": "online", "duration": "10 minutter", "languages": ["da"],
                        "target_situations": situations, "target_isco": isco,
                        "accessibility": "Teksten kan læses op med skærmlæser."})
            services.offer_submit(actor=operator, offer=offer)
            services.offer_review(actor=operator, offer=offer, approve=True)
        guides = list(Offer.objects.filter(provider_kind="national").order_by("pk"))
    _vendor_course(operator, stdout)
    shown = 0
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        admins = [m.user for m in staff_of(municipality_id=municipality.pk, roles={Role.MUNICIPALITY_ADMIN})]
        if not admins or MunicipalOffer.all_tenants.filter(municipality=municipality).exists():
            continue
        admin = admins[0]
        for number, offer in enumerate(guides):
            curated = services.municipal_offer_enable(actor=admin, municipality_id=municipality.pk, offer=offer)
            if number == 0:
                services.municipal_offer_update(actor=admin, municipal_offer=curated, expected_version=1,
                                                values={"promotion_priority": 50})
            shown += 1
        club = services.offer_create(
            actor=admin, provider_kind="municipality", kind="job_club", municipality_id=municipality.pk,
            values={"title_da": f"Jobklub i {municipality.name}",
                    "summary_da": "Mød andre jobsøgende hver tirsdag kl. 9–11 og få hjælp til ansøgninger og CV.",
                    "body_da": "Vi mødes på jobcentret. Tag din computer med, hvis du har en. Der er kaffe.",
                    "launch_method": "in_platform", "format": "physical", "duration": "Hver tirsdag kl. 9–11",
                    "languages": ["da"], "target_situations": ["over_3_months"]})
        services.offer_submit(actor=admin, offer=club)
        services.offer_review(actor=admin, offer=club, approve=True)
        club.refresh_from_db()
        services.municipal_offer_enable(actor=admin, municipality_id=municipality.pk, offer=club)
        shown += 1
    stdout.write(f"  marketplace: {len(guides)} national guides, {shown} offers shown in demo municipalities")
