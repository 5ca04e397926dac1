"""Roles. Staff roles act within one municipality; vendor, employer and operator are national."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    JOB_JOURNEY_ASSISTANT = "job_journey_assistant", _("Job-journey assistant")
    JOB_ADVISER = "job_adviser", _("Job adviser")
    PERSONAL_CONSULTANT = "personal_consultant", _("Personal job consultant")
    MUNICIPALITY_ADMIN = "municipality_admin", _("Municipality administrator")
    VENDOR = "vendor", _("Vendor")
    EMPLOYER = "employer", _("Employer")
    PLATFORM_OPERATOR = "platform_operator", _("Platform operator")


STAFF_ROLES = frozenset({Role.JOB_JOURNEY_ASSISTANT, Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT})
MUNICIPAL_ROLES = STAFF_ROLES | {Role.MUNICIPALITY_ADMIN, Role.CITIZEN}
NATIONAL_ROLES = frozenset({Role.VENDOR, Role.EMPLOYER, Role.PLATFORM_OPERATOR})
ALL_ROLES = frozenset(Role)
# The municipal roles a municipality's identity provider may give (ADR 0080): staff and administrators.
MAPPABLE_STAFF_ROLES = frozenset(STAFF_ROLES | {Role.MUNICIPALITY_ADMIN})
