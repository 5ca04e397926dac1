"""Demo data for agreements: in each demo municipality an agreement about the demo vendor's course, paid
per session (600 kr. from the first of last month), the course shown to citizens, three citizens enrolled
whose sessions the vendor reported through the callback service (one completed the course), and this
month's statement generated, so the vendor and the administrator personas see real pages. Idempotent: a
municipality that already has an agreement about the course is left alone."""

from jobunivers.core.demo import register

SESSION_RATE_ORE = 60_000
SESSIONS = (2, 1, 3)  # per enrolled citizen; the last also completes


def _course():
    from jobunivers.marketplace.models import Offer

    return (Offer.objects.filter(provider_kind="vendor", kind="course", status="published")
            .select_related("vendor").order_by("pk").first())


def _report(course, citizen, *, number: int, kind: str, quantity: int = 1) -> None:
    from decimal import Decimal

    from django.utils import timezone

    from jobunivers.marketplace import launch, reporting

    subject = launch.pseudonym(provider=f"vendor:{course.vendor_id}", citizen_id=citizen.pk)
    reporting.record_reported_use(vendor_id=course.vendor_id, via="demo", report=reporting.ReportedUse(
        event_id=f"demo-{citizen.municipality_id}-{citizen.pk}-{number}", subject=subject, offer_id=course.pk,
        kind=kind, quantity=Decimal(quantity), occurred_at=timezone.now()))


def _municipality(municipality, admin, course) -> bool:
    import datetime

    from django.utils import timezone

    from jobunivers.citizens.models import Citizen
    from jobunivers.core.context import tenant_context
    from jobunivers.marketplace import services as marketplace_services
    from jobunivers.marketplace.models import MunicipalOffer

    from . import services
    from .models import Agreement

    with tenant_context(municipality):
        if Agreement.objects.filter(offer=course).exists():
            return False
        agreement = services.agreement_create(actor=admin, municipality_id=municipality.pk, offer_id=course.pk,
                                              payment_model="per_use", billed_use="session",
                                              reference=f"DEMO-{municipality.code}-1")
        first = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        services.rate_add(actor=admin, municipality_id=municipality.pk, agreement_id=agreement.pk, valid_from=first,
                          valid_to=None, amount_ore=SESSION_RATE_ORE)
        shown = MunicipalOffer.all_tenants.filter(municipality=municipality, offer=course).first()
        if shown is None:
            shown = marketplace_services.municipal_offer_enable(actor=admin, municipality_id=municipality.pk,
                                                                offer=course)
        citizens = list(Citizen.all_tenants.filter(municipality=municipality).select_related("user").order_by("pk")[:3])
        for number, (citizen, sessions) in enumerate(zip(citizens, SESSIONS, strict=False)):
            marketplace_services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=shown)
            _report(course, citizen, number=1, kind="session", quantity=sessions)
            if number == len(SESSIONS) - 1:
                _report(course, citizen, number=2, kind="completed")
        services.statement_generate(actor=admin, municipality_id=municipality.pk, vendor_id=course.vendor_id,
                                    month=timezone.localdate())
    return True


@register("agreements", order=94)
def load(*, rng, stdout):  # noqa: ARG001 - the demo is fixed
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.roles import Role
    from jobunivers.tenancy.selectors import staff_of

    course = _course()
    if course is None:
        return
    made = 0
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        admins = [m.user for m in staff_of(municipality_id=municipality.pk, roles={Role.MUNICIPALITY_ADMIN})]
        if admins and _municipality(municipality, admins[0], course):
            made += 1
    stdout.write(f"  agreements: {made} demo agreements with reported sessions and a statement")
