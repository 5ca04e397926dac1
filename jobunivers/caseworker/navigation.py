from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES

register(NavItem("caseworker:home", _("Start"), set(STAFF_ROLES), order=1))
