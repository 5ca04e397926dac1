"""Demo personas: sign in as a demo user with one click. Only with DEMO=1, never in production."""

from django.conf import settings

from jobunivers.accounts.identity import IdentityProvider, providers


class DemoProvider(IdentityProvider):
    def is_enabled(self, request) -> bool:
        return bool(settings.DEMO)


providers.register("demo")(
    DemoProvider(name="demo", label="Demo personas", audience="any", url_name="accounts:demo_personas")
)
