from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("analytics:own_job", _("I got a job"), {Role.CITIZEN}, order=80))
register(NavItem("analytics:effects", _("Effect of services"), set(STAFF_ROLES) | {Role.MUNICIPALITY_ADMIN}, order=44))
register(NavItem("analytics:dashboard", _("Outcomes and use"), set(STAFF_ROLES) | {Role.MUNICIPALITY_ADMIN}, order=42))
