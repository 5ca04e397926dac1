import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="jobunivers.core.tasks.heartbeat")
def heartbeat() -> str:
    """Proves that the worker and the scheduler run; the time is shown on the operator page."""
    now = timezone.now().isoformat()
    cache.set("jobunivers:heartbeat", now, None)
    return now


# Seconds before each retry of a failed event handler: all below the broker's visibility timeout
# (CELERY_VISIBILITY_TIMEOUT), since Redis would hand a message waiting longer to a second worker.
EVENT_RETRY_DELAYS = (30, 60, 120, 300, 600)


@shared_task(name="jobunivers.core.tasks.retry_event_handler", bind=True, max_retries=len(EVENT_RETRY_DELAYS),
             acks_late=True)
def retry_event_handler(self, handler_path: str, payload: dict) -> None:
    """Run an event handler again that failed after its publisher committed (see core/events.py).

    Retries with growing delays; what still fails after the last one is logged for the operator,
    without personal data, like the first failure."""
    from . import events

    try:
        events.retry(handler_path, payload)
    except Exception as error:
        attempt = self.request.retries
        if attempt >= len(EVENT_RETRY_DELAYS):
            logger.error("event handler gave up after %s retries: handler=%s error=%s", attempt, handler_path,
                         type(error).__name__)
            raise
        raise self.retry(exc=error, countdown=EVENT_RETRY_DELAYS[attempt]) from None
