"""A few hundred demo citizens per demo municipality, at that municipality's real postcodes."""

import datetime

from django.utils import timezone

from jobunivers.accounts.models import User
from jobunivers.core.context import tenant_context
from jobunivers.core.demo import register
from jobunivers.core.demo_names import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES
from jobunivers.taxonomy.selectors import postcodes_in_municipality
from jobunivers.tenancy.models import Membership, Municipality
from jobunivers.tenancy.roles import Role

from .models import Citizen

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
