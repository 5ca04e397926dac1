from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "jobunivers.analytics"
    label = "analytics"
    verbose_name = _("Outcomes and effect")

    def ready(self):
        from .home import register

        register()
