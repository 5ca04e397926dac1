"""Helpers shared by the citizen views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from jobunivers.core.redirects import safe_next

from .. import selectors


def _conflict_text() -> str:
    return _("Someone else saved this in the meantime (perhaps you, in another tab or window). "
             "Your changes were not saved. Here is the latest version; please make your changes again.")


def _require_role(request, *roles) -> None:
    """Object views look the object up first (404 from another municipality, whatever the role),
    then check the role (403), so a URL never reveals another municipality's objects."""
    if request.role not in roles:
        raise PermissionDenied


def _citizen(request):
    citizen = selectors.citizen_for_user(user=request.user)
    if citizen is None:
        raise Http404
    return citizen


def _back(request, default: str) -> str:
    return safe_next(request, default)


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


