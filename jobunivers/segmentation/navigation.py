from django.utils.translation import gettext_lazy as _

from jobunivers.core.navigation import NavItem, register
from jobunivers.tenancy.roles import STAFF_ROLES, Role

register(NavItem("segmentation:my_track", _("My track"), {Role.CITIZEN}, order=15, module="segmentation"))
register(NavItem("segmentation:worklist", _("Tracks"), set(STAFF_ROLES) | {Role.MUNICIPALITY_ADMIN}, order=40,
                 module="segmentation"))
register(NavItem("segmentation:caseload", _("My caseload"), {Role.PERSONAL_CONSULTANT}, order=41,
                 module="segmentation"))
register(NavItem("segmentation:fairness_groups", _("Fairness groups"), {Role.MUNICIPALITY_ADMIN}, order=42,
                 module="segmentation"))
register(NavItem("segmentation:model_registry", _("Risk models"), {Role.PLATFORM_OPERATOR}, order=60))
