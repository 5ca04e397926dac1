from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jobunivers.audit"
    label = "audit"
    verbose_name = _("Access log")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its personal data in jobunivers/<app>/privacy.py (see audit/privacy.py).
        autodiscover_modules("privacy")
        from . import registrations  # noqa: F401  (foundation apps' personal data)
