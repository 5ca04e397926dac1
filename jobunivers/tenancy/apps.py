from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "jobunivers.tenancy"
    label = "tenancy"
    verbose_name = _("Municipalities")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (theme and settings on municipality creation)
