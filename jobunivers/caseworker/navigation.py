from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("caseworker:home", _("Start"), set(STAFF_ROLES), order=1))
register(NavItem("caseworker:worklist", _("My citizens"), {Role.PERSONAL_CONSULTANT}, order=10))
register(NavItem("caseworker:today", _("Today's conversations"), {Role.JOB_ADVISER}, order=10))
register(NavItem("caseworker:overview", _("Overview"), {Role.JOB_JOURNEY_ASSISTANT}, order=10))
register(NavItem("caseworker:search", _("Find a citizen"), set(STAFF_ROLES), order=15))
register(NavItem("caseworker:population", _("Population"), set(STAFF_ROLES), order=20))
register(NavItem("caseworker:find", _("Find and push"), {Role.JOB_JOURNEY_ASSISTANT, Role.PERSONAL_CONSULTANT},
                 order=30))
