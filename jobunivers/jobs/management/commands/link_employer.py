from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed
from jobunivers.jobs.services import employer_link
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import Role


class Command(BaseCommand):
    help = "Let a user's employer membership act for the employer with this CVR number (created when new)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--cvr", required=True, help="the employer's CVR number (8 digits, modulus-11 checked)")
        parser.add_argument("--name", required=True, help="the employer's name")

    def handle(self, *args, username, cvr, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        membership = Membership.objects.filter(user=user, role=Role.EMPLOYER, is_active=True).first() if user else None
        if membership is None:
            raise CommandError(_("%(username)s has no employer membership.") % {"username": username})
        try:
            employer = employer_link(membership=membership, name=name, cvr=cvr)
        except ValidationFailed as error:
            raise CommandError("; ".join(m for messages in error.messages.values() for m in messages)) from error
        self.stdout.write(_("%(username)s now acts for %(employer)s.") % {"username": username, "employer": employer})
