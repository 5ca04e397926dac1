from celery import shared_task
from django.conf import settings


@shared_task
def purge_old_questions() -> int:
    """Questions to the assistant older than ASSISTANT_QUESTION_RETENTION_DAYS are deleted."""
    from .services import questions_purge

    return questions_purge(retention_days=settings.ASSISTANT_QUESTION_RETENTION_DAYS)
