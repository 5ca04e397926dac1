from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "jobunivers.assistant"
    label = "assistant"
    verbose_name = _("Assistant")

    def ready(self):
        from .generators import load_contrib

        load_contrib()
