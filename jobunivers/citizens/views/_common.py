"""Helpers shared by the citizen views."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jobunivers.core.redirects import safe_next

from .. import selectors


def _conflict_text() -> str:
    return _("Someone else saved this in the meantime (perhaps you, in another tab or window). "
             "Your changes were not saved. Here is the latest version; please make your changes again.")


def _citizen(request):
    return selectors.own_citizen(user=request.user)


def _back(request, default: str) -> str:
    return safe_next(request, default)


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


