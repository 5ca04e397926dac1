from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("audit:my_data", _("My data"), {Role.CITIZEN}, order=90))
