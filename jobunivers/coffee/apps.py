from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoffeeConfig(AppConfig):
    name = "jobunivers.coffee"
    label = "coffee"
    verbose_name = _("Coffee meetings")

    def ready(self):
        from .home import register

        register()
