from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("notifications:inbox", _("Notifications"), {Role.CITIZEN}, order=80, module="notifications"))
