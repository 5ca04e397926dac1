"""Tracks of a municipality: the three defaults and the choice of a track for a support level."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from ..models import SupportLevel, Track

DEFAULT_TRACKS = [
    # key, support level, Danish name, English name, Danish description, English description
    ("selvbetjening", SupportLevel.SELF_SERVICE, "Selvbetjening i Jobunivers", "Self-service in Jobunivers",
     "Du finder job, holder din plan og joblog ved lige og booker hjælp, når du har brug for det.",
     "You find jobs, keep your plan and job log up to date, and book help when you need it."),
    ("selvbetjening-med-jobraadgiver", SupportLevel.ADVISER_SUPPORT, "Selvbetjening med støtte fra en jobrådgiver",
     "Self-service with job-adviser support",
     "Du bruger Jobunivers selv, og en jobrådgiver tager korte samtaler med dig undervejs.",
     "You use Jobunivers yourself, and a job adviser has short conversations with you along the way."),
    ("personlig-jobkonsulent", SupportLevel.PERSONAL_CONSULTANT, "Personlig jobkonsulent fra start",
     "Personal job consultant from the start",
     "Du får en fast personlig jobkonsulent, som følger dig fra begyndelsen.",
     "You get a personal job consultant who follows you from the beginning."),
]

# --- Tracks -----------------------------------------------------------------------------


def tracks_ensure_defaults(*, municipality_id: int) -> list[Track]:
    """Create the three default tracks of a municipality if it has none (idempotent)."""
    existing = list(Track.all_tenants.filter(municipality_id=municipality_id))
    if existing:
        return existing
    Track.all_tenants.bulk_create([
        Track(municipality_id=municipality_id, key=key, support_level=level, name_da=name_da, name_en=name_en,
              description_da=description_da, description_en=description_en, order=index)
        for index, (key, level, name_da, name_en, description_da, description_en) in enumerate(DEFAULT_TRACKS)
    ], ignore_conflicts=True)
    return list(Track.all_tenants.filter(municipality_id=municipality_id))


def track_for_level(*, municipality_id: int, level: int) -> Track:
    """The first offered track at this support level; else the nearest higher, then lower."""
    tracks = [t for t in tracks_ensure_defaults(municipality_id=municipality_id) if t.is_active]
    if not tracks:
        raise ValidationFailed(_("The municipality offers no tracks. An administrator must switch one on."))
    tracks.sort(key=lambda t: (t.order, t.support_level, t.key))
    for candidates in ([t for t in tracks if t.support_level == level],
                       sorted([t for t in tracks if t.support_level > level], key=lambda t: t.support_level),
                       sorted([t for t in tracks if t.support_level < level], key=lambda t: -t.support_level)):
        if candidates:
            return candidates[0]
    return tracks[0]  # pragma: no cover - unreachable: one of the lists is non-empty
