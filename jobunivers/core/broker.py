"""The Celery broker as operators see it: is it reachable, and how many messages wait in its queues.

Only a Redis broker (production) is asked; the embedded file-system broker and the tests' in-memory
broker have no server to check, and report nothing.
"""

from __future__ import annotations

from django.conf import settings
from kombu.transport.redis import PRIORITY_STEPS, Channel

TIMEOUT_SECONDS = 2.0


def broker_url() -> str:
    return getattr(settings, "CELERY_BROKER_URL", "") or ""


def broker_is_redis() -> bool:
    return broker_url().startswith(("redis://", "rediss://"))


def broker_has_server() -> bool:
    """A broker that runs as a separate server (Redis, RabbitMQ), as opposed to files or memory."""
    return bool(broker_url()) and not broker_url().startswith(("filesystem:", "memory:"))


def _redis_client():
    import redis

    return redis.Redis.from_url(broker_url(), socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)


def broker_ping() -> None:
    """Raises when the broker cannot be reached."""
    if broker_is_redis():
        client = _redis_client()
        try:
            client.ping()
        finally:
            client.close()
        return
    from celery import current_app

    with current_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)


def queue_names() -> list[str]:
    from celery import current_app

    names = {current_app.conf.task_default_queue or "celery"}
    names.update(queue.name for queue in (current_app.conf.task_queues or ()))
    return sorted(names)


def redis_queue_lengths() -> dict[str, int]:
    """Messages waiting per queue on a Redis broker, all priorities added up (kombu keeps one Redis
    list per priority step: the queue's name, then name + separator + step)."""
    client = _redis_client()
    try:
        lengths = {}
        for queue in queue_names():
            keys = [queue] + [f"{queue}{Channel.sep}{step}" for step in PRIORITY_STEPS if step]
            with client.pipeline() as pipe:
                for key in keys:
                    pipe.llen(key)
                lengths[queue] = sum(int(size) for size in pipe.execute())
        return lengths
    finally:
        client.close()
