"""Job feed sources: a registry with one folder per format under contrib/ (see docs/jobs.md)."""

from .base import FeedFormat, FeedRecord, RecordError
from .feed_registry import registry

__all__ = ["FeedFormat", "FeedRecord", "RecordError", "registry", "load_contrib"]


def load_contrib() -> None:
    from .contrib.csv import feed as _csv  # noqa: F401
    from .contrib.jobtech import feed as _jobtech  # noqa: F401
    from .contrib.jsonld import feed as _jsonld  # noqa: F401
