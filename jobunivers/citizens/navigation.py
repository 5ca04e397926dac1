from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("citizens:home", _("My page"), {Role.CITIZEN}, order=1))
