"""Demo citizens per demo municipality (order 40), and their journey (order 60): answers,
profiles with occupations, plans with version 1, job logs over the last weeks, intro packages
and plan templates. Everything is bulk-created and tied to demo citizens."""

import datetime

from django.utils import timezone

from jobunivers.accounts.models import User
from jobunivers.core.context import tenant_context
from jobunivers.core.demo import register
from jobunivers.core.demo_names import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES
from jobunivers.taxonomy.selectors import postcodes_in_municipality
from jobunivers.tenancy.models import Membership, Municipality
from jobunivers.tenancy.roles import Role

from .models import (
    Barrier,
    Citizen,
    ContactChannel,
    CreatedByKind,
    DigitalSkills,
    EducationLevel,
    EmploymentType,
    HowApplied,
    IntroPackageItem,
    JobLogEntry,
    JobLogKind,
    JobLogStatus,
    OnboardingAnswers,
    PlanItem,
    PlanItemStatus,
    PlanItemType,
    PlanItemVersion,
    PlanTemplate,
    PreferredContact,
    Profile,
    WorkExperience,
)

CITIZENS_PER_MUNICIPALITY = 300


@register("citizens", order=40)
def load(*, rng, stdout):
    today = timezone.localdate()
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        postcodes = list(postcodes_in_municipality(municipality_code=municipality.code))
        if not postcodes:
            continue
        users, rows = [], []
        for number in range(1, CITIZENS_PER_MUNICIPALITY + 1):
            gender = rng.choice([Citizen.Gender.FEMALE, Citizen.Gender.MALE])
            first = rng.choice(FIRST_NAMES_FEMALE if gender == Citizen.Gender.FEMALE else FIRST_NAMES_MALE)
            user = User(username=f"demo-{municipality.slug}-borger-{number:03d}", first_name=first,
                        last_name=rng.choice(LAST_NAMES), is_demo=True)
            user.set_unusable_password()
            users.append(user)
            rows.append({
                "postcode": rng.choice(postcodes),
                "birth_year": today.year - rng.randint(18, 66),
                "gender": gender,
                "registered_on": today - datetime.timedelta(days=rng.randint(0, 200)),
            })
        User.objects.bulk_create(users, ignore_conflicts=True)
        saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
        with tenant_context(municipality):
            Citizen.objects.bulk_create(
                [Citizen(municipality=municipality, user=saved[u.username], is_demo=True, **row)
                 for u, row in zip(users, rows, strict=True)],
                ignore_conflicts=True,
            )
        Membership.objects.bulk_create(
            [Membership(user=saved[u.username], municipality=municipality, role=Role.CITIZEN) for u in users],
            ignore_conflicts=True,
        )
    stdout.write(f"  citizens: {Citizen.all_tenants.filter(is_demo=True).count()} demo citizens")


# --- The journey (order 60) ------------------------------------------------------------------

INTRO_PACKAGE = [
    ("Sådan bruger du Jobunivers", IntroPackageItem.Kind.VIDEO, "https://www.borger.dk/arbejde-dagpenge-ferie"),
    ("Dine pligter som ledig: rådighed og joblog", IntroPackageItem.Kind.ARTICLE,
     "https://www.borger.dk/arbejde-dagpenge-ferie/Dagpenge-kontanthjaelp-og-sygedagpenge"),
    ("Skriv en god ansøgning", IntroPackageItem.Kind.LINK, "https://www.jobnet.dk/"),
]
TEMPLATES = [
    ("Søgeaftale: 2 ansøgninger om ugen i 3 måneder", PlanItemType.SEARCH_AGREEMENT, 2, 13),
    ("Søgeaftale: 3 ansøgninger om ugen i 6 uger", PlanItemType.SEARCH_AGREEMENT, 3, 6),
    ("Kursus i jobsøgning og CV", PlanItemType.COURSE, None, 4),
]
EMPLOYERS = ["Arla Foods", "Salling Group", "Coop", "Vestas", "Grundfos", "Danish Crown", "Region Midtjylland",
             "Aarhus Kommune", "DSV", "Novo Nordisk", "ISS", "Bravida", "Netto", "Lidl", "PostNord"]
TITLES = ["Lagermedarbejder", "Chauffør", "Kontorassistent", "Butiksassistent", "Rengøringsassistent",
          "Social- og sundhedshjælper", "Tømrer", "Elektriker", "Kundeservicemedarbejder", "Pædagogmedhjælper"]


@register("citizen_journey", order=60)
def load_journey(*, rng, stdout):
    from django.apps import apps

    today = timezone.localdate()
    now = timezone.now()
    occupation_model = apps.get_model("taxonomy", "Occupation")
    occupation_ids = list(occupation_model.objects.filter(status="released").order_by("id")
                          .values_list("id", flat=True)[:2000])
    through = Profile.occupations.through
    totals = {"profiles": 0, "plan_items": 0, "job_log": 0}
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        citizens = list(Citizen.all_tenants.filter(municipality=municipality, is_demo=True).order_by("id"))
        if not citizens:
            continue
        IntroPackageItem.all_tenants.bulk_create([
            IntroPackageItem(municipality=municipality, title=title, kind=kind, url=url, position=index)
            for index, (title, kind, url) in enumerate(INTRO_PACKAGE)])
        PlanTemplate.all_tenants.bulk_create([
            PlanTemplate(municipality=municipality, title=title, item_type=item_type, weekly_target=target,
                         duration_weeks=weeks) for title, item_type, target, weeks in TEMPLATES])
        answers, profiles, experience, items, entries = [], [], [], [], []
        onboarded = []
        for citizen in citizens:
            if rng.random() < 0.15:  # some have not started yet
                continue
            onboarded.append(citizen.pk)
            needs_help = rng.random() < 0.12
            answers.append(OnboardingAnswers(
                municipality=municipality, citizen=citizen, self_assessed_chances=rng.randint(1, 5),
                expected_weeks_to_job=rng.choice([4, 8, 12, 26, 52]),
                barriers=rng.sample(Barrier.values, k=rng.choice([0, 0, 1, 2])),
                job_search_confidence=rng.randint(1, 5),
                digital_skills=DigitalSkills.NEEDS_HELP if needs_help else rng.choice(
                    [DigitalSkills.CONFIDENT, DigitalSkills.CONFIDENT, DigitalSkills.BASIC]),
                wants_personal_contact=needs_help or rng.random() < 0.2,
                preferred_contact=rng.choice(PreferredContact.values),
                contact_channels=rng.sample([ContactChannel.EMAIL, ContactChannel.PHONE, ContactChannel.MESSAGE,
                                             ContactChannel.VIDEO], k=2),
                education_level=rng.choice([v for v in EducationLevel.values if v]),
                work_history_summary="", submitted_at=now, revised_at=now))
            profiles.append(Profile(
                municipality=municipality, citizen=citizen, radius_km=rng.choice([10, 20, 30, 50]),
                hours_per_week=rng.choice([None, 25, 30, 37]),
                employment_types=rng.sample([EmploymentType.FULL_TIME, EmploymentType.PART_TIME,
                                             EmploymentType.PERMANENT], k=rng.randint(1, 2)),
                remote_ok=rng.random() < 0.3, languages=["Dansk"] + (["Engelsk"] if rng.random() < 0.7 else []),
                driving_licences=["B"] if rng.random() < 0.7 else [],
                skills_text=rng.choice(["", "Truckcertifikat, kundeservice", "Excel, Word", "Førstehjælp"])))
            experience.append(WorkExperience(
                municipality=municipality, citizen=citizen, employer=rng.choice(EMPLOYERS),
                title=rng.choice(TITLES), started_on=today - datetime.timedelta(days=rng.randint(400, 3000)),
                ended_on=today - datetime.timedelta(days=rng.randint(10, 300))))
            items.append(PlanItem(
                municipality=municipality, citizen=citizen, item_type=PlanItemType.MEETING,
                title="Intromøde med en jobrådgiver", location="Jobcenteret",
                created_by_kind=CreatedByKind.SYSTEM,
                status=PlanItemStatus.DONE if citizen.registered_on and citizen.registered_on < today - datetime.timedelta(days=21)
                else PlanItemStatus.PLANNED))
            if rng.random() < 0.7:
                start = max(citizen.registered_on or today, today - datetime.timedelta(days=300))
                items.append(PlanItem(
                    municipality=municipality, citizen=citizen, item_type=PlanItemType.SEARCH_AGREEMENT,
                    title="Søgeaftale: 2 ansøgninger om ugen", weekly_target=2, starts_on=start,
                    due_on=start + datetime.timedelta(weeks=13), agreed_with_job_centre=True,
                    created_by_kind=CreatedByKind.STAFF, status=PlanItemStatus.IN_PROGRESS))
            # Job log: a citizen's activity level, over the last eight weeks.
            activity = rng.choice([0, 0.5, 1.5, 2, 3])
            for day in range(0, 56):
                if rng.random() < activity / 7:
                    kind = JobLogKind.APPLICATION if rng.random() < 0.85 else rng.choice(
                        [JobLogKind.NETWORK_MEETING, JobLogKind.JOB_FAIR, JobLogKind.UNSOLICITED_CALL])
                    entries.append(JobLogEntry(
                        municipality=municipality, citizen=citizen, kind=kind, employer=rng.choice(EMPLOYERS),
                        job_title=rng.choice(TITLES), occurred_on=today - datetime.timedelta(days=day),
                        how_applied=rng.choice([HowApplied.ONLINE, HowApplied.EMAIL, HowApplied.PLATFORM]),
                        status=(rng.choice([JobLogStatus.SENT, JobLogStatus.SENT, JobLogStatus.REJECTED,
                                            JobLogStatus.INTERVIEW]) if kind == JobLogKind.APPLICATION
                                else JobLogStatus.DONE)))
        OnboardingAnswers.all_tenants.bulk_create(answers, ignore_conflicts=True)
        Profile.all_tenants.bulk_create(profiles, ignore_conflicts=True)
        WorkExperience.all_tenants.bulk_create(experience)
        PlanItem.all_tenants.bulk_create(items)
        JobLogEntry.all_tenants.bulk_create(entries, batch_size=2000)
        Citizen.all_tenants.filter(pk__in=onboarded).update(onboarding_completed_at=now, welcome_seen_at=now)
        created_items = PlanItem.all_tenants.filter(municipality=municipality, citizen__is_demo=True)
        PlanItemVersion.all_tenants.bulk_create([
            PlanItemVersion(municipality=municipality, plan_item_id=item.pk, version=1,
                            changed_by_kind=item.created_by_kind, changes={},
                            snapshot={"title": item.title, "status": item.status, "item_type": item.item_type})
            for item in created_items.only("id", "title", "status", "item_type", "created_by_kind")
        ], ignore_conflicts=True)
        if occupation_ids:
            profile_ids = list(Profile.all_tenants.filter(municipality=municipality, citizen__is_demo=True)
                               .values_list("id", flat=True))
            through.objects.bulk_create([
                through(profile_id=profile_id, occupation_id=occupation_id)
                for profile_id in profile_ids
                for occupation_id in rng.sample(occupation_ids, k=min(len(occupation_ids), rng.randint(1, 3)))
            ], ignore_conflicts=True)
        totals["profiles"] += len(profiles)
        totals["plan_items"] += len(items)
        totals["job_log"] += len(entries)
    stdout.write(f"  citizen journey: {totals['profiles']} profiles, {totals['plan_items']} plan items, "
                 f"{totals['job_log']} job log entries")


# --- The first day (every run) ----------------------------------------------------------------------

FIRST_DAY_FIRST_NAME, FIRST_DAY_LAST_NAME = "Nadia", "Nybegynder"


def first_day_username(municipality) -> str:
    # "000" sorts first, so the persona is on the demo sign-in page before the onboarded citizens.
    return f"demo-{municipality.slug}-borger-000"


@register("first_day_citizen", order=95, every_run=True)
def reset_first_day_citizen(*, rng, stdout):
    """A citizen who has not been onboarded, made afresh on every `make demo`, so the first day
    (sign-in, welcome, questionnaire, suggested track, profile, first feed) can always be walked.

    The old persona's account is deleted with everything that points at it (the database cascades
    to the citizen record and the journey of every app), then created again with no answers.
    """
    today = timezone.localdate()
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        username = first_day_username(municipality)
        User.objects.filter(username=username, is_demo=True).delete()
        user = User(username=username, first_name=FIRST_DAY_FIRST_NAME, last_name=FIRST_DAY_LAST_NAME, is_demo=True)
        user.set_unusable_password()
        user.save()
        postcodes = list(postcodes_in_municipality(municipality_code=municipality.code)[:1])
        Membership.objects.create(user=user, municipality=municipality, role=Role.CITIZEN)
        Citizen.all_tenants.create(municipality=municipality, user=user, is_demo=True, registered_on=today,
                                   postcode=postcodes[0] if postcodes else None, birth_year=today.year - 29,
                                   gender=Citizen.Gender.FEMALE)
    stdout.write(f"  first day: {FIRST_DAY_FIRST_NAME} {FIRST_DAY_LAST_NAME} has not been onboarded")
