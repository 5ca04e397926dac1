"""Reads of reference data."""

from django.db.models import QuerySet

from .models import Postcode


def postcodes_in_municipality(*, municipality_code: str) -> QuerySet[Postcode]:
    return Postcode.objects.filter(municipality_code=municipality_code).order_by("code")


def get_postcode(*, code: str) -> Postcode | None:
    return Postcode.objects.filter(code=code).first()
