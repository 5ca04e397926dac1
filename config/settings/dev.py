"""Local development and `make run` (embedded: SQLite, file broker, no Redis)."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("DEMO", True)
