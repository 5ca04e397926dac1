"""The registry of job feed formats. A module of its own so the formats under contrib/ register
here without importing the `sources` package that loads them (no import cycle inside jobs)."""

from jobunivers.core.registry import Registry

from .base import FeedFormat

registry: Registry[type[FeedFormat]] = Registry("job source")
