from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("journeys:mine", _("My journey"), {Role.CITIZEN}, order=46))
register(NavItem("journeys:admin_list", _("Journeys"), {Role.MUNICIPALITY_ADMIN}, order=48))
register(NavItem("journeys:experiments", _("Experiments"), set(STAFF_ROLES) | {Role.MUNICIPALITY_ADMIN}, order=49))
