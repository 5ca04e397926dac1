"""MitID through NemLog-in (OIOSAML 3), for citizens, under a municipality's prefix."""

from django.utils.translation import gettext_noop

from jobunivers.accounts.identity import IdentityProvider, providers

from . import config


class NemLoginProvider(IdentityProvider):
    def is_enabled(self, request) -> bool:
        return getattr(request, "municipality", None) is not None and config.is_configured()


providers.register("nemlogin")(
    NemLoginProvider(name="nemlogin", label=gettext_noop("Log in with MitID"), audience="citizen", url_name="accounts:mitid_login")
)
