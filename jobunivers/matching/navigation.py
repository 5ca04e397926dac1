from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("matching:feed", _("Jobs for you"), {Role.CITIZEN}, order=30, module="matching"))
