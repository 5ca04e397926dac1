"""What the learning app tells other apps (events wired in config/events.py). No Django imports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ModuleCompleted:
    """A citizen passed every lesson's quiz of a module. Feedback asks about it (config/events.py; its
    handler reads item_kind, item_id, title and completed_at, see feedback.contracts)."""

    municipality_id: int
    citizen_id: int
    module_key: str
    enrolment_id: int
    item_id: int  # the module's id
    title: str  # the module's Danish title, as citizens see it
    completed_at: datetime.datetime
    item_kind: str = "module"


# --- The vendors' side of the learning records (ADR 0095) ----------------------------------------------
# Learning and the marketplace sit in one layer and never import each other. The statements endpoint needs
# the marketplace's vendor reporting keys and enrolments; config/events.py registers an adapter over the
# marketplace's own functions here, the way events are wired.

@dataclass(frozen=True)
class Reporter:
    """A vendor's server that signed the request with one of its reporting keys."""

    vendor_id: int
    key_id: str


@dataclass(frozen=True)
class EnrolledCitizen:
    """Whom a pseudonym stands for in one of the vendor's offers."""

    municipality_id: int
    citizen_id: int
    enrolment_id: int


class GatewayRefused(Exception):
    """The marketplace refused: `code` is one of learning.xapi.ERRORS."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class VendorGateway:
    """What learning asks the marketplace. Every method raises GatewayRefused for a refusal."""

    def authenticate(self, *, key_id: str | None, timestamp: str | None, signature: str | None, body: bytes,
                     now: datetime.datetime) -> Reporter:
        raise NotImplementedError

    def enrolled_citizen(self, *, vendor_id: int, offer_id: int, subject: str) -> EnrolledCitizen:
        raise NotImplementedError

    def enrolled_citizens(self, *, vendor_id: int, keys: list[tuple[int, str]]) -> dict:
        """enrolled_citizen for many (offer_id, subject) pairs: each to an EnrolledCitizen or to the
        GatewayRefused it would raise. A gateway may answer them together (fewer queries)."""
        result: dict = {}
        for offer_id, subject in keys:
            try:
                result[(offer_id, subject)] = self.enrolled_citizen(vendor_id=vendor_id, offer_id=offer_id,
                                                                    subject=subject)
            except GatewayRefused as error:
                result[(offer_id, subject)] = error
        return result

    def record_completion(self, *, vendor_id: int, offer_id: int, subject: str, event_id: str,
                          occurred_at: datetime.datetime, via: str) -> None:
        raise NotImplementedError

    def key_used(self, *, key_id: str, now: datetime.datetime) -> None:
        raise NotImplementedError


_gateway: list[VendorGateway] = []


def register_vendor_gateway(gateway: VendorGateway) -> None:
    _gateway[:] = [gateway]


def vendor_gateway() -> VendorGateway:
    if not _gateway:
        raise RuntimeError("no vendor gateway registered (config/events.py)")
    return _gateway[0]
