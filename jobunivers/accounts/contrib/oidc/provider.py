"""MitID through a private broker over OpenID Connect, for citizens, under a municipality's prefix."""

from django.utils.translation import gettext_noop

from jobunivers.accounts.identity import IdentityProvider, providers

from . import client


class OidcProvider(IdentityProvider):
    def is_enabled(self, request) -> bool:
        return getattr(request, "municipality", None) is not None and client.is_configured()


providers.register("oidc")(
    OidcProvider(name="oidc", label=gettext_noop("Log in with MitID (broker)"), audience="citizen",
                 url_name="accounts:oidc_login")
)
