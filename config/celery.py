"""Celery application. Settings come from Django settings with the CELERY_ prefix."""

import os

from celery import Celery

from config.schedule import BEAT_SCHEDULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("jobunivers")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The periodic tasks (config/schedule.py): without this line beat starts with an empty schedule.
app.conf.beat_schedule = BEAT_SCHEDULE
app.autodiscover_tasks()

_transport = app.conf.broker_transport_options or {}
for _key in ("data_folder_in", "processed_folder", "control_folder"):
    if _transport.get(_key):
        os.makedirs(_transport[_key], exist_ok=True)
