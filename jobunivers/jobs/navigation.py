from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("jobs:employer_home", _("My job postings"), {Role.EMPLOYER}, order=1))
register(NavItem("jobs:search", _("Find jobs"), {Role.CITIZEN}, order=32))
register(NavItem("jobs:map", _("Jobs on a map"), {Role.CITIZEN}, order=33))
