"""Figures computed at scrape time from the database and the broker (ADR 0081).

A scrape runs a handful of aggregate queries; nothing is kept in the web process, so every process
(and every host) answers the same, and a restarted process loses nothing. Each source that fails
(the broker is down, say) is left out of the answer and counted in `jobunivers_scrape_errors`, so one
failing source does not hide the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from jobunivers.core import broker
from jobunivers.jobs import selectors as jobs
from jobunivers.matching import selectors as matching
from jobunivers.notifications import selectors as notifications

from . import selectors
from .models import TaskEvent

logger = logging.getLogger(__name__)


def task_metrics() -> Iterable[Metric]:
    failures = CounterMetricFamily("jobunivers_celery_task_failures", "Celery task runs that failed, by task.",
                                   labels=["task"])
    retries = CounterMetricFamily("jobunivers_celery_task_retries", "Celery task runs retried, by task.",
                                  labels=["task"])
    for task_name, event, count in selectors.task_event_counts():
        (failures if event == TaskEvent.FAILURE else retries).add_metric([task_name], count)
    return [failures, retries]


def queue_metrics() -> Iterable[Metric]:
    if not broker.broker_is_redis():
        return []
    gauge = GaugeMetricFamily("jobunivers_celery_queue_length", "Messages waiting in a Celery queue (Redis broker).",
                              labels=["queue"])
    for queue, length in broker.redis_queue_lengths().items():
        gauge.add_metric([queue], length)
    return [gauge]


def outbox_metrics() -> Iterable[Metric]:
    backlog = notifications.outbox_backlog()
    messages = GaugeMetricFamily("jobunivers_outbox_backlog", "Notification deliveries not yet sent, by status and channel.",
                                 labels=["status", "channel"])
    for (status, channel), count in sorted(backlog.by_status_and_channel.items()):
        messages.add_metric([status, channel], count)
    oldest = GaugeMetricFamily("jobunivers_outbox_oldest_due_seconds",
                               "How long the oldest due, queued delivery has waited (0: none due).")
    oldest.add_metric([], backlog.oldest_due_seconds or 0.0)
    return [messages, oldest]


def import_metrics() -> Iterable[Metric]:
    runs = CounterMetricFamily("jobunivers_job_import_runs", "Job feed import runs kept, by feed and outcome.",
                               labels=["source", "outcome"])
    last_run = GaugeMetricFamily("jobunivers_job_import_last_run_timestamp_seconds",
                                 "When the feed's last import run started (Unix time).", labels=["source"])
    last_success = GaugeMetricFamily("jobunivers_job_import_last_success_timestamp_seconds",
                                     "When the feed's last successful import run started (Unix time).",
                                     labels=["source"])
    for figures in jobs.import_run_figures():
        runs.add_metric([figures.source, "succeeded"], figures.runs - figures.failed)
        runs.add_metric([figures.source, "failed"], figures.failed)
        if figures.last_started_at:
            last_run.add_metric([figures.source], figures.last_started_at.timestamp())
        if figures.last_succeeded_at:
            last_success.add_metric([figures.source], figures.last_succeeded_at.timestamp())
    return [runs, last_run, last_success]


def fanout_metrics() -> Iterable[Metric]:
    lag = matching.fanout_lag()
    pending = GaugeMetricFamily("jobunivers_fanout_pending_postings",
                                "Active postings of the last week not yet fanned out to matching citizens.")
    pending.add_metric([], lag.pending_postings)
    oldest = GaugeMetricFamily("jobunivers_fanout_lag_seconds",
                               "Age of the oldest active posting not yet fanned out (0: none waiting).")
    oldest.add_metric([], lag.oldest_pending_seconds or 0.0)
    return [pending, oldest]


SOURCES: tuple[tuple[str, Callable[[], Iterable[Metric]]], ...] = (
    ("tasks", task_metrics),
    ("queues", queue_metrics),
    ("outbox", outbox_metrics),
    ("imports", import_metrics),
    ("fanout", fanout_metrics),
)


class ScrapeTimeCollector(Collector):
    def collect(self) -> Iterable[Metric]:
        errors = GaugeMetricFamily("jobunivers_scrape_errors", "Metric sources that failed in this scrape.",
                                   labels=["source"])
        for name, source in SOURCES:
            try:
                metrics = list(source())
            except Exception as error:
                logger.warning("metrics source %s failed: %s: %s", name, type(error).__name__, error)
                errors.add_metric([name], 1)
                continue
            errors.add_metric([name], 0)
            yield from metrics
        yield errors
