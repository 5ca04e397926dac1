from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("coffee:employer_list", _("Coffee meetings"), {Role.EMPLOYER}, order=2))
register(NavItem("coffee:cards", _("Coffee meetings"), {Role.CITIZEN}, order=36))
register(NavItem("coffee:funnel", _("Coffee meetings: the funnel"), set(STAFF_ROLES) | {Role.MUNICIPALITY_ADMIN},
                 order=80))
