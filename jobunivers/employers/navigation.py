from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("employers:likely", _("Employers likely to hire"), {Role.CITIZEN}, order=31, module="matching"))
