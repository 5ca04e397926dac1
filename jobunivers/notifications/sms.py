"""SMS providers behind a registry. Development uses contrib/console_sms or contrib/file_sms;
a municipality's real gateway is one more folder in contrib/ registering a provider class.

Choose with the environment: NOTIFICATIONS_SMS_PROVIDER=console|file (default: file in var/sms/).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.utils.module_loading import import_string

from jobunivers.core.registry import Registry


class ProviderError(Exception):
    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class SmsProvider:
    """send() returns the provider's reference for the message or raises ProviderError."""

    # True when the provider ignores a second message with the same client reference.
    deduplicates_by_reference = False

    def send(self, *, to: str, text: str, reference: str) -> str:
        raise NotImplementedError


sms_providers: Registry[type[SmsProvider]] = Registry("SMS provider")

PROVIDER_MODULES = {
    "console": "jobunivers.notifications.contrib.console_sms.provider.ConsoleSmsProvider",
    "file": "jobunivers.notifications.contrib.file_sms.provider.FileSmsProvider",
}


def provider_name() -> str:
    return getattr(settings, "NOTIFICATIONS_SMS_PROVIDER", "") or os.environ.get("NOTIFICATIONS_SMS_PROVIDER", "file")


def provider() -> SmsProvider:
    name = provider_name()
    if name not in sms_providers and name in PROVIDER_MODULES:
        import_string(PROVIDER_MODULES[name])  # registers itself
    return sms_providers.get(name)()
