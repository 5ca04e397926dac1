from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register

from .roles import Role

register(NavItem("tenancy:admin_home", _("Branding and settings"), {Role.MUNICIPALITY_ADMIN}, order=10))
register(NavItem("tenancy:platform_home", _("Municipalities"), {Role.PLATFORM_OPERATOR}, order=10))
