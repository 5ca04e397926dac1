"""The Django admin, for platform operators only and only behind a verified second factor.

django-otp's OTPAdminSite refuses a session whose user has not verified a TOTP device (so a
superuser with a password alone gets the admin's sign-in form, which asks for the code too);
on top of that the user must hold an active national platform-operator membership. Municipal
staff and administrators use the municipality's own pages, which apply the services' rules.
"""

from __future__ import annotations

from django_otp.admin import OTPAdminSite

from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.selectors import memberships_of


def is_platform_operator(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.role == Role.PLATFORM_OPERATOR and m.municipality_id is None for m in memberships_of(user))


class OperatorAdminSite(OTPAdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and is_platform_operator(request.user)
