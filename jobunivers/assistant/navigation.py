from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("assistant:ask", _("Ask the assistant"), {Role.CITIZEN}, order=70))
register(NavItem("assistant:staff_handoffs", _("Questions for a person"), set(STAFF_ROLES), order=45))
register(NavItem("assistant:unanswered", _("Assistant content"), set(STAFF_ROLES) | {Role.MUNICIPALITY_ADMIN},
                 order=46))
