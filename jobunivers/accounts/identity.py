"""Identity providers behind one registry: demo personas, NemLog-in (SAML), OpenID Connect, ...

A provider lives in accounts/contrib/<name>/provider.py and registers an
instance with `providers.register(name)`. The login page lists the providers
that are enabled for its audience.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from jobunivers.core.registry import Registry


@dataclass(frozen=True)
class IdentityProvider:
    name: str
    label: str
    audience: str  # "citizen", "staff" or "any"
    url_name: str  # where the login starts

    def is_enabled(self, request: HttpRequest) -> bool:
        return True


providers: Registry[IdentityProvider] = Registry("identity provider")


def enabled_providers(request: HttpRequest, audience: str | None = None) -> list[IdentityProvider]:
    return [
        provider
        for _name, provider in providers
        if provider.is_enabled(request) and (audience is None or provider.audience in (audience, "any"))
    ]
