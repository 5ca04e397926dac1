from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdviceConfig(AppConfig):
    name = "jobunivers.advice"
    label = "advice"
    verbose_name = _("Advice")

    def ready(self):
        from .home import register

        register()
