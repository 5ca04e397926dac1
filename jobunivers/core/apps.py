from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jobunivers.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import request_id

        # Every log line carries the request id, in the web process and in the worker's tasks.
        request_id.install_log_record_factory()
        request_id.connect_celery_signals()

        # Each app may contribute navigation entries, demo data and leak-test cases.
        autodiscover_modules("navigation")
        autodiscover_modules("demo")
        from config import events  # noqa: F401  wires event handlers
