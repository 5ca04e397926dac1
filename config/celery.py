"""Celery application. Settings come from Django settings with the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("jobunivers")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_transport = app.conf.broker_transport_options or {}
for _key in ("data_folder_in", "processed_folder", "control_folder"):
    if _transport.get(_key):
        os.makedirs(_transport[_key], exist_ok=True)
