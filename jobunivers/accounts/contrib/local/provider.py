"""Local staff accounts: user name and password, then a TOTP code (accounts/staff.py)."""

from django.utils.translation import gettext_noop

from jobunivers.accounts.identity import IdentityProvider, providers

providers.register("local")(
    IdentityProvider(name="local", label=gettext_noop("Staff sign-in with code"), audience="staff", url_name="accounts:staff_login")
)
