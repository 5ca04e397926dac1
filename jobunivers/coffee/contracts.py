"""What other apps may read of coffee meetings: the funnel's counts per step (analytics, the staff
workspace). No Django imports."""

from __future__ import annotations

from dataclasses import dataclass

STEPS = ("shown", "yes", "no", "accepted", "met", "no_show", "interview", "job")


@dataclass(frozen=True)
class FunnelCounts:
    """Cards per step: shown → yes/no → accepted → met (or no_show) → interview → job."""

    shown: int = 0
    yes: int = 0
    no: int = 0
    accepted: int = 0
    met: int = 0
    no_show: int = 0
    interview: int = 0
    job: int = 0

    def rate(self, step: str, of: str) -> float | None:
        """The share of `of` that reached `step` (None when nothing reached `of`)."""
        base = getattr(self, of)
        return getattr(self, step) / base if base else None
