from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservabilityConfig(AppConfig):
    name = "jobunivers.observability"
    label = "observability"
    verbose_name = _("Operations metrics")

    def ready(self) -> None:
        from .task_events import connect_task_signals

        connect_task_signals()
