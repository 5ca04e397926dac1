"""Tasks that exist only for the observability tests: one fails, one is retried once then succeeds."""

import logging

from celery import shared_task

logger = logging.getLogger("jobunivers.observability.tests")


@shared_task(name="jobunivers.observability.tests.always_fails")
def always_fails() -> None:
    raise RuntimeError("this task fails on purpose")


@shared_task(name="jobunivers.observability.tests.retried_once", bind=True, max_retries=1)
def retried_once(self) -> str:
    if self.request.retries == 0:
        raise self.retry(exc=RuntimeError("first try fails"), countdown=0)
    return "second try"


@shared_task(name="jobunivers.observability.tests.logs_a_line")
def logs_a_line() -> str:
    logger.info("task log line")
    return "logged"
