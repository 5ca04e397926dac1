from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import Role

register(NavItem("marketplace:catalogue", _("Offers"), {Role.CITIZEN}, order=66))
register(NavItem("marketplace:curation", _("Offers for citizens"), {Role.MUNICIPALITY_ADMIN}, order=26))
register(NavItem("marketplace:provider_offers", _("Offers"), {Role.VENDOR, Role.PLATFORM_OPERATOR}, order=30))
register(NavItem("marketplace:vendor_keys", _("Reporting keys"), {Role.VENDOR}, order=31))
