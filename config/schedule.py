"""Periodic tasks run by Celery beat (embedded: `make run` starts beat too).

Each app adds its entries here, keyed by "<app>.<task>", so the whole
schedule is readable in one place.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "core.heartbeat": {"task": "jobunivers.core.tasks.heartbeat", "schedule": crontab(minute="*/5")},
}
