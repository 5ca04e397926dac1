"""A room per booking under a configurable base URL (a self-hosted Jitsi, for instance).

The room name is the booking's random calendar id, so nobody can guess another citizen's room.
Base URL: BOOKING_VIDEO_BASE_URL (default https://meet.jit.si/)."""

from __future__ import annotations

from django.conf import settings

from ...video import providers


@providers.register("room")
class RoomProvider:
    pasted = False

    def link_for(self, *, booking_uid: str, pasted_link: str = "") -> str:
        base = getattr(settings, "BOOKING_VIDEO_BASE_URL", "https://meet.jit.si/")
        if not base.endswith("/"):
            base += "/"
        return f"{base}jobunivers-{booking_uid.replace('-', '')}"
