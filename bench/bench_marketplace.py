"""marketplace: the citizen's catalogue over 2,000 offers and 117,000 citizens, and a monthly statement for a
vendor with 50,000 use events (issue 17).

The catalogue (data: bench/marketplace_catalogue.py): four municipalities each showing about 1,350 of the
2,000 offers to their share of 117,000 citizens. Measured through the full stack (middleware, view,
template) against the bare page in the same run, from 300 distinct citizens (fixed seed, across the four
municipalities; 20 others warm up): the "Til dig" page (`/tilbud/`: recommendations with reasons and the
first page of all offers), and 400 searches with distinct queries and filters (words from titles and
summaries, misspellings, two-word queries, kind/format/provider, some on page 2), each by another citizen.
Goal: p95 <= 10 x the bare page's p95 for each (issue 17).

The statement:

One municipality, one vendor with four agreements over four offers, and 50,000 of the vendor's use
events in the month measured (November 2026), plus the enrolments before it:
- pay per launch: 30,000 launches by 3,000 pseudonymous citizens, with a rate change on the 16th;
- per hour of follow-up: 10,000 hour events (0.25-2 h) by 1,000 citizens;
- subscription: 6,000 enrolments (half before the month), 1,000 withdrawals in it (pro rata lines);
- outcome-based: 3,000 enrolments by citizens with register data, 600 of whom left for a job in the
  month (the register read for result fees).
Measured: `statement_generate` end to end (read the events, compute, write the statement and its
lines in one transaction), five times (the statement is regenerated while the vendor has not accepted
it); `statement_recompute` (the "compute again and compare" check), five times; and the vendor's CSV
and PDF of the statement, once each. Goal: generate <= 5 s (issue 17).
The data set is made once in its own database (`harness.own_database("marketplace")`) and reused.
"""

from __future__ import annotations

import datetime
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    analyze,
    bare_baseline,
    database_label,
    emit,
    own_database,
    p50,
    p95,
    setup,
    summary,
    timed,
    timed_requests,
)

SLUG = "bench-marketplace"
MONTH = datetime.date(2026, 11, 1)
EVENTS_IN_MONTH = 50_000


def _moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randrange(7, 21),
                                                                            rng.randrange(60))))


def _day_in(rng: random.Random, first: datetime.date, days: int) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange(days))


def ensure_data():
    from django.db import transaction

    from jobunivers.accounts.models import User
    from jobunivers.agreements.models import Agreement, Rate
    from jobunivers.citizens.models import Citizen
    from jobunivers.marketplace.models import UseEvent
    from jobunivers.marketplace.tests import factories as market
    from jobunivers.segmentation.models import RegisterData
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.services import membership_grant
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    municipality = Municipality.objects.filter(slug=SLUG).first() or MunicipalityFactory(
        code="9017", name="Markedskommune", slug=SLUG)
    admin, _ = User.objects.get_or_create(username="bench-marketplace-admin",
                                          defaults={"first_name": "Anne", "last_name": "Admin"})
    membership_grant(user=admin, role="municipality_admin", municipality=municipality)
    existing = Agreement.all_tenants.filter(municipality=municipality).first()
    if existing is not None:
        return municipality, admin, existing.vendor
    rng = random.Random(17)
    with transaction.atomic():
        vendor = market.vendor("Benchleverandøren ApS")
        offers = {model: market.offer(provider_kind="vendor", vendor_=vendor, title=f"Bench {model}", kind="course")
                  for model in ("per_use", "per_hour", "subscription", "outcome")}
        rates = {
            "per_use": [(datetime.date(2026, 1, 1), datetime.date(2026, 11, 15), 2_500, 0),
                        (datetime.date(2026, 11, 16), None, 3_000, 0)],
            "per_hour": [(datetime.date(2026, 1, 1), None, 65_000, 0)],
            "subscription": [(datetime.date(2026, 1, 1), None, 45_000, 0)],
            "outcome": [(datetime.date(2026, 1, 1), None, 50_000, 1_500_000)],
        }
        for model, offer in offers.items():
            agreement = Agreement.all_tenants.create(municipality=municipality, vendor=vendor, offer=offer,
                                                     payment_model=model, outcome_weeks=26 if model == "outcome" else 0)
            for valid_from, valid_to, amount, result_fee in rates[model]:
                Rate.all_tenants.create(municipality=municipality, agreement=agreement, valid_from=valid_from,
                                        valid_to=valid_to, amount_ore=amount, result_fee_ore=result_fee)
        users = [User(username=f"bench-marketplace-{n}", first_name="Borger", last_name=str(n), password="!")
                 for n in range(3_000)]
        User.objects.bulk_create(users, batch_size=2000)
        users = list(User.objects.filter(username__startswith="bench-marketplace-").exclude(
            username="bench-marketplace-admin").order_by("id"))
        Citizen.all_tenants.bulk_create([Citizen(municipality=municipality, user=u) for u in users], batch_size=2000)
        citizens = list(Citizen.all_tenants.filter(municipality=municipality).order_by("id").values_list("id",
                                                                                                         flat=True))
        register = []
        for number, citizen_id in enumerate(citizens):
            hired = number % 5 == 0
            register.append(RegisterData(
                municipality=municipality, citizen_id=citizen_id, age_band="30-39", benefit_type="dagpenge",
                registered_on=datetime.date(2026, 6, 1), source=RegisterData.Source.SYNTHETIC,
                outcome="job" if hired else "", outcome_on=_day_in(rng, MONTH, 30) if hired else None))
        RegisterData.all_tenants.bulk_create(register, batch_size=2000)

        events = []

        def add(model, subject, kind, day, quantity="1", citizen_id=None):
            offer = offers[model]
            events.append(UseEvent(municipality=municipality, offer=offer, vendor=vendor, citizen_id=citizen_id,
                                   subject=subject, kind=kind, quantity=Decimal(quantity),
                                   occurred_at=_moment(rng, day)))

        in_month = 0
        for number in range(3_000):  # per launch: enrolled before the month, 10 launches each in it
            add("per_use", f"u{number}", "enrolled", _day_in(rng, datetime.date(2026, 9, 1), 60))
            for _ in range(10):
                add("per_use", f"u{number}", "launched", _day_in(rng, MONTH, 30))
                in_month += 1
        for number in range(1_000):  # per hour: 10 follow-ups each
            add("per_hour", f"h{number}", "enrolled", _day_in(rng, datetime.date(2026, 9, 1), 60))
            for _ in range(10):
                add("per_hour", f"h{number}", "hour", _day_in(rng, MONTH, 30), rng.choice(["0.25", "0.5", "1", "2"]))
                in_month += 1
        for number in range(6_000):  # subscriptions: half from before the month, 1,000 withdrawn in it
            before = number % 2 == 0
            enrolled_on = _day_in(rng, datetime.date(2026, 9, 1), 60) if before else _day_in(rng, MONTH, 20)
            add("subscription", f"s{number}", "enrolled", enrolled_on)
            in_month += not before
            if number < 1_000:
                add("subscription", f"s{number}", "withdrawn", _day_in(rng, datetime.date(2026, 11, 21), 10))
                in_month += 1
        for number, citizen_id in enumerate(citizens):  # outcome: enrolled in the month, 600 hired
            add("outcome", f"o{number}", "enrolled", _day_in(rng, MONTH, 10), citizen_id=citizen_id)
            in_month += 1
        rest = EVENTS_IN_MONTH - in_month
        for number in range(rest):  # sessions that no agreement bills (read and skipped)
            add("per_use", f"u{number % 3_000}", "session", _day_in(rng, MONTH, 30))
        UseEvent.all_tenants.bulk_create(events, batch_size=5000)
    return municipality, admin, vendor


PANEL, WARMUP, SEARCHES = 300, 20, 400
SEARCH_WORDS = ["cv", "ansøgning", "jobsamtale", "truckcertifikat", "truck", "lager", "lastbil", "hygiejnebevis",
                "førstehjælp", "excel", "bogføring", "rengøring", "kundeservice", "sundhed", "dansk", "it-support",
                "python", "scrum", "stress", "jobklub", "netværk", "kranfører", "svejsning", "byggepladsen",
                "engelsk", "app", "video", "mentor", "iværksætteri", "linkedin", "rettigheder", "fleksjob", "løn",
                "aarhus", "odense", "aalborg", "online", "unge", "seniorer", "akademikere", "ufaglærte", "jobcafé",
                "praktik", "efteruddannelse", "joblog", "uopfordret", "netværk", "intensivt", "aftenhold",
                "ansøgnig", "truk", "bogførring", "jobsamtalen", "sprogstøtte", "logistik", "certifikat"]


def _searches(rng: random.Random) -> list[str]:
    """Distinct catalogue searches: one or two words, some with a kind, format or provider, some page 2."""
    from urllib.parse import urlencode

    found: dict[str, None] = {}
    while len(found) < SEARCHES:
        words = rng.sample(SEARCH_WORDS, rng.choice([1, 1, 1, 2]))
        params = {"q": " ".join(words)} if rng.random() < 0.85 else {}
        if rng.random() < 0.3:
            params["kind"] = rng.choice(["course", "article", "digital_tool", "job_club", "network", "event"])
        if rng.random() < 0.25:
            params["format"] = rng.choice(["online", "blended", "physical"])
        if rng.random() < 0.25:
            params["provider"] = rng.choice(["vendor", "national", "municipality"])
        if not params:
            params["provider"] = "national"
        if rng.random() < 0.1:
            params["side"] = "2"
        found.setdefault("/tilbud/?" + urlencode(params))
    return list(found)


def measure_catalogue() -> None:
    from django.test import Client

    from bench.marketplace_catalogue import ensure_catalogue
    from jobunivers.citizens.models import Citizen
    from jobunivers.marketplace.models import MunicipalOffer, Offer

    municipalities = ensure_catalogue()
    analyze()
    slugs = {m.pk: m.slug for m in municipalities}
    rng = random.Random(1718)
    ids = list(Citizen.all_tenants.filter(municipality__in=municipalities).order_by("id").values_list("id", flat=True))
    chosen = rng.sample(ids, PANEL + WARMUP)
    citizens = {c.pk: c for c in Citizen.all_tenants.filter(pk__in=chosen).select_related("user")}
    clients = []
    for citizen_id in chosen:
        client = Client()
        client.force_login(citizens[citizen_id].user)
        client.get("/bare/")  # a test client builds its middleware chain on its first request (see booking)
        clients.append((client, f"/{slugs[citizens[citizen_id].municipality_id]}"))
    warm, panel = clients[:WARMUP], clients[WARMUP:]
    for client, prefix in warm:  # templates, translations and query plans; never the measured citizens
        client.get(f"{prefix}/tilbud/")
        client.get(f"{prefix}/tilbud/?q=kursus")
    base = bare_baseline(panel[0][0], n=300)
    for_you = []
    for client, prefix in panel:
        for_you += timed_requests(client, [f"{prefix}/tilbud/"])
    search = []
    for number, path in enumerate(_searches(rng)):
        client, prefix = panel[(number * 7) % len(panel)]
        search += timed_requests(client, [prefix + path])
    shown = [MunicipalOffer.all_tenants.filter(municipality=m, withdrawn_at__isnull=True).count()
             for m in municipalities]
    ratio_for_you, ratio_search = p95(for_you) / p95(base), p95(search) / p95(base)
    emit("marketplace_catalogue", {
        "db": database_label(), "offers": Offer.objects.filter(status="published").count(),
        "shown_per_municipality": shown, "citizens": len(ids), **summary(base, prefix="bare"),
        **summary(for_you, prefix="for_you"), **summary(search, prefix="search"),
        "ratio_for_you_p95": round(ratio_for_you, 1), "ratio_search_p95": round(ratio_search, 1),
        "goal_ratio_p95": 10, "ok": ratio_for_you <= 10 and ratio_search <= 10,
    })


def main() -> None:
    own_database("marketplace")
    setup()
    measure_catalogue()
    from django.utils import timezone

    from jobunivers.agreements import exports, selectors, services
    from jobunivers.agreements.models import StatementLine
    from jobunivers.core.context import tenant_context
    from jobunivers.marketplace.models import UseEvent

    municipality, admin, vendor = ensure_data()
    analyze()
    start, end = (timezone.make_aware(datetime.datetime(2026, 11, 1)),
                  timezone.make_aware(datetime.datetime(2026, 12, 1)))
    events_in_month = UseEvent.all_tenants.filter(vendor=vendor, occurred_at__gte=start, occurred_at__lt=end).count()
    with tenant_context(municipality):
        generate, statement = timed(services.statement_generate, actor=admin, municipality_id=municipality.pk,
                                    vendor_id=vendor.pk, month=MONTH, repeat=5)
        recompute, result = timed(services.statement_recompute, statement=statement, repeat=5)
    lines = selectors.lines_of(statement)
    csv_time, _csv = timed(exports.statement_csv, statement, lines)
    pdf_time, pdf = timed(exports.statement_pdf, statement, lines)
    emit("marketplace_statement", {
        "db": database_label(), "use_events_in_month": events_in_month, "use_events_read": statement.use_events,
        "lines": StatementLine.all_tenants.filter(statement=statement).count(), "total_ore": statement.total_ore,
        "reproducible": result == (statement.inputs_hash, statement.total_ore),
        "generate_s_p50": round(p50(generate), 3), "generate_s_max": round(max(generate), 3),
        "recompute_s_p50": round(p50(recompute), 3), "csv_s": round(csv_time[0], 3), "pdf_s": round(pdf_time[0], 3),
        "pdf_bytes": len(pdf), "goal_generate_s": 5,  # type: ignore[arg-type]
    })


if __name__ == "__main__":
    main()
