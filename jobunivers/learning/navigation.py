from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("learning:catalogue", _("Learning"), {Role.CITIZEN}, order=64))
