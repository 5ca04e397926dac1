"""Reads about citizens, scoped to the tenant in context."""

from __future__ import annotations

from jobunivers.core.errors import NotFound

from .models import Citizen


def citizen_for_user(*, user) -> Citizen | None:
    return Citizen.objects.select_related("postcode").filter(user=user).first()


def access_citizen(*, actor, citizen_id: int) -> Citizen:
    """A citizen of the municipality in context. Missing and forbidden look the same."""
    try:
        return Citizen.objects.select_related("user", "postcode").get(pk=citizen_id)
    except Citizen.DoesNotExist:
        raise NotFound from None
