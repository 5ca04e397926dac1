from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("agreements:admin_agreements", _("Vendor agreements"), {Role.MUNICIPALITY_ADMIN}, order=27))
register(NavItem("agreements:admin_statements", _("Statements"), {Role.MUNICIPALITY_ADMIN}, order=28))
register(NavItem("agreements:vendor_agreements", _("Agreements"), {Role.VENDOR}, order=20))
register(NavItem("agreements:vendor_statements", _("Statements"), {Role.VENDOR}, order=21))
register(NavItem("agreements:vendor_usage", _("Use of your offers"), {Role.VENDOR}, order=22))
