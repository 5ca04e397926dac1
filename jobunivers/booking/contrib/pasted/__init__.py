"""Staff paste a meeting link from the municipality's own video system (Teams, Zoom, ...).

Until the link is pasted the booking has no link; the invitation says it will follow."""

from __future__ import annotations

from ...video import providers


@providers.register("pasted")
class PastedProvider:
    pasted = True

    def link_for(self, *, booking_uid: str, pasted_link: str = "") -> str:
        return pasted_link if pasted_link.startswith("https://") else ""
