from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("internships:employer_list", _("Internships"), {Role.EMPLOYER}, order=3))
register(NavItem("internships:list", _("Internships"), {Role.CITIZEN}, order=37))
register(NavItem("internships:staff_worklist", _("Internships"), set(STAFF_ROLES), order=81))
