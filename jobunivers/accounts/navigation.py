from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("accounts:staff_lockouts", _("Locked sign-ins"), {Role.MUNICIPALITY_ADMIN}, order=20))
register(NavItem("accounts:staff_sso_settings", _("Staff sign-in settings"), {Role.MUNICIPALITY_ADMIN}, order=21))
