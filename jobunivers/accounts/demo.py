"""Demo personas: staff of every role in each demo municipality, and the national roles."""


from jobunivers.core.demo import register
from jobunivers.core.demo_names import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES
from jobunivers.tenancy.models import Municipality
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.services import membership_grant

from .models import User

STAFF_PER_ROLE = {
    Role.JOB_ADVISER: 2,
    Role.PERSONAL_CONSULTANT: 3,
    Role.JOB_JOURNEY_ASSISTANT: 1,
    Role.MUNICIPALITY_ADMIN: 1,
}

NATIONAL_PERSONAS = [
    ("demo-arbejdsgiver", "Bente", "Byggesen", Role.EMPLOYER, "Byggesen Tømrer & Snedker ApS"),
    ("demo-leverandoer", "Kasper", "Kursus", Role.VENDOR, "Kompetencehuset A/S"),
    ("demo-operatoer", "Olivia", "Drift", Role.PLATFORM_OPERATOR, ""),
]


def demo_user(username: str, first_name: str, last_name: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name, "is_demo": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@register("personas", order=30)
def load(*, rng, stdout):
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        for role, count in STAFF_PER_ROLE.items():
            for number in range(1, count + 1):
                female = rng.random() < 0.6
                first = rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
                last = rng.choice(LAST_NAMES)
                username = f"demo-{municipality.slug}-{role.value.replace('_', '-')}-{number}"
                user = demo_user(username, first, last)
                membership_grant(user=user, role=role, municipality=municipality,
                                 is_team_lead=(role == Role.PERSONAL_CONSULTANT and number == 1))
    for username, first, last, role, organisation in NATIONAL_PERSONAS:
        membership_grant(user=demo_user(username, first, last), role=role, municipality=None,
                         organisation=organisation)
    stdout.write(f"  personas: {User.objects.filter(is_demo=True).count()} demo users")
