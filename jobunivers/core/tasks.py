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
