import factory

from jobunivers.accounts.tests.factories import UserFactory
from jobunivers.citizens.models import Citizen
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.tests.factories import MunicipalityFactory


class CitizenFactory(factory.django.DjangoModelFactory):
    """Creates the citizen, its user and its citizen membership. Works without a tenant context."""

    class Meta:
        model = Citizen

    municipality = factory.SubFactory(MunicipalityFactory)
    user = factory.SubFactory(UserFactory)
    birth_year = 1990
    gender = Citizen.Gender.FEMALE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        citizen = model_class.all_tenants.create(*args, **kwargs)
        Membership.objects.get_or_create(user=citizen.user, municipality=citizen.municipality, role=Role.CITIZEN)
        return citizen
