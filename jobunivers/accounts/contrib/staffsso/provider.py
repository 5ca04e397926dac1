"""Staff single sign-on through the municipality's own identity provider (KOMBIT, Entra ID, AD FS)."""

from django.utils.translation import gettext_noop

from jobunivers.accounts.identity import IdentityProvider, providers

from .selectors import enabled_staff_idp


class StaffSsoProvider(IdentityProvider):
    def is_enabled(self, request) -> bool:
        return getattr(request, "municipality", None) is not None and enabled_staff_idp(request.municipality_id) is not None


providers.register("staff_sso")(
    StaffSsoProvider(name="staff_sso", label=gettext_noop("Staff sign-in through the municipality"),
                     audience="staff", url_name="accounts:staff_sso_login")
)
