"""Notices to citizens, delivered by notifications through the CitizenNotices event."""

from __future__ import annotations

from django.urls import NoReverseMatch
from django.utils import translation

from jobunivers.citizens.models import Citizen
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.models import Municipality
from jobunivers.tenancy.routing import municipal_reverse

from ..contracts import CitizenNotice, CitizenNotices

# --- Notices to citizens ---------------------------------------------------------------------


def _render_notice(citizen: Citizen, subject_key: str, texts, url_name: str, slug: str | None) -> CitizenNotice:
    # Rendered in Danish, the platform's default language; the inbox links to the page in full.
    with translation.override("da"):
        title, body = texts()
        title, body = str(title), str(body)
    try:
        link = municipal_reverse(slug, url_name) if slug else ""
    except NoReverseMatch:
        link = ""
    return CitizenNotice(municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                         citizen_user_id=citizen.user_id, subject_key=subject_key, title=title, body=body, link=link)


def _slug(municipality_id: int) -> str | None:
    return Municipality.objects.filter(pk=municipality_id).values_list("slug", flat=True).first()


def _notice(citizen: Citizen, subject_key: str, texts, url_name: str) -> None:
    """Ask for a notice to the citizen (CitizenNotices; delivered by notifications, wired in
    config/events.py, since segmentation and notifications may not import each other)."""
    notice = _render_notice(citizen, subject_key, texts, url_name, _slug(citizen.municipality_id))
    publish_on_commit(CitizenNotices(municipality_id=citizen.municipality_id, notices=(notice,)))
