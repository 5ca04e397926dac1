"""Deployment checks (`manage.py check --deploy`): keys that protect CPR numbers must be set."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def cpr_keys_are_set(app_configs, **kwargs):
    errors = []
    if not getattr(settings, "CPR_HASH_KEY", ""):
        errors.append(Error("CPR_HASH_KEY is not set: CPR look-ups would use a key derived from SECRET_KEY.",
                            hint="Set CPR_HASH_KEY to a long random value and never change it.",
                            id="jobunivers.accounts.E001"))
    if not getattr(settings, "CPR_ENCRYPTION_KEY", ""):
        errors.append(Error("CPR_ENCRYPTION_KEY is not set.", hint="Set it to a Fernet key (see docs/identity.md).",
                            id="jobunivers.accounts.E002"))
    return errors
