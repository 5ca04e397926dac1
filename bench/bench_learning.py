"""Learning records: 1,000,000 stored xAPI statements; a citizen's learning page and a vendor's statements GET
against the bare page; and ingest through the real POST endpoint.

Goals (issue 18): the citizen's progress page and the statements GET for a vendor p95 <= 10 x the bare page's
p95, through the full stack (middleware, view, template; the API's signature check), on SQLite and
PostgreSQL; ingest >= 500 statements a second through `POST /api/v1/xapi/statements`.

Data (created once, reused): two municipalities, 40 vendors with 5 signed-launch courses each (200 offers,
enabled in both), 20,000 citizens enrolled in two courses each (40,000 enrolments with their "enrolled" use
event, as `marketplace.services.enrol` writes them, so the pseudonym look-up is the production one), and
1,000,000 statements spread over the enrolments with a long tail (a few citizens with hundreds, most with a
handful), stored over the past year, as the endpoint stores them. The national learning modules are loaded
and each citizen follows 0-4 of them with lessons passed, so the learning page has progress to show.

No page shows a citizen the vendors' statements (they reach the citizen as the plan activity done and in
"Mine data"); the citizen's progress page is Læring (`/min-side/laering/`: their modules and lessons passed)
and a module's page, measured for 300 distinct citizens, in a database holding the million statements.

The vendors' GET is measured for 300 requests from the 40 vendors, each signed with the vendor's reporting key,
with the queries vendors send: the first page, other limits, one offer, `since` a moment in the past year,
and the next page by `cursor` (taken from the previous answer's `more`), and combinations.

Ingest: 100 requests of 50 new statements (5,000), each from a random vendor about random citizens enrolled in
its courses, timed from the first request to the last answer; and 200 requests of one statement each.
`BENCH_LEARNING_SCALE=0.01` makes a small data set for a quick check (its own database).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import time
import uuid

from bench.harness import analyze, bare_baseline, database_label, emit, p95, setup, summary, timed_requests

SCALE = float(os.environ.get("BENCH_LEARNING_SCALE", "1"))
STATEMENTS = int(1_000_000 * SCALE)
CITIZENS = max(1_000, int(20_000 * SCALE))
VENDORS = 40
COURSES_PER_VENDOR = 5
SLUGS = ("bench-learning-a", "bench-learning-b")
SAMPLES = 300
URL = "/api/v1/xapi/statements"
VERBS = ["http://adlnet.gov/expapi/verbs/progressed", "http://adlnet.gov/expapi/verbs/experienced",
         "http://adlnet.gov/expapi/verbs/answered", "http://adlnet.gov/expapi/verbs/attempted",
         "http://adlnet.gov/expapi/verbs/passed"]


def _statement(*, offer_id: int, subject: str, when: datetime.datetime, rng: random.Random, part: int) -> dict:
    from django.conf import settings

    from jobunivers.learning.xapi import activity_id

    verb = rng.choice(VERBS)
    raw = rng.randint(0, 10)
    return {"id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "account": {"homePage": settings.SITE_URL.rstrip("/"), "name": subject}},
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": {"objectType": "Activity", "id": f"{activity_id(offer_id)}/modul-{part}",
                       "definition": {"name": {"da-DK": f"Modul {part}"}}},
            "result": {"score": {"scaled": raw / 10, "raw": raw, "min": 0, "max": 10}, "success": raw >= 6,
                       "duration": f"PT{rng.randint(2, 12)}M"},
            "timestamp": when.isoformat()}


def _vendors(municipalities):
    """40 vendors, each with a vendor user, a reporting key and 5 courses enabled in both municipalities."""
    from jobunivers.accounts.models import User
    from jobunivers.marketplace import reporting
    from jobunivers.marketplace.models import CallbackKey, Offer, Vendor, VendorAccount
    from jobunivers.marketplace.tests import factories
    from jobunivers.tenancy.models import Membership

    vendors = []
    for n in range(VENDORS):
        vendor = Vendor.objects.filter(name=f"Bench Kursus {n} ApS").first()
        if vendor is None:
            vendor = factories.vendor(f"Bench Kursus {n} ApS")
            for c in range(COURSES_PER_VENDOR):
                course = factories.offer(provider_kind="vendor", vendor_=vendor, kind="course",
                                         title=f"Kursus {c} hos {n}", launch_method="signed",
                                         launch_url=f"https://kursus{n}.example/start")
                for municipality in municipalities:
                    factories.enabled(municipality, course)
        user, _ = User.objects.get_or_create(username=f"bench-learning-vendor-{n}")
        membership, _ = Membership.objects.get_or_create(user=user, role="vendor", municipality=None)
        VendorAccount.objects.get_or_create(membership=membership, defaults={"vendor": vendor})
        # A fresh key each run: a key's secret is shown once; old bench keys are revoked, not kept working.
        CallbackKey.objects.filter(vendor=vendor, revoked_at__isnull=True).update(revoked_at=_now())
        key, secret = reporting.callback_key_create(actor=user)
        offers = list(Offer.objects.filter(vendor=vendor).order_by("pk").values_list("pk", flat=True))
        # Each vendor's server has its own address (the API's rate limit is per address, as in production).
        vendors.append({"id": vendor.pk, "key": key.key_id, "secret": secret, "offers": offers,
                        "address": f"10.18.0.{n + 1}"})
    return vendors


def _now():
    from django.utils import timezone

    return timezone.now()


def _citizens(municipalities):
    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen
    from jobunivers.tenancy.models import Membership

    have = Citizen.all_tenants.filter(municipality__in=municipalities).count()
    if have < CITIZENS:
        users = User.objects.bulk_create([User(username=f"bench-learning-citizen-{n}", first_name="Borger",
                                               last_name=str(n), password="!") for n in range(have, CITIZENS)],
                                         batch_size=2000)
        users = list(User.objects.filter(username__startswith="bench-learning-citizen-").order_by("id"))[have:]
        Citizen.all_tenants.bulk_create([Citizen(municipality=municipalities[n % 2], user=u)
                                         for n, u in enumerate(users)], batch_size=2000)
        Membership.objects.bulk_create([Membership(user=u, municipality=municipalities[n % 2], role="citizen")
                                        for n, u in enumerate(users)], batch_size=2000, ignore_conflicts=True)
    return list(Citizen.all_tenants.filter(municipality__in=municipalities).select_related("user").order_by("id"))


def _enrolments(citizens, vendors, rng):
    """Two courses per citizen, with the "enrolled" use event carrying the pseudonym (as enrol writes it)."""
    from jobunivers.marketplace import launch
    from jobunivers.marketplace.models import Enrolment, MunicipalOffer, UseEvent

    if Enrolment.all_tenants.filter(citizen__in=citizens[:1]).exists():
        return list(Enrolment.all_tenants.filter(citizen__in=citizens).values_list(
            "pk", "offer_id", "offer__vendor_id", "citizen_id", "municipality_id"))
    enabled = {(m.offer_id, m.municipality_id): m.pk for m in MunicipalOffer.all_tenants.all()}
    offers = [(o, v["id"]) for v in vendors for o in v["offers"]]
    now = _now()
    rows = []
    for citizen in citizens:
        for offer_id, _vendor_id in rng.sample(offers, 2):
            rows.append(Enrolment(municipality_id=citizen.municipality_id, citizen_id=citizen.pk, offer_id=offer_id,
                                  municipal_offer_id=enabled[(offer_id, citizen.municipality_id)],
                                  enrolled_at=now - datetime.timedelta(days=rng.randint(1, 365))))
    Enrolment.all_tenants.bulk_create(rows, batch_size=2000)
    saved = list(Enrolment.all_tenants.filter(citizen__in=citizens).select_related("offer"))
    UseEvent.all_tenants.bulk_create([UseEvent(
        municipality_id=e.municipality_id, offer_id=e.offer_id, vendor_id=e.offer.vendor_id, enrolment_id=e.pk,
        citizen_id=e.citizen_id, kind="enrolled", occurred_at=e.enrolled_at,
        subject=launch.pseudonym(provider=f"vendor:{e.offer.vendor_id}", citizen_id=e.citizen_id)) for e in saved],
        batch_size=2000)
    return [(e.pk, e.offer_id, e.offer.vendor_id, e.citizen_id, e.municipality_id) for e in saved]


def _statements(enrolments, rng) -> int:
    """1,000,000 statements, a long tail over the enrolments (Pareto weights), stored over the past year."""
    from jobunivers.learning.models import Statement
    from jobunivers.marketplace import launch

    have = Statement.all_tenants.count()
    if have >= STATEMENTS:
        return have
    weights = [rng.paretovariate(1.2) for _ in enrolments]
    now = _now()
    batch = []
    for n, (_enrolment_id, offer_id, vendor_id, citizen_id, municipality_id) in enumerate(
            rng.choices(enrolments, weights=weights, k=STATEMENTS - have)):
        stored = now - datetime.timedelta(seconds=rng.randint(60, 365 * 86400))
        subject = launch.pseudonym(provider=f"vendor:{vendor_id}", citizen_id=citizen_id)
        data = _statement(offer_id=offer_id, subject=subject, when=stored - datetime.timedelta(minutes=1), rng=rng,
                          part=rng.randint(1, 8))
        batch.append(Statement(municipality_id=municipality_id, statement_id=uuid.UUID(data["id"]),
                               vendor_id=vendor_id, offer_id=offer_id, citizen_id=citizen_id, subject=subject,
                               verb=data["verb"]["id"], timestamp=stored - datetime.timedelta(minutes=1),
                               stored=stored, data=data, via="jk_bench"))
        if len(batch) == 10_000:
            Statement.all_tenants.bulk_create(batch, ignore_conflicts=True)
            batch = []
            if n % 100_000 < 10_000:
                print(f"# statements: {have + n + 1:,}", flush=True)
    Statement.all_tenants.bulk_create(batch, ignore_conflicts=True)
    return Statement.all_tenants.count()


def _module_progress(citizens, rng) -> None:
    """The national modules, each citizen following 0-4 of them with some lessons passed."""
    from jobunivers.learning.content import load_modules
    from jobunivers.learning.models import Lesson, LessonProgress, Module, ModuleEnrolment
    from jobunivers.learning.services import modules_import

    if not Module.objects.exists():
        modules_import(modules=load_modules())
    if ModuleEnrolment.all_tenants.filter(citizen__in=citizens[:50]).exists():
        return
    modules = list(Module.objects.filter(owner_municipality__isnull=True))
    lessons = {m.pk: list(Lesson.objects.filter(module=m).order_by("position").values_list("pk", flat=True))
               for m in modules}
    now = _now()
    enrolments = []
    for citizen in citizens:
        for module in rng.sample(modules, rng.randint(0, 4)):
            started = now - datetime.timedelta(days=rng.randint(1, 120))
            enrolments.append(ModuleEnrolment(municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                              module=module, enrolled_at=started, last_activity_at=started,
                                              share_progress=rng.random() < 0.3))
    ModuleEnrolment.all_tenants.bulk_create(enrolments, batch_size=2000)
    progress = []
    for enrolment in ModuleEnrolment.all_tenants.filter(citizen__in=citizens).only("pk", "module_id",
                                                                                   "municipality_id"):
        for lesson_id in lessons[enrolment.module_id][:rng.randint(0, len(lessons[enrolment.module_id]))]:
            progress.append(LessonProgress(municipality_id=enrolment.municipality_id, enrolment_id=enrolment.pk,
                                           lesson_id=lesson_id, read_at=now, attempts=1, best_score=3, last_score=3,
                                           last_answers=[0, 1, 2], passed_at=now))
    LessonProgress.all_tenants.bulk_create(progress, batch_size=2000)


def _signed(vendor, body: bytes) -> dict:
    from jobunivers.marketplace import reporting

    timestamp = str(int(time.time()))
    return {"REMOTE_ADDR": vendor["address"], "HTTP_X_JOBUNIVERS_KEY": vendor["key"], "HTTP_X_JOBUNIVERS_TIMESTAMP": timestamp,
            "HTTP_X_JOBUNIVERS_SIGNATURE": reporting.sign_report(secret=vendor["secret"], timestamp=timestamp,
                                                                 body=body)}


def _vendor_queries(vendors, rng) -> list[tuple[dict, str]]:
    from urllib.parse import urlencode

    now = _now()
    queries = []
    for _ in range(SAMPLES):
        vendor = rng.choice(vendors)
        params: dict[str, str] = {}
        shape = rng.random()
        if shape < 0.2:
            pass  # the first page
        elif shape < 0.35:
            params["limit"] = str(rng.choice([10, 25, 50, 100]))
        elif shape < 0.55:
            params["offer"] = str(rng.choice(vendor["offers"]))
        elif shape < 0.8:
            since = now - datetime.timedelta(days=rng.randint(0, 364), seconds=rng.randint(0, 86399))
            params["since"] = since.isoformat(timespec="seconds")
        else:
            params["offer"] = str(rng.choice(vendor["offers"]))
            params["since"] = (now - datetime.timedelta(days=rng.randint(0, 364))).isoformat(timespec="seconds")
            params["limit"] = str(rng.choice([20, 50, 100]))
        queries.append((vendor, urlencode(params)))
    return queries


def _timed_get(client, vendor, query: str) -> tuple[float, str]:
    start = time.perf_counter()
    response = client.get(f"{URL}?{query}" if query else URL, **_signed(vendor, query.encode()))
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise AssertionError(f"GET {query}: {response.status_code} {response.content[:300]!r}")
    return elapsed, response.json()["more"]


def _ingest(client, vendors, enrolments, rng, *, requests: int, per_request: int) -> tuple[float, int]:
    """Wall time of `requests` POSTs of `per_request` new statements each (signing and building them untimed)."""
    from jobunivers.marketplace import launch

    by_vendor: dict[int, list] = {}
    for enrolment in enrolments:
        by_vendor.setdefault(enrolment[2], []).append(enrolment)
    bodies = []
    now = _now()
    for _ in range(requests):
        vendor = rng.choice(vendors)
        chosen = [rng.choice(by_vendor[vendor["id"]]) for _ in range(per_request)]
        statements = [_statement(offer_id=e[1], subject=launch.pseudonym(provider=f"vendor:{e[2]}", citizen_id=e[3]),
                                 when=now - datetime.timedelta(seconds=rng.randint(1, 3000)), rng=rng,
                                 part=rng.randint(1, 8)) for e in chosen]
        raw = json.dumps(statements if per_request > 1 else statements[0]).encode()
        bodies.append((vendor, raw))
    elapsed = 0.0
    for vendor, raw in bodies:
        headers = _signed(vendor, raw)
        start = time.perf_counter()
        response = client.post(URL, raw, content_type="application/json", **headers)
        elapsed += time.perf_counter() - start
        if response.status_code != 200:
            raise AssertionError(f"POST: {response.status_code} {response.content[:300]!r}")
    return elapsed, requests * per_request


def main() -> None:
    from bench.harness import load_average, own_database

    own_database("learning" if SCALE == 1 else f"learning_{str(SCALE).replace('.', '_')}")
    setup()
    from django.test import Client

    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    rng = random.Random(18)
    made = time.perf_counter()
    municipalities = [Municipality.objects.filter(slug=slug).first() or MunicipalityFactory(
        code=code, name=name, slug=slug, latitude=56.15, longitude=10.2)
        for slug, code, name in ((SLUGS[0], "9018", "Læringkommune A"), (SLUGS[1], "9019", "Læringkommune B"))]
    vendors = _vendors(municipalities)
    citizens = _citizens(municipalities)
    enrolments = _enrolments(citizens, vendors, rng)
    stored = _statements(enrolments, rng)
    _module_progress(citizens, rng)
    data_seconds = time.perf_counter() - made
    analyze()

    # The citizen's learning page and a module page, 300 distinct citizens.
    from jobunivers.learning.models import ModuleEnrolment

    following = dict(ModuleEnrolment.all_tenants.filter(citizen__in=citizens).values_list("citizen_id", "module_id"))
    learners = [c for c in citizens if c.pk in following]
    chosen = rng.sample(learners, min(SAMPLES, len(learners)))
    clients = {}
    for citizen in chosen:
        client = Client()
        client.force_login(citizen.user)
        # A test client builds its own middleware chain on its first request; a server process does that once.
        client.get(f"/{citizen.municipality.slug}/min-side/")
        clients[citizen.pk] = client
    base_client = clients[chosen[0].pk]
    load_before = load_average()
    base = bare_baseline(base_client, n=300)
    catalogue, module = [], []
    for citizen in chosen:
        prefix = f"/{citizen.municipality.slug}"
        catalogue += timed_requests(clients[citizen.pk], [f"{prefix}/min-side/laering/"])
        module += timed_requests(clients[citizen.pk], [f"{prefix}/min-side/laering/{following[citizen.pk]}/"])

    # The vendors' statements GET: 300 signed requests, varied queries, half followed by the next page.
    api = Client()
    api.get("/bare/")
    vendor_get = []
    for vendor, query in _vendor_queries(vendors, rng):
        elapsed, more = _timed_get(api, vendor, query)
        vendor_get.append(elapsed)
        if more and rng.random() < 0.5:
            next_query = more.split("?", 1)[1]
            elapsed, _more = _timed_get(api, vendor, next_query)
            vendor_get.append(elapsed)
    base_after = bare_baseline(base_client, n=300)

    # Ingest through the real endpoint.
    batch_seconds, batch_count = _ingest(api, vendors, enrolments, rng, requests=100, per_request=50)
    single_seconds, single_count = _ingest(api, vendors, enrolments, rng, requests=200, per_request=1)

    baseline = p95(base + base_after)
    ratios = {"progress_page": p95(catalogue) / baseline, "module_page": p95(module) / baseline,
              "vendor_get": p95(vendor_get) / baseline}
    rate = batch_count / batch_seconds
    emit("learning", {
        "db": database_label(), "statements": stored, "citizens": len(citizens), "vendors": VENDORS,
        "offers": VENDORS * COURSES_PER_VENDOR, "enrolments": len(enrolments), "data_seconds": round(data_seconds, 1),
        **summary(base + base_after, prefix="bare"), **summary(catalogue, prefix="progress_page"),
        **summary(module, prefix="module_page"), **summary(vendor_get, prefix="vendor_get"),
        "ratio_p95_progress_page": round(ratios["progress_page"], 1),
        "ratio_p95_module_page": round(ratios["module_page"], 1),
        "ratio_p95_vendor_get": round(ratios["vendor_get"], 1), "goal_ratio_p95": 10,
        "ingest_batch_of_50_per_second": round(rate, 1),
        "ingest_single_per_second": round(single_count / single_seconds, 1), "goal_ingest_per_second": 500,
        "ok": all(r <= 10 for r in ratios.values()) and rate >= 500,
        "load_average_before": load_before,
    })


if __name__ == "__main__":
    main()
