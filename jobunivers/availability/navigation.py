from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("availability:mine", _("Availability"), {Role.CITIZEN}, order=60))
register(NavItem("availability:worklist", _("Availability control"), set(STAFF_ROLES), order=40))
