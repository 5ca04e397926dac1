from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jobunivers.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Identity providers register themselves from accounts/contrib/<idp>/provider.py.
        from .contrib.demo import provider  # noqa: F401

        autodiscover_modules("identity_providers")
