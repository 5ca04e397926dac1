from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("citizens:home", _("My page"), {Role.CITIZEN}, order=1))
register(NavItem("citizens:profile", _("My profile"), {Role.CITIZEN}, order=15))
register(NavItem("citizens:plan", _("My plan"), {Role.CITIZEN}, order=20, module="plan"))
register(NavItem("citizens:job_log", _("Job log"), {Role.CITIZEN}, order=25, module="joblog"))
register(NavItem("citizens:admin_welcome", _("Welcome and intro package"), {Role.MUNICIPALITY_ADMIN}, order=20))
