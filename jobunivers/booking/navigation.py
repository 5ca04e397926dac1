from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("booking:my_bookings", _("Conversations"), {Role.CITIZEN}, order=65))
register(NavItem("booking:day_list", _("Conversations of the day"), set(STAFF_ROLES), order=44))
register(NavItem("booking:settings", _("Booking settings"), {Role.MUNICIPALITY_ADMIN}, order=25))
