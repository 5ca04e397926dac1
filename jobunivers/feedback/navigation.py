from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("feedback:ratings", _("Feedback"), set(STAFF_ROLES) | {Role.MUNICIPALITY_ADMIN}, order=47))
