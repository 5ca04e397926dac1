from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("groups:list", pgettext_lazy("groups", "Courses and job clubs"), {Role.CITIZEN}, order=65))
register(NavItem("groups:staff_list", _("Courses and job clubs"), set(STAFF_ROLES), order=82))
register(NavItem("groups:vendor_list", _("Courses you teach"), {Role.VENDOR}, order=23))
