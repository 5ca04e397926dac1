from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("dialogue:inbox", _("Messages"), {Role.CITIZEN}, order=75))
register(NavItem("dialogue:team_inbox", _("Team inbox"), set(STAFF_ROLES), order=44))
